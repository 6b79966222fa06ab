"""The workbook reads real reports' labels and the "vượt" mark (domain.md, "The real variety")."""

import io

import pytest
from openpyxl import load_workbook

from indicators.models import Assessment, AssessmentChange, Committee, Status
from indicators.selectors import committee_rollup, counters_drift
from indicators.tally import Tally
from reviews.workbook.exporter import workbook_export
from reviews.workbook.services import workbook_import
from tests.reviews.workbook_files import INDICATOR_HEADER, indicator, xlsx

EXCEEDED_HEADER = [*INDICATOR_HEADER, "Vượt"]


def run(data, term="2015-2020", **kw):
    return workbook_import(data=data, term_code=term, **kw)


def province(rows, header=None):
    return xlsx([["LC", "Đảng bộ tỉnh Lào Cai", "tỉnh", ""]], rows, indicator_header=header)


def test_lao_cai_12_vuot_11_dat_100_2_khong_dat_gives_the_reports_sentence(db):
    rows = [indicator("LC", str(n), "vượt") for n in range(1, 13)]
    rows += [indicator("LC", str(n), "đạt 100%") for n in range(13, 24)]
    rows += [indicator("LC", str(n), "Không đạt", note="Thiếu vốn") for n in (24, 25)]
    result = run(province(rows))
    assert result.ok, result.errors
    lao_cai = committee_rollup(committee=Committee.objects.get(code="LC"))
    assert lao_cai.own == Tally(achieved=23, exceeded=12, not_achieved=2)
    assert lao_cai.own.sentence() == (
        "23/25 chỉ tiêu có khả năng đạt và vượt (trong đó 12 chỉ tiêu vượt); 2 chỉ tiêu không đạt"
    )
    assert "“đạt 100%” → Đạt và vượt: 11 dòng" in result.summary()
    assert "“vượt” → Đạt và vượt (vượt): 12 dòng" in result.summary()
    assert counters_drift(term=lao_cai.committee.term) == []


def test_tu_ha_co_ban_dat_counts_as_achieved(db):
    rows = [indicator("LC", str(n), "Đạt và vượt") for n in range(1, 16)] + [
        indicator("LC", "16", "cơ bản đạt")
    ]
    result = run(province(rows))
    assert result.ok, result.errors
    own = committee_rollup(committee=Committee.objects.get(code="LC")).own
    assert own.sentence() == "16/16 chỉ tiêu có khả năng đạt và vượt"
    assert result.labels_read == {("cơ bản đạt", Status.ACHIEVED, False): 1}


def test_nghi_thu_chua_dat_is_not_achieved(db):
    rows = [indicator("LC", str(n), "đạt và vượt") for n in range(1, 16)]
    rows += [indicator("LC", str(n), "chưa đạt", note="n") for n in range(16, 29)]
    assert run(province(rows)).ok
    own = committee_rollup(committee=Committee.objects.get(code="LC")).own
    assert own.sentence() == "15/28 chỉ tiêu có khả năng đạt và vượt; 13 chỉ tiêu không đạt"


@pytest.mark.parametrize(
    ("label", "status", "exceeded"),
    [
        ("  HOÀN THÀNH VƯỢT MỨC ", "achieved", True),
        ("Có khả năng vượt", "achieved", True),
        ("đạt kế hoạch", "achieved", False),
        ("Khó hoàn thành", "hard", False),
        ("không hoàn thành", "not_achieved", False),
        ("Chưa có số liệu", "not_assessable", False),
        ("Chưa thể đánh giá", "not_assessable", False),
        ("Cannot yet be assessed", "not_assessable", False),
        ("", "not_assessed", False),
    ],
)
def test_every_label_of_the_table_is_read_whatever_its_case_and_spaces(db, label, status, exceeded):
    assert run(province([indicator("LC", "1", label, note="Chưa có thống kê năm 2022")])).ok
    assert Assessment.objects.values_list("status", "exceeded").get() == (status, exceeded)


def test_any_other_label_is_refused_naming_the_row_the_label_and_the_accepted_words(db):
    result = run(province([indicator("LC", "1", "Đạt"), indicator("LC", "2", "phấn đấu đạt")]))
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column) == (3, "Đánh giá (J)")
    assert "“phấn đấu đạt”" in error.message
    for accepted in (
        "Đạt và vượt",
        "Chưa thể đánh giá",
        "đạt 100%",
        "hoàn thành vượt mức",
        "chưa có số liệu",
    ):
        assert accepted in error.message
    assert not Assessment.objects.exists()


def test_the_exceeded_column_sets_the_mark_and_refuses_it_beside_another_status(db):
    rows = [[*indicator("LC", "1", "Đạt và vượt"), "x"], [*indicator("LC", "2", "Đạt và vượt"), ""]]
    assert run(province(rows, EXCEEDED_HEADER)).ok
    assert dict(Assessment.objects.values_list("indicator__number", "exceeded")) == {"1": True, "2": False}
    result = run(province([[*indicator("LC", "2", "Khó đạt", note="n"), "có"]], EXCEEDED_HEADER))
    assert [(e.row, e.message) for e in result.errors] == [(2, "Chỉ chỉ tiêu đạt mới có thể đánh dấu vượt.")]


def test_not_assessable_without_a_note_is_warned_when_set_up(db):
    # indicators.notes: a new indicator of a term being set up is warned; the committee writes
    # the reason before it sends.
    result = run(province([indicator("LC", "1", "chưa thể đánh giá")]))
    assert result.ok
    assert any("“Chưa thể đánh giá” cần ghi chú nêu lý do" in w.message for w in result.warnings)


