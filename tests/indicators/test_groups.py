"""Indicators with parts (nhóm chỉ tiêu): counted once, judged as a group, suggested as the worst part."""

import pytest
from django.core.exceptions import ValidationError

from indicators.groups import in_group_order, link_problems, lowest_progress, worst_suggestion
from indicators.models import Assessment, Committee, Indicator, IndicatorChange, Status
from indicators.results import Results
from indicators.selectors import committee_rollup, counters_drift, indicators_json
from indicators.services.assessments import AssessmentEdit, assessments_update
from indicators.services.indicators import (
    IndicatorContentEdit,
    indicator_create,
    indicator_delete,
    indicator_update,
    indicators_bulk_update_content,
)
from indicators.services.resolutions import resolution_create
from indicators.tally import Tally
from tests.conftest import assess_one


def test_worst_suggestion_ranks_not_achieved_below_hard_below_achieved():
    assert worst_suggestion(["achieved", "hard", "achieved"]) == "hard"
    assert worst_suggestion(["achieved", "not_achieved", "hard"]) == "not_achieved"
    assert worst_suggestion(["achieved", ""]) == "achieved"  # a part without numbers says nothing
    assert worst_suggestion(["", ""]) == ""
    assert lowest_progress([1.2, None, 0.85]) == 0.85
    assert lowest_progress([None]) is None


def test_link_problems_name_unknown_self_and_part_of_a_part():
    problems = link_problems({"5": "", "5.1": "5", "5.1.1": "5.1", "6": "9", "7": "7"})
    assert set(problems) == {"5.1.1", "6", "7"}
    assert "5.1" in problems["5.1.1"] and "một cấp" in problems["5.1.1"]
    assert "“9”" in problems["6"]
    assert link_problems({"5": "", "5a": "5", "5b": "5"}) == {}


def _forecast(value):
    return Results(forecast=value)


@pytest.fixture
def dien_bien(make_committee):
    """An Điện Biên-like resolution: 18 groups of indicators ("10/18 nhóm chỉ tiêu"); indicator 5 has
    three parts and indicator 12 two, each part with its own target and numbers."""
    committee = make_committee("DB")
    resolution = resolution_create(committee=committee, number="01-NQ/ĐH")
    statuses = dict.fromkeys(range(1, 11), Status.ACHIEVED) | dict.fromkeys(range(11, 16), Status.HARD)
    statuses |= {16: Status.NOT_ACHIEVED, 17: Status.NOT_ACHIEVED, 18: Status.NOT_ASSESSED}
    top = {}
    for n, status in statuses.items():
        top[n] = indicator_create(
            resolution=resolution,
            number=str(n),
            text=f"Nhóm chỉ tiêu {n}",
            status=status,
            exceeded=n <= 3,
            note="" if status in (Status.ACHIEVED, Status.NOT_ASSESSED) else "Lý do",
        )
    parts = {
        number: indicator_create(
            resolution=resolution,
            number=number,
            text=f"Phần {number}",
            target="100",
            unit="%",
            results=_forecast(value),
            group=top[int(number[:-2] if "." in number else number[:-1])],
        )
        for number, value in [("5.1", "100"), ("5.2", "90"), ("5.3", "120"), ("12a", "100"), ("12b", "50")]
    }
    return {"committee": committee, "resolution": resolution, "top": top, "parts": parts}


def _stored(indicator):
    return Assessment.objects.get(indicator=indicator)


def test_dien_bien_the_tally_counts_the_groups_never_the_parts(dien_bien):
    committee = Committee.objects.get(pk=dien_bien["committee"].pk)
    own = Tally.of_committee(committee)
    assert own == Tally(achieved=10, exceeded=3, hard=5, not_achieved=2, not_assessed=1)
    assert own.sentence().startswith("10/18 chỉ tiêu có khả năng đạt và vượt (trong đó 3 chỉ tiêu vượt)")
    assert committee_rollup(committee=committee).own.total == 18
    assert counters_drift(term=committee.term) == []
    assert Indicator.objects.of_committee(committee).in_tally().count() == 18


