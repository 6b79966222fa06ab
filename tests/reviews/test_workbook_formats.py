"""The workbook against real spreadsheet programs and old copies (issue 13)."""

import datetime
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter
from django.utils import timezone

from indicators.models import Assessment, AssessmentChange, Indicator, Status
from indicators.people import person_name
from reviews.workbook.exporter import template_export, workbook_export
from reviews.workbook.services import workbook_import
from tests.conftest import assess_one
from tests.reviews.workbook_files import COMMITTEE_HEADER, INDICATOR_HEADER

# ---- 1. typed values stay as typed ------------------------------------------------------------


@pytest.mark.parametrize("which", ["export", "template"])
def test_every_column_of_both_sheets_has_the_text_format(tree, which):
    data = workbook_export(committee=tree["P"]) if which == "export" else template_export()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for name, header in (("Đơn vị", COMMITTEE_HEADER), ("Chỉ tiêu", INDICATOR_HEADER)):
        ws = wb[name]
        for letter in "ABCDEFGHIJK"[: len(header)]:
            assert ws.column_dimensions[letter].number_format == "@", (name, letter)
        for row in ws.iter_rows(min_row=2):
            assert {c.number_format for c in row} == {"@"}
        assert ws.freeze_panes == "A2"


def _xlsxwriter_book(*, with_date: bool = False) -> bytes:
    """Numbers and dates as another program or a paste leaves them: real numeric cells with formats."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    percent = wb.add_format({"num_format": "0%"})
    percent_1 = wb.add_format({"num_format": "0.0%"})
    padded = wb.add_format({"num_format": "000"})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Đơn vị")
    ws.write_row(0, 0, COMMITTEE_HEADER)
    ws.write_row(1, 0, ["007", "Xã 007", "xã", ""])  # a code typed as text keeps its zeros
    ws = wb.add_worksheet("Chỉ tiêu")
    ws.write_row(0, 0, INDICATOR_HEADER)
    rows = [
        # code, resolution, kind, STT, text, field, unit, target, value, status, note
        ["007", "01-NQ", "", 1, "Tỷ lệ", "", "%", 0.72, 0.065, "Đạt và vượt", ""],
        ["007", "01-NQ", "", 2, "Số hộ", "", "hộ", 6.5, 1000, "Đạt và vượt", ""],
        ["007", "01-NQ", "", 3, "Mã", "", "", "", "", "Đạt và vượt", ""],
    ]
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    ws.write_number(1, 7, 0.72, percent)
    ws.write_number(1, 8, 0.065, percent_1)
    ws.write_number(3, 3, 7, padded)  # STT 007 kept by its format
    if with_date:  # "1/2" typed into a General cell, turned into a date by the spreadsheet
        ws.write_datetime(3, 8, datetime.datetime(2026, 2, 1), date)
    wb.close()
    return out.getvalue()


def test_numeric_cells_are_read_by_their_number_format(db):
    result = workbook_import(data=_xlsxwriter_book(), term_code="2030-2035")
    assert result.ok, result.errors
    stored = {
        i.number: (i.target, i.assessment.value)
        for i in Indicator.objects.at_stage().select_related("assessment")
    }
    assert stored == {"1": ("72%", "6,5%"), "2": ("6,5", "1000"), "007": ("", "")}
    assert Indicator.objects.get(number="1").resolution.committee.code == "007"


def test_a_date_in_a_value_column_is_an_error_naming_the_cell(db):
    result = workbook_import(data=_xlsxwriter_book(with_date=True), term_code="2030-2035")
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        ("Chỉ tiêu", 4, "Thực hiện giữa nhiệm kỳ (I)")
    ]
    assert result.errors[0].message.startswith("Ô I4 có định dạng ngày tháng (01/02/2026)")
    assert not Indicator.objects.exists()


# ---- 2. an old copy never undoes newer work ------------------------------------------------------


def _edit(data: bytes, changes: dict) -> bytes:
    """The workbook with cells changed: {(code, STT): {column letter: value}}."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Chỉ tiêu"]
    for row in ws.iter_rows(min_row=2):
        for letter, value in changes.get((row[0].value, row[3].value), {}).items():
            ws[f"{letter}{row[0].row}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _assessment(tree, code, number="1") -> Assessment:
    return Assessment.objects.select_related("indicator").get(
        indicator__resolution__committee=tree[code], indicator__number=number
    )


def test_a_web_change_after_the_export_refuses_the_stale_import(tree, make_user):
    secretary = make_user("bithu", tree["P-D1-C1"], "secretary")
    exported = workbook_export(committee=tree["P-D1-C1"])
    secretary.first_name, secretary.last_name = "Lan", "Hoàng Thị"
    secretary.save()
    web = assess_one(assessment=_assessment(tree, "P-D1-C1"), status=Status.HARD, note="Mưa lũ", by=secretary)
    stale = _edit(
        exported, {("P-D1-C1", "1"): {"I": "7"}, ("P-D1-C1", "2"): {"J": "Không đạt", "K": "Thiếu vốn"}}
    )
    result = workbook_import(data=stale, term_code="2020-2025", by=secretary)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("Chỉ tiêu", 2, "")]
    when = timezone.localtime(web.updated_at).strftime("%d/%m/%Y %H:%M")
    # The person is named as on every page (họ, tên đệm, tên: indicators.people), not "Lan Hoàng Thị".
    assert person_name(secretary) in result.errors[0].message
    assert result.errors[0].message == (
        f"Chỉ tiêu 1 của nghị quyết 01-NQ/ĐH (P-D1-C1) đã được Hoàng Thị Lan sửa lúc {when}, "
        "sau khi tệp này được xuất; nhập tệp này sẽ xóa mất thay đổi đó. Chưa lưu gì: "
        "hãy xuất lại tệp, hoặc chép các thay đổi của bạn vào một tệp mới xuất."
    )
    # all or nothing: the row the web did not touch is not stored either, and the web change stays
    kept = _assessment(tree, "P-D1-C1")
    assert (kept.status, kept.note, kept.version) == (Status.HARD, "Mưa lũ", web.version)
    assert _assessment(tree, "P-D1-C1", "2").status == Status.ACHIEVED
    assert AssessmentChange.objects.count() == 1


