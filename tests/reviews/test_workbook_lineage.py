"""The workbook's `Đơn vị tiền thân` and `Chỉ tiêu kỳ trước` (spec/workbook.md, "Real variety")."""

import io

import pytest
from openpyxl import load_workbook

from indicators.models import Committee, Indicator, IndicatorChange, PredecessorChange
from reviews.workbook.exporter import workbook_export
from reviews.workbook.services import workbook_import
from tests.reviews.workbook_files import COMMITTEE_HEADER, INDICATOR_HEADER, indicator, xlsx

UNITS = [*COMMITTEE_HEADER, "Đơn vị tiền thân"]
ROWS = [*INDICATOR_HEADER, "Chỉ tiêu kỳ trước"]


@pytest.fixture
def old_term(db):
    """2020–2025: Thái Nguyên and Bắc Kạn, each with a resolution of two indicators."""
    data = xlsx(
        [["TN", "Đảng bộ tỉnh Thái Nguyên", "tỉnh", ""], ["BK", "Đảng bộ tỉnh Bắc Kạn", "tỉnh", ""]],
        [indicator("TN", "1"), indicator("TN", "2"), indicator("BK", "1", resolution="16-NQ/ĐH")],
    )
    result = workbook_import(data=data, term_code="2020-2025")
    assert result.ok, result.errors


def new_term(predecessors="TN, BK", ref="BK/16-NQ/ĐH/1"):
    return xlsx(
        [["TN", "Đảng bộ tỉnh Thái Nguyên", "tỉnh", "", predecessors]],
        [[*indicator("TN", "1"), ref], [*indicator("TN", "2"), ""]],
        committee_header=UNITS,
        indicator_header=ROWS,
    )


def test_a_new_term_names_its_predecessors_and_carried_indicators(old_term):
    result = workbook_import(data=new_term(), term_code="2025-2030")
    assert result.ok, result.errors
    tn = Committee.objects.get(term__code="2025-2030", code="TN")
    assert sorted(tn.predecessors.values_list("code", "term__code")) == [
        ("BK", "2020-2025"),
        ("TN", "2020-2025"),
    ]
    first = Indicator.objects.get(resolution__committee=tn, number="1")
    assert (first.predecessor.resolution.committee.code, first.predecessor.resolution.number) == (
        "BK",
        "16-NQ/ĐH",
    )
    assert Indicator.objects.get(resolution__committee=tn, number="2").predecessor is None
    assert PredecessorChange.objects.get().source == "import"
    assert IndicatorChange.objects.filter(indicator=first, action="changed").get().new == {
        "predecessor": "BK/16-NQ/ĐH/1@2020-2025"
    }
    assert "2 đơn vị hoặc chỉ tiêu đổi tiền thân ở nhiệm kỳ trước" in result.summary()
    # The same file again changes nothing.
    again = workbook_import(data=new_term(), term_code="2025-2030")
    assert again.ok and not again.changes_anything, again.summary()


def test_unknown_codes_and_indicators_are_errors_naming_the_row(old_term):
    result = workbook_import(data=new_term(predecessors="TN, HG", ref="BK/16-NQ/ĐH/9"), term_code="2025-2030")
    assert not result.ok
    messages = {(p.sheet, p.row, p.message) for p in result.errors}
    assert ("Đơn vị", 2, "Không có đơn vị mã HG trong nhiệm kỳ 2020-2025.") in messages
    assert ("Chỉ tiêu", 2, "Không có chỉ tiêu “BK/16-NQ/ĐH/9” trong nhiệm kỳ 2020-2025.") in messages
    assert not Committee.objects.filter(term__code="2025-2030").exists()
    bad = workbook_import(data=new_term(ref="BK-16"), term_code="2025-2030")
    assert any("MÃ ĐƠN VỊ/SỐ NGHỊ QUYẾT/STT" in p.message for p in bad.errors)


def test_a_term_without_one_before_refuses_the_columns(db):
    result = workbook_import(data=new_term(), term_code="2025-2030")
    assert not result.ok
    assert any("không có nhiệm kỳ trước" in p.message for p in result.errors)


