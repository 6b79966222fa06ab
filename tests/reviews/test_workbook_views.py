"""The workbook pages: download, template, and the upload page that explains every problem."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import AssessmentChange, Indicator, Term
from reviews.models import CheckedWorkbook
from reviews.workbook.exporter import workbook_export
from tests.reviews.workbook_files import indicator, xlsx

TREE = [["P", "Đảng bộ tỉnh", "tỉnh", ""]]


def upload(client, data, *, term="2030-2035", action="import", name="so-lieu.xlsx"):
    return client.post(
        reverse("workbook_import"),
        {"file": SimpleUploadedFile(name, data), "term": term, "action": action},
    )


@pytest.fixture
def staff(client, make_user):
    user = make_user("vanphong", is_staff=True)
    client.force_login(user)
    return user


def test_anonymous_visitor_is_sent_to_login(client, db):
    for name in ("workbook_import", "workbook_template"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_user_without_a_role_sees_no_term_and_no_form(client, tree, make_user):
    client.force_login(make_user("nobody"))
    response = client.get(reverse("workbook_import"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "chưa được giao quyền nhập dữ liệu" in body
    assert "2020-2025" not in body and 'enctype="multipart/form-data"' not in body
    response = upload(client, xlsx(TREE, [indicator("P")]), term="2020-2025")
    assert response.status_code == 200 and not AssessmentChange.objects.exists()


def test_export_download(client, tree, make_user):
    client.force_login(make_user("viewer", tree["P-D1"]))
    response = client.get(reverse("workbook_xlsx", args=["P-D1"]) + "?term=2020-2025")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="so-ket-p-d1-2020-2025.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(response.content))["Đơn vị"]["A2"].value == "P-D1"


def test_template_download(client, staff):
    response = client.get(reverse("workbook_template"))
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == ["Đơn vị", "Chỉ tiêu"]


def test_staff_imports_into_a_new_term(client, staff, db):
    response = upload(client, xlsx(TREE, [indicator("P", "1"), indicator("P", "2")]))
    assert response.status_code == 200
    assert "Đã nhập. Nhiệm kỳ 2030-2035 (mới): 1 đơn vị, 2 chỉ tiêu được tạo" in response.content.decode()
    assert Indicator.objects.count() == 2


def test_check_only_stores_nothing(client, staff, db):
    response = upload(client, xlsx(TREE, [indicator("P", "1")]), action="check")
    assert "Kiểm tra xong, chưa lưu gì" in response.content.decode()
    assert not Term.objects.exists()


def test_errors_are_listed_in_a_table(client, staff, db):
    response = upload(client, xlsx(TREE, [indicator("NOPE"), indicator("P", status="tốt")]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Có 2 lỗi; chưa lưu gì." in body
    assert '<td>Chỉ tiêu</td><td class="num">2</td><td>Mã đơn vị (A)</td>' in body
    assert "Đánh giá “tốt” không có trong danh sách" in body
    assert not Term.objects.exists()


@pytest.mark.parametrize(
    "data",
    [b"", b"not a spreadsheet", b"PK\x03\x04broken", xlsx()],
    ids=["empty", "text", "broken zip", "no sheets"],
)
def test_broken_files_give_a_message_never_a_500(client, staff, db, data):
    response = upload(client, data)
    assert response.status_code == 200
    assert "error-summary" in response.content.decode() or "errorlist" in response.content.decode()


def test_too_large_upload_is_refused_with_the_limit(client, staff, db, monkeypatch):
    from reviews.workbook import views as workbook

    monkeypatch.setattr(workbook, "MAX_FILE_BYTES", 1000)
    response = upload(client, b"x" * 2000)
    assert "vượt giới hạn" in response.content.decode()


def test_bad_term_is_a_field_error(client, staff, db):
    response = upload(client, xlsx(TREE, []), term="năm nay")
    body = response.content.decode()
    assert "không hợp lệ; hãy viết dạng 2020-2025" in body and 'aria-invalid="true"' in body


def test_secretary_gets_a_select_of_their_terms_and_only_their_rows(client, tree, make_user):
    secretary = make_user("bithu", tree["P-D1-C1"], "secretary")
    client.force_login(secretary)
    body = client.get(reverse("workbook_import")).content.decode()
    assert '<select name="term"' in body and '<option value="2020-2025"' in body
    exported = workbook_export(committee=tree["P-D1"])
    wb = openpyxl.load_workbook(io.BytesIO(exported))
    for row in wb["Chỉ tiêu"].iter_rows(min_row=2):
        if row[0].value == "P-D1-C2":
            row[9].value, row[10].value = "Khó đạt", "Thiếu vốn"
    out = io.BytesIO()
    wb.save(out)
    response = upload(client, out.getvalue(), term="2020-2025")
    assert "Mã đơn vị “P-D1-C2” không có hoặc bạn không có quyền với đơn vị này." in response.content.decode()
    assert not AssessmentChange.objects.exists()
    # a term they hold no role in is refused by the form
    response = upload(client, out.getvalue(), term="2040-2045")
    assert 'id="term-errors"' in response.content.decode()


# ---- "Nhập tệp này": the checked upload is kept, not uploaded twice ----------------------------------


def _token(response) -> str:
    body = response.content.decode()
    assert "Nhập tệp này" in body
    return body.split('name="pending" value="', 1)[1].split('"', 1)[0]


def import_checked(client, token):
    return client.post(reverse("workbook_import"), {"action": "import_checked", "pending": token})


def test_check_then_import_this_file_without_a_second_upload(client, staff):
    data = xlsx(TREE, [indicator("P", "1")])
    checked = upload(client, data, action="check", name="tinh.xlsx")
    assert not Term.objects.exists()
    kept = CheckedWorkbook.objects.get()
    assert (kept.user, bytes(kept.data), kept.filename, kept.term_code) == (
        staff,
        data,
        "tinh.xlsx",
        "2030-2035",
    )
    response = import_checked(client, _token(checked))
    body = response.content.decode()
    assert "Đã nhập. Nhiệm kỳ 2030-2035 (mới): 1 đơn vị, 1 chỉ tiêu được tạo" in body
    assert "Kết quả với tệp “tinh.xlsx”" in body
    assert Indicator.objects.count() == 1 and not CheckedWorkbook.objects.exists()
    # the token is spent: a second press imports nothing more
    again = import_checked(client, _token(checked))
    assert "Tệp đã kiểm tra không còn được giữ" in again.content.decode()


def test_a_file_with_errors_is_not_kept(client, staff):
    response = upload(client, xlsx(TREE, [indicator("NOPE")]), action="check")
    assert "Nhập tệp này" not in response.content.decode() and not CheckedWorkbook.objects.exists()


def test_kept_file_is_per_user_one_at_a_time_and_expires(client, staff, make_user, monkeypatch):
    first = _token(upload(client, xlsx(TREE, [indicator("P", "1")]), action="check"))
    second = _token(upload(client, xlsx(TREE, [indicator("P", "1"), indicator("P", "2")]), action="check"))
    assert CheckedWorkbook.objects.count() == 1  # the newer check replaced the older file
    assert "không còn được giữ" in import_checked(client, first).content.decode()
    # another user cannot import it, even with the token
    client.force_login(make_user("khac", is_staff=True))
    assert "không còn được giữ" in import_checked(client, second).content.decode()
    assert not Term.objects.exists()
    # and it expires
    client.force_login(staff)
    from reviews.workbook import pending

    monkeypatch.setattr(pending, "PENDING_SECONDS", -1)
    assert "không còn được giữ" in import_checked(client, second).content.decode()
    assert not Term.objects.exists()


def test_a_check_drops_every_kept_file_past_its_time(client, staff, make_user):
    from datetime import timedelta

    from django.utils import timezone

    other = make_user("khac", is_staff=True)
    old = timezone.now() - timedelta(hours=1)
    CheckedWorkbook.objects.create(user=other, token="t", term_code="2030-2035", data=b"x", created_at=old)
    upload(client, xlsx(TREE, [indicator("P", "1")]), action="check")
    assert list(CheckedWorkbook.objects.values_list("user__username", flat=True)) == ["vanphong"]