def test_rows_the_old_copy_does_not_change_are_no_conflict(tree):
    exported = workbook_export(committee=tree["P-D1-C1"])
    assess_one(assessment=_assessment(tree, "P-D1-C1"), status=Status.HARD, note="web")
    # the changed row now says what is stored: nothing to undo
    copy = _edit(
        exported, {("P-D1-C1", "1"): {"J": "Khó đạt", "K": "web"}, ("P-D1-C1", "2"): {"K": "ghi chú"}}
    )
    result = workbook_import(data=copy, term_code="2020-2025")
    assert result.ok, result.errors
    assert result.assessments_changed == 1 and _assessment(tree, "P-D1-C1", "2").note == "ghi chú"


def test_the_same_export_imported_twice_changes_nothing_the_second_time(tree):
    copy = _edit(
        workbook_export(committee=tree["P-D1"]), {("P-D1", "1"): {"J": "Không đạt", "K": "Thiếu vốn"}}
    )
    first = workbook_import(data=copy, term_code="2020-2025")
    assert first.ok and first.assessments_changed == 1
    second = workbook_import(data=copy, term_code="2020-2025")
    assert second.ok, second.errors
    assert not second.changes_anything and AssessmentChange.objects.count() == 1


def test_two_secretaries_from_one_export_the_second_is_refused_for_the_rows_the_first_changed(tree):
    exported = workbook_export(committee=tree["P-D1"])
    note_2 = _assessment(tree, "P-D1", "2").note
    first = _edit(exported, {("P-D1", "1"): {"J": "Không đạt", "K": "A"}})
    second = _edit(exported, {("P-D1", "1"): {"J": "Khó đạt", "K": "B"}, ("P-D1", "2"): {"K": "B"}})
    assert workbook_import(data=first, term_code="2020-2025").ok
    result = workbook_import(data=second, term_code="2020-2025")
    assert [(e.row, e.column) for e in result.errors] == [(2, "")]
    assert "Chỉ tiêu 1 của nghị quyết 01-NQ/ĐH (P-D1) đã được hệ thống sửa lúc" in result.errors[0].message
    assert (_assessment(tree, "P-D1").note, _assessment(tree, "P-D1", "2").note) == ("A", note_2)


def test_a_workbook_without_stamps_is_imported_as_before(tree):
    exported = workbook_export(committee=tree["P-D1"])
    assess_one(assessment=_assessment(tree, "P-D1"), status=Status.HARD, note="web")
    wb = openpyxl.load_workbook(io.BytesIO(_edit(exported, {("P-D1", "1"): {"K": "tay"}})))
    del wb["Phiên bản xuất"]  # as if built by hand from the template
    out = io.BytesIO()
    wb.save(out)
    result = workbook_import(data=out.getvalue(), term_code="2020-2025")
    assert result.ok, result.errors
    assert _assessment(tree, "P-D1").note == "tay"


# ---- 3. other formats get a message people recognise ---------------------------------------------


def _ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


HOW = "trong LibreOffice Calc chọn Tệp → Lưu dưới dạng… → kiểu tệp “Excel 2007-365 (.xlsx)”"


@pytest.mark.parametrize(
    ("data", "filename", "found"),
    [
        (
            _ods(),
            "so-lieu.ods",
            "Tệp này là tệp .ods của LibreOffice Calc (OpenDocument), không phải tệp Excel .xlsx.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "so-lieu.xls",
            "Tệp này là tệp Excel 97-2003 (.xls)",
        ),
        ("Mã đơn vị;Tên\nP;Tỉnh\n".encode(), "so-lieu.csv", "Tệp này là tệp văn bản CSV"),
        (b"\xff\xfe\x00\x01binary", "so-lieu.csv", "Tệp này là tệp văn bản CSV"),
    ],
    ids=["ods", "xls", "csv", "csv by name"],
)
def test_other_formats_are_named_with_how_to_save_as_xlsx(db, data, filename, found):
    result = workbook_import(data=data, term_code="2030-2035", filename=filename)
    (error,) = result.errors
    assert error.message.startswith(found)
    assert HOW in error.message and "Excel chọn Tệp → Lưu dưới dạng…" in error.message


def test_csv_is_explained(db):
    (error,) = workbook_import(data=b"a,b\n1,2\n", term_code="2030-2035").errors
    assert "chỉ giữ được một trang" in error.message


# ---- 4. drop-down and frozen header survive a re-save ---------------------------------------------


def test_drop_down_range_is_one_calc_keeps_and_survives_a_resave(tree):
    data = workbook_export(committee=tree["P"])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    out = io.BytesIO()
    wb.save(out)  # a second writer's save, read back
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Chỉ tiêu"]
    (validation,) = ws.data_validations.dataValidation
    # LibreOffice Calc keeps a drop-down only down to 1,000 rows below the last filled row
    assert ws.max_row == 1 + Indicator.objects.count()
    assert str(validation.sqref) == f"J2:J{ws.max_row + 1000}"
    assert ws.freeze_panes == "A2"