def test_only_staff_change_them(old_term, make_user):
    assert workbook_import(data=new_term(predecessors="TN"), term_code="2025-2030").ok
    tn = Committee.objects.get(term__code="2025-2030", code="TN")
    secretary = make_user("s", tn, role="secretary")
    result = workbook_import(data=new_term(predecessors="TN, BK"), term_code="2025-2030", by=secretary)
    assert any("Bạn không có quyền sửa đơn vị tiền thân" in p.message for p in result.errors)
    assert list(tn.predecessors.values_list("code", flat=True)) == ["TN"]


def test_the_export_writes_both_columns_and_reads_back_unchanged(old_term):
    assert workbook_import(data=new_term(), term_code="2025-2030").ok
    tn = Committee.objects.select_related("term").get(term__code="2025-2030", code="TN")
    data = workbook_export(committee=tn)
    wb = load_workbook(io.BytesIO(data))
    units = list(wb["Đơn vị"].values)
    assert units[0][-1] == "Đơn vị tiền thân" and units[1][-1] == "BK, TN"
    rows = list(wb["Chỉ tiêu"].values)
    assert rows[0][-1] == "Chỉ tiêu kỳ trước" and rows[1][-1] == "BK/16-NQ/ĐH/1"
    again = workbook_import(data=data, term_code="2025-2030")
    assert again.ok and not again.changes_anything, again.summary()
    # A term without one before keeps the columns it always had.
    old = Committee.objects.select_related("term").get(term__code="2020-2025", code="BK")
    assert "Đơn vị tiền thân" not in next(
        load_workbook(io.BytesIO(workbook_export(committee=old)))["Đơn vị"].values
    )


def test_the_draft_of_a_new_term_lists_the_predecessors_indicators_and_imports_back(old_term, make_user):
    from indicators.lineage import baseline_of
    from indicators.results import Results
    from indicators.services.assessments import AssessmentEdit, assessments_update

    # Bắc Kạn's indicator ended the term at 55,5 (an estimate): the new target starts there.
    old = Indicator.objects.with_assessment().get(resolution__committee__code="BK", number="1")
    assessments_update(
        edits=[
            AssessmentEdit(
                old.assessment.pk, old.assessment.status, value="4,3",
                results=Results.build(years={2025: ("55,5", True)}),
            )
        ]
    )  # fmt: skip
    new_tree = xlsx(
        [
            ["TN", "Đảng bộ tỉnh Thái Nguyên", "tỉnh", "", "TN, BK"],
            ["TN-CM", "Đảng bộ xã Chợ Mới", "xã", "TN", ""],
        ],
        None,
        committee_header=UNITS,
    )
    assert workbook_import(data=new_tree, term_code="2025-2030").ok
    tn = Committee.objects.select_related("term").get(term__code="2025-2030", code="TN")
    data = workbook_export_draft(tn)
    rows = list(load_workbook(io.BytesIO(data))["Chỉ tiêu"].values)
    header, body = rows[0], rows[1:]
    assert header[-1] == "Chỉ tiêu kỳ trước"
    picked = [(r[0], r[1], r[3], r[7], r[-1]) for r in body]
    assert picked == [
        ("TN", "Dự thảo", "1", "55,5", "BK/16-NQ/ĐH/1"),
        ("TN", "Dự thảo", "2", None, "TN/01-NQ/ĐH/1"),
        ("TN", "Dự thảo", "3", None, "TN/01-NQ/ĐH/2"),
    ]
    result = workbook_import(data=data, term_code="2025-2030")
    assert result.ok, result.errors
    carried = (
        Indicator.objects.with_assessment()
        .select_related("predecessor__resolution__committee__term")
        .prefetch_related("predecessor__assessments")
        .get(resolution__committee=tn, number="1")
    )
    assert carried.target == "55,5" and carried.predecessor_id == old.pk
    assert baseline_of(carried).value == "55,5" and baseline_of(carried).carried


def workbook_export_draft(committee):
    from reviews.workbook.exporter import draft_export

    return draft_export(committee=committee)


def test_the_draft_is_for_staff(client, old_term, make_user):
    from django.urls import reverse

    assert workbook_import(data=new_term(), term_code="2025-2030").ok
    tn = Committee.objects.get(term__code="2025-2030", code="TN")
    url = reverse("workbook_draft", args=["TN"]) + "?term=2025-2030"
    client.force_login(make_user("s", tn, role="secretary"))
    assert client.get(url).status_code == 403
    client.force_login(make_user("staff", is_staff=True))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('-2025-2030.xlsx"')