def test_a_groups_suggestion_is_the_worst_of_its_parts(dien_bien):
    parts = dien_bien["parts"]
    assert _stored(parts["5.1"]).suggested_status == Status.ACHIEVED
    assert _stored(parts["5.2"]).suggested_status == Status.HARD
    assert _stored(dien_bien["top"][5]).suggested_status == Status.HARD
    assert _stored(dien_bien["top"][5]).progress == 0.9
    assert _stored(dien_bien["top"][12]).suggested_status == Status.NOT_ACHIEVED


def test_a_parts_new_values_move_its_groups_suggestion_in_the_same_write(dien_bien):
    part = _stored(dien_bien["parts"]["5.2"])
    result = assessments_update(edits=[AssessmentEdit(part.pk, Status.NOT_ASSESSED, results=_forecast("40"))])
    assert _stored(dien_bien["top"][5]).suggested_status == Status.NOT_ACHIEVED
    assessments_update(edits=[AssessmentEdit(part.pk, Status.NOT_ASSESSED, results=_forecast("100"))])
    group = _stored(dien_bien["top"][5])
    assert group.suggested_status == Status.ACHIEVED
    # The committee judged the group achieved, as its parts now suggest; group 12 (hard) is not.
    assert not group.disagrees
    assert _stored(dien_bien["top"][12]).disagrees
    assert result.changed[0].suggested_status == Status.NOT_ACHIEVED


def test_the_groups_own_numbers_do_not_override_its_parts(dien_bien):
    group = _stored(dien_bien["top"][12])
    assessments_update(edits=[AssessmentEdit(group.pk, Status.HARD, note="Lý do", results=_forecast("100"))])
    assert _stored(dien_bien["top"][12]).suggested_status == Status.NOT_ACHIEVED


def test_a_parts_target_change_moves_its_groups_suggestion(dien_bien):
    part = dien_bien["parts"]["12b"]
    indicator_update(indicator=part, number="12b", text=part.text, target="50", unit="%")
    assert _stored(dien_bien["top"][12]).suggested_status == Status.ACHIEVED


def test_a_part_has_no_status_of_its_own_and_never_moves_the_counters(dien_bien):
    committee = dien_bien["committee"]
    part = _stored(dien_bien["parts"]["5.1"])
    with pytest.raises(ValueError, match="cấp ủy đánh giá cả nhóm"):
        assess_one(assessment=part, status=Status.ACHIEVED)
    with pytest.raises(ValueError, match="không có đánh giá riêng"):
        indicator_create(
            resolution=dien_bien["resolution"],
            number="5.4",
            text="Phần 5.4",
            status=Status.ACHIEVED,
            group=dien_bien["top"][5],
        )
    before = Tally.of_committee(Committee.objects.get(pk=committee.pk))
    assess_one(assessment=part, status=Status.NOT_ASSESSED, value="99")
    assert Tally.of_committee(Committee.objects.get(pk=committee.pk)) == before


def test_only_one_level_in_the_same_resolution(dien_bien):
    resolution = dien_bien["resolution"]
    with pytest.raises(ValidationError, match="một cấp"):
        indicator_create(resolution=resolution, number="5.1.1", text="x", group=dien_bien["parts"]["5.1"])
    other = resolution_create(committee=dien_bien["committee"], number="02-NQ/TU", kind="thematic")
    with pytest.raises(ValidationError, match="cùng nghị quyết"):
        indicator_create(resolution=other, number="1", text="x", group=dien_bien["top"][1])
    # A group with parts cannot itself become a part.
    with pytest.raises(ValidationError, match="một cấp"):
        indicators_bulk_update_content(
            edits=[IndicatorContentEdit(dien_bien["top"][1].pk, "x", "", "", "", group="5.1")]
        )


