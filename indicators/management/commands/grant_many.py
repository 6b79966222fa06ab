"""`grant_many FILE.xlsx|FILE.csv --term T`: the accounts of every committee at once (first day).

One row per account, with a header row naming the columns (any order, any case):
`username`, `code` (the committee code), `role` (secretary|viewer), and optionally `email`.
Every row is checked before anything is written: unknown committees, roles and repeated rows are
listed with their row numbers and nothing changes. Then all rows are granted in one transaction
through role_grant (each with its RoleChange history row). A new account gets a fresh random
first password; an existing one keeps its own. The first passwords are written to --passwords
(a CSV readable by its owner only: print it, hand each line over, then delete it) and, with
--send-email, e-mailed to each new account that has an address."""

import csv
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from indicators.management.lookup import find_term
from indicators.models import Committee, RoleKind
from indicators.services.people import role_grant

COLUMNS = ("username", "code", "role", "email")
# No 0/O, 1/l/I: first passwords are read off paper and typed by hand.
ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def first_password(length: int = 12) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def read_rows(path: Path) -> list[dict[str, str]]:
    """The file's rows as dicts of the known columns (row numbers count the header as row 1)."""
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as f:
            table = [list(row) for row in csv.reader(f)]
    elif path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        table = [
            ["" if cell is None else str(cell) for cell in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
        book.close()
    else:
        raise CommandError(f"{path.name}: expected a .xlsx or .csv file")
    if not table:
        raise CommandError(f"{path.name} is empty")
    header = [cell.strip().lower() for cell in table[0]]
    missing = [c for c in ("username", "code", "role") if c not in header]
    if missing:
        raise CommandError(
            f"{path.name}: the first row must name the columns username, code, role (and email); "
            f"missing: {', '.join(missing)}"
        )
    rows = []
    for number, line in enumerate(table[1:], start=2):
        cells = {name: (line[i].strip() if i < len(line) else "") for i, name in enumerate(header)}
        if not any(cells.get(c) for c in COLUMNS):
            continue  # blank line
        rows.append({c: cells.get(c, "") for c in COLUMNS} | {"row": str(number)})
    return rows


class Command(BaseCommand):
    help = (
        "Grants roles from a spreadsheet (.xlsx or .csv with columns username, code, role, email): "
        "all rows checked first, then granted in one transaction; new accounts get random first "
        "passwords, written to --passwords (mode 0600) and optionally e-mailed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--term", required=True, help="term, e.g. 2020-2025")
        parser.add_argument(
            "--passwords",
            type=Path,
            required=True,
            help="CSV file to write username,password,committee,role of new accounts to (mode 0600)",
        )
        parser.add_argument(
            "--send-email", action="store_true", help="e-mail each new account with an address its password"
        )

    def handle(
        self, *args: Any, file: Path, term: str, passwords: Path, send_email: bool, **options: Any
    ) -> None:
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        if passwords.exists():
            raise CommandError(
                f"{passwords} exists already: choose a new file (passwords are never overwritten)"
            )
        the_term = find_term(term)
        rows = read_rows(file)
        committees = {c.code: c for c in Committee.objects.filter(term=the_term)}
        errors, seen = [], set()
        for r in rows:
            if not r["username"]:
                errors.append(f"row {r['row']}: no username")
            if r["code"] not in committees:
                errors.append(f"row {r['row']}: no committee {r['code']!r} in term {the_term.code}")
            if r["role"] not in RoleKind.values:
                errors.append(
                    f"row {r['row']}: role {r['role']!r} is not one of {', '.join(RoleKind.values)}"
                )
            key = (r["username"], r["code"], r["role"])
            if key in seen:
                errors.append(f"row {r['row']}: repeats an earlier row")
            seen.add(key)
        if errors:
            raise CommandError(
                f"{file.name}: nothing granted; {len(errors)} problem(s):\n" + "\n".join(errors)
            )

        issued: list[tuple[str, str, Committee, str, str]] = []
        granted = 0
        try:
            with transaction.atomic():
                for r in rows:
                    password = first_password()
                    grant = role_grant(
                        username=r["username"],
                        committee=committees[r["code"]],
                        role=r["role"],
                        password=password,
                        email=r["email"] or None,
                    )
                    granted += grant.role_created
                    if grant.user_created:
                        issued.append((r["username"], password, committees[r["code"]], r["role"], r["email"]))
        except (ValidationError, ValueError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(f"{file.name}: nothing granted: {message}") from None

        # Owner-only from the first byte: the file holds passwords.
        fd = os.open(passwords, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["username", "password", "committee", "committee_name", "role"])
            for username, password, committee, role, _email in issued:
                writer.writerow([username, password, committee.code, committee.name, role])
        self.stdout.write(
            f"{len(rows)} rows: {len(issued)} new accounts, {granted} roles granted "
            f"({len(rows) - granted} already held). First passwords: {passwords} (mode 0600)."
        )
        if send_email:
            sent = self.send_passwords([i for i in issued if i[4]])
            self.stdout.write(
                f"E-mailed {sent} first passwords ({len(issued) - sent} new accounts have no address)."
            )

    def send_passwords(self, issued: list[tuple[str, str, Committee, str, str]]) -> int:
        sent = 0
        with translation.override(settings.LANGUAGE_CODE):
            for username, password, committee, _role, email in issued:
                send_mail(
                    _("Tài khoản Sơ kết của bạn"),
                    _(
                        "Tài khoản: %(username)s\nMật khẩu lần đầu: %(password)s\nĐơn vị: %(committee)s\n"
                        "Đăng nhập tại %(url)s. Mật khẩu này chỉ dành cho bạn: đừng chuyển cho ai."
                    )
                    % {
                        "username": username,
                        "password": password,
                        "committee": committee.name,
                        "url": settings.SITE_URL.rstrip("/") + "/accounts/login/",
                    },
                    None,
                    [email],
                )
                sent += 1
        return sent