def test_the_export_writes_canonical_labels_and_the_mark_and_reads_back_unchanged(db):
    rows = [indicator("LC", "1", "vượt kế hoạch"), indicator("LC", "2", "chưa có số liệu", note="n")]
    rows += [indicator("LC", "3", "đạt 100%"), indicator("LC", "4", "Khó đạt", note="n")]
    assert run(province(rows)).ok
    data = workbook_export(committee=Committee.objects.get(code="LC"))
    sheet = load_workbook(io.BytesIO(data))["Chỉ tiêu"]
    header = [c.value for c in sheet[1]]
    status_at, mark_at = header.index("Đánh giá"), header.index("Vượt")
    assert mark_at > header.index("Dự báo cuối kỳ")  # after every earlier column: no letter moved
    written = [(r[status_at].value, r[mark_at].value) for r in sheet.iter_rows(min_row=2)]
    assert written == [
        ("Đạt và vượt", "x"),
        ("Chưa thể đánh giá", None),
        ("Đạt và vượt", None),
        ("Khó đạt", None),
    ]
    changes = AssessmentChange.objects.count()
    again = run(data)
    assert again.ok, again.errors
    assert again.assessments_changed == 0 and AssessmentChange.objects.count() == changes
    assert again.labels_read == {}


def test_a_file_without_the_exceeded_column_keeps_the_stored_mark(db):
    assert run(province([indicator("LC", "1", "vượt")])).ok
    assert run(province([indicator("LC", "1", "Đạt và vượt", value="9")])).ok
    assert Assessment.objects.values_list("exceeded", "value").get() == (True, "9")


def test_quang_nam_a_range_target_is_kept_as_typed_and_suggests_from_its_low_end(db):
    header = [*INDICATOR_HEADER, "Cách tính", "Năm 2021", "Năm 2022", "Năm 2023"]
    row = [
        *indicator("LC", "1", "Khó đạt", note="Dịch bệnh", target="7,5 - 8"),
        "bình quân",
        "3,1",
        "4,2",
        "4,1",
    ]
    result = run(province([row], header), term="2020-2025")
    assert result.ok, result.errors
    a = Assessment.objects.select_related("indicator").get()
    assert a.indicator.target == "7,5 - 8"
    assert (a.suggested_status, a.progress) == ("not_achieved", round(3.8 / 7.5, 3))
    sheet = load_workbook(io.BytesIO(workbook_export(committee=Committee.objects.get(code="LC"))))["Chỉ tiêu"]
    header_row = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header_row.index("Mục tiêu") + 1).value == "7,5 - 8"


ADJUSTED_HEADER = [*INDICATOR_HEADER, "Mục tiêu điều chỉnh", "Văn bản điều chỉnh"]


def test_an_adjusted_target_imports_suggests_from_it_and_exports_back_unchanged(db):
    from indicators.models import Indicator, IndicatorChange

    header = [*ADJUSTED_HEADER, "Cách tính", "Năm 2021", "Năm 2022", "Năm 2023"]
    row = [
        *indicator("LC", "1", "Đạt và vượt", target="7,5 – 8"),
        "6",
        "15-NQ/TU ngày 10/3/2022",
        "bình quân",
        "6",
        "6,2",
        "6,4",
    ]
    result = run(province([row], header), term="2020-2025")
    assert result.ok, result.errors
    stored = Indicator.objects.with_assessment().get()
    assert (stored.target, stored.target_adjusted, stored.target_adjusted_by) == (
        "7,5 – 8",
        "6",
        "15-NQ/TU ngày 10/3/2022",
    )
    assert stored.assessment.suggested_status == Status.ACHIEVED  # 6,2 against 6, not against 7,5

    data = workbook_export(committee=Committee.objects.get(code="LC"))
    sheet = load_workbook(io.BytesIO(data))["Chỉ tiêu"]
    header_row = [c.value for c in sheet[1]]
    cells_ = {h: c.value for h, c in zip(header_row, sheet[2], strict=True)}
    assert (cells_["Mục tiêu"], cells_["Mục tiêu điều chỉnh"], cells_["Văn bản điều chỉnh"]) == (
        "7,5 – 8",
        "6",
        "15-NQ/TU ngày 10/3/2022",
    )
    history = IndicatorChange.objects.count()
    again = run(data, term="2020-2025")
    assert again.ok, again.errors
    assert IndicatorChange.objects.count() == history  # nothing changed, nothing written

    # A file adjusting it again changes it, with its history row; one without the columns keeps it.
    row[len(INDICATOR_HEADER)] = "6,5"
    assert run(province([row], header), term="2020-2025").ok
    stored.refresh_from_db()
    assert stored.target_adjusted == "6,5"
    change = IndicatorChange.objects.filter(indicator=stored, action="changed").get()
    assert change.new == {"target_adjusted": "6,5"}
    assert run(province([indicator("LC", "1", "Đạt và vượt", target="7,5 – 8")]), term="2020-2025").ok
    stored.refresh_from_db()
    assert (stored.target_adjusted, stored.target_adjusted_by) == ("6,5", "15-NQ/TU ngày 10/3/2022")


def test_an_adjusted_target_without_its_decision_is_an_error_naming_the_row(db):
    row = [*indicator("LC", "1", "Đạt và vượt"), "6", ""]
    result = run(province([row], ADJUSTED_HEADER))
    assert not result.ok
    (error,) = result.errors
    assert error.row == 2 and "cần ghi văn bản điều chỉnh" in error.message