def test_becoming_a_part_leaves_the_tally_and_is_in_the_history(dien_bien):
    committee = dien_bien["committee"]
    six = dien_bien["top"][6]
    indicators_bulk_update_content(edits=[IndicatorContentEdit(six.pk, six.text, "", "", "", group="5")])
    own = Tally.of_committee(Committee.objects.get(pk=committee.pk))
    assert own.total == 17 and own.achieved == 9
    change = IndicatorChange.objects.filter(indicator=six).latest("changed_at")
    assert change.old == {"part_of": ""} and change.new == {"part_of": "5"}
    indicators_bulk_update_content(edits=[IndicatorContentEdit(six.pk, six.text, "", "", "", group="")])
    assert Tally.of_committee(Committee.objects.get(pk=committee.pk)).total == 18
    assert counters_drift(term=committee.term) == []


def test_deleting_a_group_deletes_its_parts_with_their_history(dien_bien):
    committee = dien_bien["committee"]
    group = dien_bien["top"][5]
    indicator_delete(indicator=group)
    assert not Indicator.objects.filter(number__startswith="5.").exists()
    assert IndicatorChange.objects.filter(action="deleted", subject__contains="5.2. Phần").exists()
    own = Tally.of_committee(Committee.objects.get(pk=committee.pk))
    assert own.total == 17
    # Deleting a part leaves the tally alone and its group reads its remaining parts.
    indicator_delete(indicator=dien_bien["parts"]["12b"])
    assert Tally.of_committee(Committee.objects.get(pk=committee.pk)).total == 17
    assert _stored(dien_bien["top"][12]).suggested_status == Status.ACHIEVED
    assert counters_drift(term=committee.term) == []


def test_json_lists_the_parts_under_their_group_only(dien_bien):
    data = indicators_json(committee=dien_bien["committee"])
    numbers = [i["number"] for i in data["indicators"]]
    assert numbers == [str(n) for n in range(1, 19)]
    five = data["indicators"][4]
    assert [p["number"] for p in five["parts"]] == ["5.1", "5.2", "5.3"]
    assert five["parts"][1]["target"] == "100" and five["parts"][1]["suggested_status"] == "hard"
    assert five["parts"][1]["parts"] == []
    assert five["suggested_status"] == "hard"
    assert data["indicators"][0]["parts"] == []


def test_in_group_order_puts_lettered_parts_under_their_group():
    from types import SimpleNamespace as N

    rows = [N(pk=1, group_id=None), N(pk=2, group_id=None), N(pk=3, group_id=1), N(pk=4, group_id=9)]
    assert [r.pk for r in in_group_order(rows)] == [1, 3, 2, 4]


def test_the_indicators_command_prints_parts_indented_under_their_group(dien_bien):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("indicators", "DB", "--term", "2020-2025", stdout=out)
    lines = out.getvalue().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("01-NQ/ĐH 5. "))
    assert lines[at + 1].startswith("    01-NQ/ĐH 5.1. Phần 5.1 (gợi ý: Đạt và vượt)")
    assert "—" not in lines[at + 1]  # no status of its own
    assert lines[at + 4].startswith("01-NQ/ĐH 6. ")
    assert len([line for line in lines if not line.startswith(" ")]) == 18


def _sqlite_plan(queryset) -> str:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_the_tallys_group_is_null_never_drives_a_query_the_parts_still_use_their_index(dien_bien):
    """SQLite has no statistics: given an index on every row's group, it drove the dashboards'
    queries (`group IS NULL`: every indicator of every term) from it, a scan of the whole table
    (450 ms for the national dashboard, issue 29). Only the rows with a group are indexed."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner; PostgreSQL plans from its statistics")
    committee = dien_bien["committee"]
    tallied = Assessment.objects.filter(
        indicator__resolution__committee=committee, indicator__group__isnull=True, stage="mid"
    ).values_list("status")
    plan = _sqlite_plan(tallied)
    assert "group" not in plan, plan
    assert "resolution_committee" in plan or "committee_id=?" in plan, plan
    plan = _sqlite_plan(Indicator.objects.filter(group=dien_bien["top"][5]))
    assert "indicator_group_parts" in plan, plan
