"""The workbook's `Thuộc chỉ tiêu` column: indicators with parts (domain.md, "Indicators with parts")."""

import io

from openpyxl import load_workbook

from indicators.models import Assessment, AssessmentChange, Committee, Indicator, IndicatorChange
from indicators.selectors import committee_rollup, counters_drift, indicators_json
from indicators.tally import Tally
from reviews.workbook.exporter import workbook_export
from reviews.workbook.services import workbook_import
from tests.reviews.workbook_files import INDICATOR_HEADER, indicator, xlsx

HEADER = [*INDICATOR_HEADER, "Thuộc chỉ tiêu"]


def row(number, status="Đạt và vượt", part_of="", resolution="01-NQ/ĐH", **extra):
    note = "Lý do" if status and status not in ("Đạt và vượt",) else ""
    return [*indicator("DB", number, status, note=note, resolution=resolution, **extra), part_of]


def province(rows):
    return xlsx([["DB", "Đảng bộ tỉnh Điện Biên", "tỉnh", ""]], rows, indicator_header=HEADER)


def run(data):
    return workbook_import(data=data, term_code="2020-2025")


def dien_bien_rows():
    """18 groups of indicators, 10 achieved; 5 has parts 5.1 and 5.2, 12 has parts 12a and 12b."""
    rows = []
    for n in range(1, 19):
        status = "Đạt và vượt" if n <= 10 else "Khó đạt" if n <= 16 else "Không đạt"
        rows.append(row(str(n), status))
        if n == 5:
            rows += [row("5.1", "", "5", target="100", value="95"), row("5.2", "", "5", target="80")]
        if n == 12:
            rows += [row("12a", "", "12", target="50"), row("12b", "", "12")]
    return rows


def test_dien_bien_parts_import_and_the_tally_counts_the_18_groups(db):
    result = run(province(dien_bien_rows()))
    assert result.ok, result.errors
    committee = Committee.objects.get(code="DB")
    own = committee_rollup(committee=committee).own
    assert own == Tally(achieved=10, hard=6, not_achieved=2)
    assert own.sentence().startswith("10/18 chỉ tiêu có khả năng đạt và vượt")
    assert dict(Indicator.objects.filter(group__isnull=False).values_list("number", "group__number")) == {
        "5.1": "5",
        "5.2": "5",
        "12a": "12",
        "12b": "12",
    }
    assert Indicator.objects.get(number="5.2").target == "80"
    assert Assessment.objects.get(indicator__number="5.1").value == "95"
    data = indicators_json(committee=committee)
    assert len(data["indicators"]) == 18
    assert [p["number"] for p in data["indicators"][11]["parts"]] == ["12a", "12b"]
    assert counters_drift(term=committee.term) == []


def test_the_export_writes_the_group_and_reads_back_unchanged(db):
    assert run(province(dien_bien_rows())).ok
    data = workbook_export(committee=Committee.objects.get(code="DB"))
    sheet = load_workbook(io.BytesIO(data))["Chỉ tiêu"]
    header = [c.value for c in sheet[1]]
    number_at, group_at = header.index("STT"), header.index("Thuộc chỉ tiêu")
    written = {r[number_at].value: r[group_at].value for r in sheet.iter_rows(min_row=2)}
    assert written["5.1"] == "5" and written["12b"] == "12" and written["5"] is None
    changes, content = AssessmentChange.objects.count(), IndicatorChange.objects.count()
    again = run(data)
    assert again.ok, again.errors
    assert again.assessments_changed == 0
    assert (AssessmentChange.objects.count(), IndicatorChange.objects.count()) == (changes, content)


def test_a_row_can_join_and_leave_a_group_and_the_tally_follows(db):
    assert run(province([row("1"), row("2"), row("3", "Khó đạt")])).ok
    # 3 becomes a part of 1: it leaves the tally and its status is emptied in the same import.
    result = run(province([row("1"), row("2"), row("3", "", "1")]))
    assert result.ok, result.errors
    committee = Committee.objects.get(code="DB")
    assert committee_rollup(committee=committee).own == Tally(achieved=2)
    assert Indicator.objects.get(number="3").group.number == "1"
    assert run(province([row("1"), row("2"), row("3", "Khó đạt", "")])).ok
    assert committee_rollup(committee=committee).own == Tally(achieved=2, hard=1)
    assert counters_drift(term=committee.term) == []


def test_a_file_without_the_column_keeps_the_stored_groups(db):
    assert run(province([row("1"), row("1.1", "", "1")])).ok
    plain = xlsx(
        [["DB", "Đảng bộ tỉnh Điện Biên", "tỉnh", ""]], [indicator("DB", "1"), indicator("DB", "1.1", "")]
    )
    assert run(plain).ok
    assert Indicator.objects.get(number="1.1").group.number == "1"


def _errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def test_an_unknown_stt_is_an_error_naming_the_row(db):
    result = run(province([row("1"), row("2", "", "9")]))
    assert not result.ok
    [(at, column, message)] = _errors(result)
    assert (at, column) == (3, "Thuộc chỉ tiêu (L)")
    assert "“9”" in message
    assert not Indicator.objects.exists()


def test_a_part_of_a_part_is_an_error_naming_the_row(db):
    result = run(province([row("1"), row("1.1", "", "1"), row("1.1.1", "", "1.1")]))
    [(at, _column, message)] = _errors(result)
    assert at == 4 and "một cấp" in message
    assert not Indicator.objects.exists()


def test_a_group_in_another_resolution_is_an_error_naming_the_row(db):
    rows = [row("1"), row("7", resolution="02-NQ/TU"), row("1.1", "", "7")]
    result = run(province(rows))
    [(at, _column, message)] = _errors(result)
    assert at == 4 and "“7”" in message
    assert not Indicator.objects.exists()


def test_a_status_on_a_part_is_an_error_naming_the_row(db):
    result = run(province([row("1"), row("1.1", "Đạt và vượt", "1")]))
    [(at, column, message)] = _errors(result)
    assert (at, column) == (3, "Đánh giá (J)")
    assert "đánh giá cả nhóm" in message
