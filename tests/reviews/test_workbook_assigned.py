"""The workbook's `Đơn vị giao` column: indicators assigned from above, exported and imported."""

import io

import pytest
from openpyxl import load_workbook

from indicators.assignments import assigned_tally
from indicators.models import AssessmentChange, Committee, Indicator, IndicatorChange, ResolutionKind
from reviews.workbook.exporter import workbook_export
from reviews.workbook.services import workbook_import
from tests import assigned_case
from tests.reviews.workbook_files import INDICATOR_HEADER, indicator, xlsx

HEADER = [*INDICATOR_HEADER, "Đơn vị giao"]
COMMITTEES = [
    ["HB", "Tỉnh ủy Hòa Bình", "tỉnh", ""],
    ["HB-LS", "Huyện ủy Lương Sơn", "huyện", "HB"],
    ["HB-LS-X", "Đảng ủy xã Cư Yên", "xã", "HB-LS"],
]


def _rows():
    above = [indicator("HB", str(n), "Chưa đánh giá", resolution="17-NQ/ĐH") + [""] for n in (1, 2)]
    own = [indicator("HB-LS", "1", "Đạt và vượt", resolution="25-NQ/ĐH") + [""]]
    assigned = [
        indicator("HB-LS", "2", "Khó đạt", note="Thiếu vốn", resolution="17-NQ/ĐH", kind="", target="≥ 60")
        + ["HB"]
    ]
    return above + own + assigned


def test_a_row_with_assigned_by_becomes_the_assignees_indicator_of_the_one_above(db):
    result = workbook_import(data=xlsx(COMMITTEES, _rows(), indicator_header=HEADER), term_code="2020-2025")
    assert result.ok, result.errors
    copy = Indicator.objects.get(resolution__committee__code="HB-LS", resolution__number="17-NQ/ĐH")
    above = Indicator.objects.get(resolution__committee__code="HB", number="2")
    assert copy.assigned_from == above and copy.target == "≥ 60"
    assert copy.resolution.kind == ResolutionKind.FROM_ABOVE
    assert copy.resolution.assigned_from == above.resolution
    district = Committee.objects.get(code="HB-LS")
    assert district.n_achieved == 1 and district.n_hard == 0  # never in its own tally
    assigned = assigned_tally(committee=district)
    assert assigned.as_dict()["from"] == "HB" and assigned.tally.hard == 1


@pytest.mark.parametrize(
    ("assigned_by", "number", "message"),
    [
        ("XX", "1", "“XX” không phải đơn vị cấp trên trực tiếp của “HB-LS-X”"),
        ("HB", "1", "“HB” không phải đơn vị cấp trên trực tiếp của “HB-LS-X”"),
    ],
)
def test_assigned_by_must_be_the_direct_parent(db, assigned_by, number, message):
    rows = _rows() + [indicator("HB-LS-X", number, "Đạt và vượt", resolution="17-NQ/ĐH") + [assigned_by]]
    result = workbook_import(data=xlsx(COMMITTEES, rows, indicator_header=HEADER), term_code="2020-2025")
    assert not result.ok
    assert any(message in e.message and e.row == 6 for e in result.errors), result.errors


def test_an_indicator_above_that_does_not_exist_is_an_error_naming_the_row(db):
    rows = _rows() + [indicator("HB-LS", "9", "Đạt và vượt", resolution="17-NQ/ĐH") + ["HB"]]
    result = workbook_import(data=xlsx(COMMITTEES, rows, indicator_header=HEADER), term_code="2020-2025")
    assert not result.ok
    [error] = result.errors
    assert error.row == 6 and "không có chỉ tiêu số 9 của Nghị quyết Đại hội 17-NQ/ĐH" in error.message


def test_the_luong_son_export_writes_assigned_by_and_reads_back_unchanged(term):
    ls = assigned_case.build(term)
    data = workbook_export(committee=ls.province)
    sheet = load_workbook(io.BytesIO(data))["Chỉ tiêu"]
    header = [c.value for c in sheet[1]]
    at = {name: header.index(name) for name in ("Mã đơn vị", "Nghị quyết", "STT", "Mục tiêu", "Đơn vị giao")}
    rows = [[r[i].value for i in at.values()] for r in sheet.iter_rows(min_row=2)]
    assert ["HB-LS", "17-NQ/ĐH", "1", "65", "HB"] in rows
    assert ["HB", "17-NQ/ĐH", "1", "70", None] in rows
    assert sum(1 for r in rows if r[-1] == "HB") == 17 + 2
    changes = (AssessmentChange.objects.count(), IndicatorChange.objects.count())
    again = workbook_import(data=data, term_code="2020-2025")
    assert again.ok, again.errors
    assert again.assessments_changed == 0
    assert (AssessmentChange.objects.count(), IndicatorChange.objects.count()) == changes


def test_assigned_by_into_the_assignees_own_resolution_of_that_number_is_an_error(db):
    assert workbook_import(data=xlsx(COMMITTEES, _rows(), indicator_header=HEADER), term_code="2020-2025").ok
    # The province's row numbered like Lương Sơn's own resolution, and a row assigning it there.
    rows = [
        indicator("HB", "5", "Chưa đánh giá", resolution="25-NQ/ĐH") + [""],
        indicator("HB-LS", "5", "Đạt và vượt", resolution="25-NQ/ĐH", kind="") + ["HB"],
    ]
    result = workbook_import(data=xlsx(COMMITTEES, rows, indicator_header=HEADER), term_code="2020-2025")
    assert not result.ok
    [error] = result.errors
    assert error.row == 3 and "HB-LS đã có nghị quyết số 25-NQ/ĐH của chính mình" in error.message
