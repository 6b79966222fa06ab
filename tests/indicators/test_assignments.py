"""Indicators assigned from above: the write, the assignee's second tally, the side-by-side."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from indicators.access import Refused
from indicators.assignments import assigned_below, assigned_tally, indicator_assign
from indicators.models import IndicatorChange, Resolution, ResolutionKind, Status
from indicators.selectors import committee_rollup, counters_drift
from indicators.services.indicators import indicator_delete
from indicators.services.resolutions import resolution_delete
from indicators.tally import Tally
from tests import assigned_case
from tests.conftest import assess_one


@pytest.fixture
def ls(term):
    return assigned_case.build(term)


def test_luong_son_own_and_assigned_sentences_are_never_added(ls):
    ls.district.refresh_from_db()
    assert Tally.of_committee(ls.district).sentence() == (
        "10/18 chỉ tiêu có khả năng đạt và vượt; 6 chỉ tiêu khó đạt; 2 chỉ tiêu không đạt"
    )
    assigned = assigned_tally(committee=ls.district)
    assert assigned is not None
    assert assigned.sentence() == (
        "Thực hiện chỉ tiêu Nghị quyết Đại hội tỉnh trên địa bàn: 10/17 chỉ tiêu có khả năng đạt và vượt; "
        "4 chỉ tiêu khó đạt; 2 chỉ tiêu không đạt; 1 chỉ tiêu chưa đánh giá"
    )
    # The counters (and so every rollup) hold the own 18 only, and agree with a fresh count.
    assert committee_rollup(committee=ls.province).subtree.total == 17 + 18 + 0
    assert counters_drift(term=ls.district.term) == []


def test_assigned_sentence_in_english(ls, settings):
    from django.utils import translation

    with translation.override("en"):
        sentence = assigned_tally(committee=ls.district).sentence()
    assert sentence.startswith(
        "Indicators of the province's Congress resolution on this territory: 10/17 indicators"
    )


def test_tally_command_prints_both_lines_and_json_keeps_assigned_apart(ls):
    out = StringIO()
    call_command("tally", "HB-LS", "--term", "2020-2025", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("10/18 ")
    assert lines[1].startswith("Thực hiện chỉ tiêu Nghị quyết Đại hội tỉnh trên địa bàn: 10/17 ")
    out = StringIO()
    call_command("tally", "HB-LS", "--term", "2020-2025", "--json", stdout=out)
    shape = json.loads(out.getvalue())
    assert shape["own"]["total"] == 18 and shape["own"]["achieved"] == 10
    assert shape["assigned"] == {
        "from": "HB",
        "total": 17,
        "achieved": 10,
        "hard": 4,
        "not_achieved": 2,
        "not_assessed": 1,
        "not_assessable": 0,
        "exceeded": 0,
    }
    assert set(shape["assigned"]) - {"from"} == set(shape["own"])


def test_a_committee_without_assigned_indicators_has_no_second_sentence(ls):
    assert assigned_tally(committee=ls.province) is None
    out = StringIO()
    call_command("tally", "HB", "--term", "2020-2025", "--json", stdout=out)
    assert "assigned" not in json.loads(out.getvalue())


def test_assigned_copy_keeps_the_indicator_above_and_the_local_target(ls):
    copy = ls.assigned[0]
    assert copy.assigned_from_id == ls.above[0].pk
    assert copy.target == "65" and ls.above[0].target == "70"
    assert copy.resolution.kind == ResolutionKind.FROM_ABOVE
    assert (
        copy.resolution.number == "17-NQ/ĐH" and copy.resolution.assigned_from_id == ls.above[0].resolution_id
    )
    # One mirror resolution per resolution above, whatever the number of indicators.
    assert Resolution.objects.filter(committee=ls.district, kind=ResolutionKind.FROM_ABOVE).count() == 1


def test_assigning_again_changes_the_local_target_with_its_history(ls):
    again = indicator_assign(indicator=ls.above[0], assignee=ls.district, target="từ 60 đến 65")
    assert again.pk == ls.assigned[0].pk and again.target == "từ 60 đến 65"
    change = IndicatorChange.objects.filter(indicator=again).first()
    assert change.action == "changed" and change.new == {"target": "từ 60 đến 65"}
    assert change.committee_code == "HB-LS"


def test_only_direct_children_may_be_assigned(ls, make_committee):
    commune = make_committee("HB-LS-X", parent=ls.district)
    with pytest.raises(ValidationError, match="không trực thuộc"):
        indicator_assign(indicator=ls.above[0], assignee=commune, target="1")


def test_a_thematic_indicator_or_an_empty_target_is_refused(ls, make_indicators):
    thematic = make_indicators(ls.province, [Status.NOT_ASSESSED], number="05-NQ/TU", kind="thematic")[0]
    with pytest.raises(ValidationError, match="Nghị quyết Đại hội"):
        indicator_assign(indicator=thematic, assignee=ls.district, target="1")
    with pytest.raises(ValidationError, match="mục tiêu"):
        indicator_assign(indicator=ls.above[1], assignee=ls.neighbour, target="  ")


def test_only_a_role_on_the_committee_above_may_assign(ls, make_user):
    district_secretary = make_user("ls", ls.district, role="secretary")
    with pytest.raises(Refused):
        indicator_assign(indicator=ls.above[0], assignee=ls.neighbour, target="1", by=district_secretary)
    office = make_user("office", ls.province, role="viewer")
    assert indicator_assign(indicator=ls.above[0], assignee=ls.neighbour, target="1", by=office).target == "1"


def test_an_indicator_assigned_below_is_not_deleted_from_above(ls):
    with pytest.raises(ValidationError, match="đã giao"):
        indicator_delete(indicator=ls.above[0])
    with pytest.raises(ValidationError, match="đã giao"):
        resolution_delete(resolution=ls.above[0].resolution)


def test_the_side_by_side_puts_the_assignees_holding_an_indicator_back_first(ls):
    rows = assigned_below(committee=ls.province)
    assert [row.indicator.number for row in rows] == [str(n) for n in range(1, 18)]
    eleventh = rows[10]
    assert [(a.resolution.committee.code, a.assessment.status) for a in eleventh.assignees] == [
        ("HB-LS", Status.HARD),
        ("HB-KS", Status.ACHIEVED),
    ]
    assert [a.target for a in eleventh.assignees] == ["65", "80"]
    assert eleventh.tally.achieved == 1 and eleventh.tally.total == 2


def test_exceeded_counts_inside_achieved_in_the_assigned_tally(ls):
    assess_one(assessment=ls.assigned[0].assessment, status=Status.ACHIEVED, value="90", exceeded=True)
    assigned = assigned_tally(committee=ls.district)
    assert assigned.tally.achieved == 10 and assigned.tally.exceeded == 1
    assert "(trong đó 1 chỉ tiêu vượt)" in assigned.sentence()


@pytest.mark.parametrize("size", [1, 6])
def test_side_by_side_is_one_query_whatever_the_tree(term, size, django_assert_num_queries, make_committee):
    ls = assigned_case.build(term)
    for n in range(size):
        child = make_committee(f"HB-N{n}", parent=ls.province)
        for indicator in ls.above[:3]:
            indicator_assign(indicator=indicator, assignee=child, target="1")
    with django_assert_num_queries(1):
        rows = assigned_below(committee=ls.province)
        assert sum(len(r.assignees) for r in rows) == 17 + 2 + 3 * size
    with django_assert_num_queries(1):
        assigned_tally(committee=ls.district)
