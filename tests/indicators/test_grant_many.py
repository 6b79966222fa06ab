"""`grant_many`: every committee's accounts from one spreadsheet, all rows checked first."""

import csv
import stat
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from indicators.models import Role, RoleChange


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("grant_many", *args, stdout=out)
    return out.getvalue()


def test_grants_every_row_and_writes_first_passwords_owner_only(tree, tmp_path, django_user_model):
    django_user_model.objects.create_user("existing", password="own-Pass-2023")
    sheet = write_csv(
        tmp_path / "accounts.csv",
        [
            ["Username", "Code", "Role", "Email"],
            ["sec.c1", "P-D1-C1", "secretary", "sec.c1@example.org"],
            ["view.d1", "P-D1", "viewer", ""],
            [],
            ["existing", "P-D1", "viewer", ""],
        ],
    )
    out = run(str(sheet), "--term", "2020-2025", "--passwords", str(tmp_path / "pw.csv"))
    assert "3 rows: 2 new accounts, 3 roles granted" in out
    assert stat.S_IMODE((tmp_path / "pw.csv").stat().st_mode) == 0o600
    with (tmp_path / "pw.csv").open(encoding="utf-8") as f:
        issued = {row["username"]: row for row in csv.DictReader(f)}
    assert set(issued) == {"sec.c1", "view.d1"}  # the existing account keeps its own password
    user = get_user_model().objects.get(username="sec.c1")
    assert user.check_password(issued["sec.c1"]["password"]) and user.email == "sec.c1@example.org"
    assert issued["sec.c1"]["committee"] == "P-D1-C1"
    assert get_user_model().objects.get(username="existing").check_password("own-Pass-2023")
    assert Role.objects.filter(committee=tree["P-D1"], role="viewer").count() == 2
    assert RoleChange.objects.count() == 3


def test_reads_an_xlsx_sheet_and_e_mails_the_new_accounts_with_an_address(tree, tmp_path, settings):
    settings.SITE_URL = "https://soket.example.org"
    book = Workbook()
    book.active.append(["code", "role", "username", "email"])
    book.active.append(["P-D1-C1", "secretary", "sec.c1", "sec.c1@example.org"])
    book.active.append(["P-D1", "viewer", "view.d1", None])
    book.save(tmp_path / "accounts.xlsx")
    out = run(
        str(tmp_path / "accounts.xlsx"),
        "--term",
        "2020-2025",
        "--passwords",
        str(tmp_path / "pw.csv"),
        "--send-email",
    )
    assert "E-mailed 1 first passwords (1 new accounts have no address)" in out
    [message] = mail.outbox
    assert message.to == ["sec.c1@example.org"]
    assert "https://soket.example.org/accounts/login/" in message.body and "sec.c1" in message.body


def test_any_bad_row_grants_nothing_and_lists_every_problem(tree, tmp_path):
    sheet = write_csv(
        tmp_path / "accounts.csv",
        [
            ["username", "code", "role"],
            ["ok.user", "P-D1", "viewer"],
            ["x", "NO-SUCH", "viewer"],
            ["y", "P-D1", "boss"],
            ["ok.user", "P-D1", "viewer"],
        ],
    )
    with pytest.raises(CommandError) as error:
        run(str(sheet), "--term", "2020-2025", "--passwords", str(tmp_path / "pw.csv"))
    message = str(error.value)
    assert "nothing granted; 3 problem(s)" in message
    assert "row 3: no committee 'NO-SUCH'" in message and "row 4: role 'boss'" in message
    assert "row 5: repeats an earlier row" in message
    assert not get_user_model().objects.exists() and not (tmp_path / "pw.csv").exists()


def test_refuses_a_sheet_without_the_columns_and_an_existing_passwords_file(tree, tmp_path):
    sheet = write_csv(tmp_path / "a.csv", [["name", "unit"], ["a", "P"]])
    with pytest.raises(CommandError, match="missing: username, code, role"):
        run(str(sheet), "--term", "2020-2025", "--passwords", str(tmp_path / "pw.csv"))
    (tmp_path / "pw.csv").write_text("keep me")
    with pytest.raises(CommandError, match="exists already"):
        run(str(sheet), "--term", "2020-2025", "--passwords", str(tmp_path / "pw.csv"))
    assert (tmp_path / "pw.csv").read_text() == "keep me"
