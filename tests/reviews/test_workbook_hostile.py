"""Hostile and careless workbooks (issue 12, items 1-3): refused cheaply, errors bounded, nothing leaked."""

import io
import zipfile

import pytest
import xlsxwriter

from indicators.models import Term
from reviews.workbook import reader
from reviews.workbook.exporter import workbook_export
from reviews.workbook.problems import SHOWN
from reviews.workbook.services import workbook_import
from tests.reviews.workbook_files import INDICATOR_HEADER, indicator, xlsx


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Fails the test if openpyxl is asked to parse the file: the scan must refuse it first."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl parsed a file the scan should have refused")

    # What reader._load builds to parse a workbook (it calls openpyxl's steps itself, not
    # openpyxl.load_workbook), and openpyxl's own entry, should a later reader call it.
    monkeypatch.setattr(reader, "ExcelReader", refuse)
    monkeypatch.setattr(reader.openpyxl, "load_workbook", refuse)


def _replace_part(data: bytes, name: str, chunks) -> bytes:
    """The workbook with part `name` replaced by the concatenation of `chunks`, streamed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != name:
                dst.writestr(item, src.read(item.filename))
        with dst.open(name, "w") as part:
            for chunk in chunks:
                part.write(chunk)
    return out.getvalue()


def test_shared_strings_flood_is_refused_before_parsing(tree, no_openpyxl):
    """11,000,000 shared strings: 187 MB unpacked, under the byte cap; refused at the count cap."""
    exported = workbook_export(committee=tree["P"])
    si = b"<si><t>a</t></si>" * 100_000
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    data = _replace_part(exported, "xl/sharedStrings.xml", [head, *([si] * 110), b"</sst>"])
    assert len(data) < 1_000_000  # a small upload…
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.getinfo("xl/sharedStrings.xml").file_size > 180_000_000  # …that unpacks to 187 MB
    result = workbook_import(data=data, term_code="2020-2025", dry_run=True)
    assert [e.message for e in result.errors] == [
        "Tệp có hơn 300.000 chuỗi chữ khác nhau, nhiều hơn mọi sổ chỉ tiêu thật; không đọc tệp này."
    ]


def _sheet_xml(rows: bytes) -> list[bytes]:
    return [
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>",
        rows,
        b"</sheetData></worksheet>",
    ]


def _sheet_part(data: bytes, title: str) -> str:
    """The part of sheet `title` in a workbook of tests.reviews.workbook_files (the sheets in order)."""
    index = ["Đơn vị", "Chỉ tiêu"].index(title) + 1
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert f"xl/worksheets/sheet{index}.xml" in z.namelist()
    return f"xl/worksheets/sheet{index}.xml"


def test_a_cell_far_to_the_right_is_refused_before_parsing(db, no_openpyxl):
    """One cell in column XFD per row: openpyxl would pad each row to 16,384 cells."""
    rows = b"".join(
        b'<row r="%d"><c r="XFD%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r) for r in range(2, 50)
    )
    data = xlsx([], [])
    data = _replace_part(data, _sheet_part(data, "Chỉ tiêu"), _sheet_xml(rows))
    result = workbook_import(data=data, term_code="2030-2035", dry_run=True)
    assert [e.message for e in result.errors] == [
        "Trang “Chỉ tiêu” có ô ở ngoài cột thứ 200; hãy xóa các cột thừa."
    ]


def test_a_row_wider_than_the_format_is_refused(db):
    """Cells without references follow one another: the count is bounded, the width refused."""
    row = b'<row r="2">' + b'<c t="inlineStr"><is><t>x</t></is></c>' * 5000 + b"</row>"
    data = xlsx([], [])
    data = _replace_part(data, _sheet_part(data, "Chỉ tiêu"), _sheet_xml(row))
    result = workbook_import(data=data, term_code="2030-2035", dry_run=True)
    assert [e.message for e in result.errors] == [
        "Trang “Chỉ tiêu” có ô ở ngoài cột thứ 200; hãy xóa các cột thừa."
    ]


def test_a_namespace_prefix_does_not_hide_cells_from_the_count(db, no_openpyxl, monkeypatch):
    monkeypatch.setattr(reader, "MAX_CELLS_PER_SHEET", 100)
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rows = b"".join(
        b'<x:row r="%d">' % r + b'<x:c t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c>' * 11 + b"</x:row>"
        for r in range(2, 20)
    )
    part = [
        b'<?xml version="1.0"?><x:worksheet xmlns:x="' + main + b'"><x:sheetData>',
        rows,
        b"</x:sheetData></x:worksheet>",
    ]
    data = xlsx([], [])
    data = _replace_part(data, _sheet_part(data, "Chỉ tiêu"), part)
    result = workbook_import(data=data, term_code="2030-2035", dry_run=True)
    assert "Trang “Chỉ tiêu” có hơn 100 ô có dữ liệu" in result.errors[0].message


def test_too_many_cells_and_rows_are_refused_before_parsing(db, no_openpyxl, monkeypatch):
    monkeypatch.setattr(reader, "MAX_CELLS_PER_SHEET", 100)
    rows = b"".join(
        b'<row r="%d">' % r + b'<c t="inlineStr"><is><t>x</t></is></c>' * 11 + b"</row>" for r in range(2, 20)
    )
    data = xlsx([], [])
    data = _replace_part(data, _sheet_part(data, "Chỉ tiêu"), _sheet_xml(rows))
    result = workbook_import(data=data, term_code="2030-2035", dry_run=True)
    assert "Trang “Chỉ tiêu” có hơn 100 ô có dữ liệu" in result.errors[0].message
    monkeypatch.setattr(reader, "MAX_CELLS_PER_SHEET", 10_000)
    monkeypatch.setattr(reader, "MAX_ROWS", 10)
    monkeypatch.setattr(reader, "_EMPTY_ROWS_ALLOWED", 0)
    result = workbook_import(data=data, term_code="2030-2035", dry_run=True)
    assert "Trang “Chỉ tiêu” có hơn 10 dòng" in result.errors[0].message


def test_entity_declarations_are_refused(db, no_openpyxl):
    data = xlsx([], [])
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><sst>&a;</sst>'
    data = _replace_part(data, "xl/sharedStrings.xml", [bomb])
    result = workbook_import(data=data, term_code="2030-2035", dry_run=True)
    assert "khai báo XML không được phép" in result.errors[0].message


def _bad_rows(n: int) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("Chỉ tiêu")
    ws.write_row(0, 0, INDICATOR_HEADER)
    for r in range(1, n + 1):
        ws.write_row(r, 0, indicator(f"NOPE{r}", str(r), status="??"))
    wb.close()
    return out.getvalue()


def test_fifty_thousand_bad_rows_list_200_errors_and_stop_checking(db):
    result = workbook_import(data=_bad_rows(50_000), term_code="2030-2035", dry_run=True)
    assert len(result.errors) == SHOWN
    # the sheet is given up after 1,000 errors: its message comes first, then the rows in order
    assert (
        result.errors[0].row is None
        and "quá nhiều lỗi nên đã dừng kiểm tra ở dòng 1002" in result.errors[0].message
    )
    assert [e.row for e in result.errors[1:4]] == [2, 3, 4]
    assert result.errors_more == 1_000 + 1 - SHOWN
    assert result.more_errors() == f"… và {1_000 + 1 - SHOWN} lỗi khác."
    assert not Term.objects.filter(code="2030-2035").exists()


def test_the_page_lists_200_errors_and_counts_the_rest(client, db, make_user):
    client.force_login(make_user("vanphong", is_staff=True))
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    response = client.post(
        reverse("workbook_import"),
        {"file": SimpleUploadedFile("x.xlsx", _bad_rows(1_500)), "term": "2030-2035", "action": "check"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Có 1001 lỗi; chưa lưu gì." in body
    assert body.count("<tr><td>Chỉ tiêu</td>") == SHOWN
    assert "… và 801 lỗi khác." in body


def _in_utf16(part: bytes, *, doctype: str = "") -> bytes:
    """A sheet part written in UTF-16 instead (which the scan's byte search cannot read), with
    `doctype` before its root element."""
    body = part.decode("utf-8")
    if body.startswith("<?xml"):
        body = body.split("?>", 1)[1]
    return ('<?xml version="1.0" encoding="UTF-16"?>' + doctype + body).encode("utf-16")


def _read_rows(data: bytes) -> tuple[list, list]:
    wb = reader.open_workbook(data)
    try:
        sheet = reader.open_sheet(wb["Chỉ tiêu"])
        return sheet.header, list(sheet.rows)
    finally:
        wb.close()


def _with_sheet_in_utf16(data: bytes, *, doctype: str = "") -> bytes:
    part = _sheet_part(data, "Chỉ tiêu")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        written = z.read(part)
    return _replace_part(data, part, [_in_utf16(written, doctype=doctype)])


def test_a_sheet_written_in_utf16_reads_as_in_utf8():
    data = xlsx([], [indicator("P", "7"), indicator("P", "8", status="Khó đạt")])
    header, rows = _read_rows(data)
    assert len(rows) == 2
    assert _read_rows(_with_sheet_in_utf16(data)) == (header, rows)


def test_a_dtd_the_scan_cannot_see_is_refused_before_the_sheet_is_parsed():
    """In UTF-16 the scan's byte search finds no DOCTYPE: the sheet's own read refuses it, as
    defusedxml refused its entities, so none of them can expand."""
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = _with_sheet_in_utf16(xlsx([], [indicator("P", "7")]), doctype=laughs)
    with pytest.raises(reader.WorkbookUnreadable) as refused:
        _read_rows(data)
    assert str(refused.value) == "Không đọc được trang “Chỉ tiêu”: tệp bị hỏng."
