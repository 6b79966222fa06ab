"""Dashboard table exports carry formula-like names as text, in xlsx and CSV (reviews.exports)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Committee

DANGEROUS = {
    "=": '=HYPERLINK("http://127.0.0.1:9999/csv","x")',
    "+": "+1+1",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(A1:A2)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


@pytest.fixture
def viewer(client, tree, make_user):
    client.force_login(make_user("district", tree["P-D1"], role="viewer"))
    return client


def _rename(committee, name):
    # As staff can through the admin; no service check stands in the way of a hostile name.
    Committee.objects.filter(pk=committee.pk).update(name=name)


@pytest.mark.parametrize("prefix", list(DANGEROUS))
def test_xlsx_export_keeps_formula_like_names_as_text(viewer, tree, prefix):
    name = DANGEROUS[prefix]
    _rename(tree["P-D1-C1"], name)
    response = viewer.get("/committees/P-D1/?_export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in ws.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    (cell,) = [cell for cell in cells if cell.value == name]
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel shows it as typed text, even after the cell is edited
    # Numbers stay numbers, so the sheet can still sort and sum them.
    header = [c.value for c in ws[1]]
    assert isinstance(ws.cell(row=cell.row, column=header.index("Tổng số") + 1).value, int)


@pytest.mark.parametrize("prefix", list(DANGEROUS))
def test_csv_export_puts_an_apostrophe_before_formula_like_names(viewer, tree, prefix):
    name = DANGEROUS[prefix]
    _rename(tree["P-D1-C1"], name)
    response = viewer.get("/committees/P-D1/?_export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    names = [row[0] for row in rows[1:]]
    assert f"'{name}" in names
    assert name not in names
    assert not [value for row in rows for value in row if value[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_ordinary_names_and_numbers_are_exported_unchanged(viewer, tree):
    response = viewer.get("/committees/P-D1/?_export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0][:2] == ["Đơn vị", "Mã"]
    assert sorted(row[0] for row in rows[1:]) == ["Đảng bộ P-D1-C1", "Đảng bộ P-D1-C2"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # so Excel reads the Vietnamese as UTF-8
    assert 'filename="P-D1-2020-2025-don-vi-truc-thuoc.csv"' in response["Content-Disposition"]


def test_control_characters_in_a_name_do_not_break_the_xlsx(viewer, tree):
    _rename(tree["P-D1-C1"], "Xã\x01 Nông\x1f Hạ")
    response = viewer.get("/committees/P-D1/?_export=xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert "Xã Nông Hạ" in [cell.value for cell in ws["A"]]


# ---- Excel opens them cleanly (issue 25) ------------------------------------------------------------


def test_campaign_export_dates_as_dates_empty_numbers_named_sheet_and_bom(client, make_user):
    from datetime import date, timedelta

    from django.core.management import call_command
    from django.utils import timezone

    call_command("load_demo", verbosity=0, password="SoKet-demo-2023")
    client.force_login(make_user("office", Committee.objects.get(code="BK-CM")))
    url = reverse("campaign", args=["BK-CM"]) + "?term=2020-2025"
    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "&_export=xlsx").content))
    sheet = book.active
    assert sheet.title == "Tiến độ sơ kết"
    header = [c.value for c in sheet[1]]
    deadline_col = header.index("Hạn gửi")
    late_col = header.index("Số ngày trễ")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert all(isinstance(r[deadline_col], (date,)) for r in rows)
    assert {r[deadline_col].date() for r in rows} <= {
        timezone.localdate() + timedelta(days=n) for n in (-4, 3)
    }
    assert all(r[late_col] is None or isinstance(r[late_col], int) for r in rows)
    assert "—" not in {r[late_col] for r in rows}
    assert sheet.column_dimensions["A"].width > 10
    body = client.get(url + "&_export=csv").content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads Vietnamese as UTF-8
    text = body.decode("utf-8-sig")
    assert "—" not in text and (timezone.localdate() + timedelta(days=3)).isoformat() in text


def test_trouble_list_exports_with_district_target_value_and_filters_by_district(client, make_user):
    from django.core.management import call_command

    call_command("load_demo", "--no-accounts", verbosity=0)
    client.force_login(make_user("office", Committee.objects.get(code="BK")))
    url = reverse("trouble", args=["BK"]) + "?term=2020-2025"
    page = client.get(url).content.decode()
    assert '<select name="district"' in page
    # The breadcrumb names the page as its heading does (it said "cần quan tâm" under "cần chú ý").
    assert '<span aria-current="page">Chỉ tiêu cần chú ý</span>' in page
    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "&_export=xlsx").content))
    sheet = book.active
    assert sheet.title == "Chỉ tiêu cần chú ý"
    header = [c.value for c in sheet[1]]
    # Where each row is, then what it is: the committee and its district lead, as on the page.
    assert header == [
        "Đơn vị",
        "Cấp huyện",
        "STT",
        "Chỉ tiêu",
        "Lĩnh vực",
        "Mục tiêu",
        "Giữa nhiệm kỳ",
        "Đánh giá",
        "Gợi ý",
        "Ghi chú",
    ]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) > 50  # the whole list, not the page of 50 shown
    districts = {r[header.index("Cấp huyện")] for r in rows}
    assert "Đảng bộ huyện Chợ Đồn" in districts
    only = client.get(url + "&district=BK-CD&_export=csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(only)))
    col = lines[0].index("Cấp huyện")
    assert len(lines) > 2 and {line[col] for line in lines[1:]} == {"Đảng bộ huyện Chợ Đồn"}
    # The page links to both files, for the list as filtered (not the page shown).
    filtered = client.get(url + "&district=BK-CD&page=2").content.decode()
    for fmt in ("xlsx", "csv"):
        assert f'href="?term=2020-2025&amp;district=BK-CD&amp;_export={fmt}"' in filtered
