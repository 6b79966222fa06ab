import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Assessment, Committee, Level, Resolution, Status, Term
from indicators.selectors import (
    committee_by_code,
    committee_rollup,
    counters_drift,
    counts_from_assessments,
    subtree_summary,
    term_by_code,
)
from indicators.services.committees import committee_create, committee_update, committees_bulk_create
from indicators.services.indicators import indicators_bulk_create
from indicators.services.resolutions import resolution_create, resolution_update
from indicators.services.terms import term_get_or_create
from indicators.tally import Tally
from tests.conftest import assess_one


def test_rollup_of_province(tree):
    rollup = committee_rollup(committee=tree["P"])
    assert rollup.own == Tally(achieved=2, hard=1, not_achieved=1)
    assert [c.committee.code for c in rollup.children] == ["P-D1", "P-D2"]
    assert [c.tally for c in rollup.children] == [
        Tally(achieved=1, hard=1),
        Tally(achieved=1, not_assessed=1),
    ]
    # 4 + 2 + 2 + 4 communes × 3
    assert rollup.subtree == Tally(achieved=2 + 1 + 1 + 8, hard=1 + 1 + 4, not_achieved=1, not_assessed=1)
    assert rollup.subtree_committees == 7
    assert rollup.below_by_level == {"district": 2, "commune": 4}


def test_subtree_does_not_leak_into_sibling(tree):
    rollup = committee_rollup(committee=tree["P-D1"])
    assert rollup.subtree_committees == 3
    assert rollup.subtree == Tally(achieved=1 + 4, hard=1 + 2)


def test_thematic_resolutions_are_not_in_the_tally(tree, make_indicators):
    make_indicators(tree["P-D1-C1"], ["not_achieved", "not_achieved"], number="04-NQ/HU", kind="thematic")
    assert committee_rollup(committee=tree["P-D1-C1"]).own == Tally(achieved=2, hard=1)


def test_rollup_json_has_the_interface_shape(tree):
    data = committee_rollup(committee=tree["P"]).as_json()
    assert data["committee"] == {"code": "P", "name": "Đảng bộ P", "level": "province"}
    assert data["term"] == "2020-2025"
    assert data["own"] == {
        "total": 4,
        "achieved": 2,
        "hard": 1,
        "not_achieved": 1,
        "not_assessed": 0,
        "not_assessable": 0,
        "exceeded": 0,
    }
    assert data["children"][0]["code"] == "P-D1"
    assert data["children"][0]["own"]["total"] == 2
    assert data["subtree"]["committees"] == 7
    assert set(data["subtree"]) == {
        "committees",
        *("total", "achieved", "hard", "not_achieved", "not_assessed", "not_assessable", "exceeded"),
    }


def _wide_tree(term, n_districts, n_communes):
    rows = [{"code": "R", "name": "R", "level": Level.PROVINCE}]
    for d in range(n_districts):
        rows.append({"code": f"D{d}", "name": f"D{d}", "level": Level.DISTRICT, "parent_code": "R"})
        for c in range(n_communes):
            rows.append({"code": f"D{d}C{c}", "name": "x", "level": Level.COMMUNE, "parent_code": f"D{d}"})
    committees = committees_bulk_create(term=term, rows=rows)
    resolutions = {c.pk: resolution_create(committee=c, number="1-NQ/ĐH") for c in committees[:40]}
    indicators_bulk_create(
        rows=[
            (r, {"number": str(i), "text": "t", "status": "achieved"})
            for r in resolutions.values()
            for i in range(3)
        ]
    )
    return Committee.objects.get(term=term, code="R")


@pytest.mark.parametrize("size", [(2, 1), (10, 29)])  # 3 and 300 committees
def test_rollup_runs_two_queries_whatever_the_tree_size(db, django_assert_num_queries, size):
    term = term_get_or_create(code="2020-2025")[0]
    root = _wide_tree(term, *size)
    assert Committee.objects.filter(term=term).count() == 1 + size[0] * (1 + size[1])
    with django_assert_num_queries(2):
        rollup = committee_rollup(committee=root)
    assert rollup.subtree_committees == 1 + size[0] * (1 + size[1])


@pytest.mark.parametrize("size", [(2, 1), (10, 29)])
def test_rollup_of_a_committee_with_nothing_below_runs_one_query(db, django_assert_num_queries, size):
    term = term_get_or_create(code="2020-2025")[0]
    root = _wide_tree(term, *size)
    leaf = Committee.objects.filter(term=term, parent__parent=root).order_by("code").last()
    with django_assert_num_queries(1):
        rollup = committee_rollup(committee=leaf)
    assert rollup.children == [] and rollup.subtree_committees == 1


def test_subtree_query_uses_a_range_on_path(tree):
    with CaptureQueriesContext(connection) as ctx:
        committee_rollup(committee=tree["P-D1"])
    assert "LIKE" not in ctx.captured_queries[-1]["sql"].upper()


# ---- the property: counters always equal a plain count --------------------------------------
#
# The test keeps its own model of the world (who is whose parent, which resolution is of which kind,
# each assessment's status) from the operations it applies, never from what the code stored, and
# counts from that model; then every committee's rollup must equal that count.

trees = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=20)  # parent index choices
# A status and its "vượt" mark: every status, and achieved marked exceeded.
MARKS = [(status, False) for status in Status.values] + [(Status.ACHIEVED.value, True)]
operations = st.lists(
    st.one_of(
        st.tuples(st.just("status"), st.integers(0, 10_000), st.sampled_from(MARKS)),
        st.tuples(st.just("kind"), st.integers(0, 10_000), st.sampled_from(["congress", "thematic"])),
        st.tuples(st.just("move"), st.integers(0, 10_000), st.integers(0, 10_000)),
        st.tuples(st.just("add"), st.integers(0, 10_000), st.lists(st.sampled_from(MARKS), max_size=4)),
    ),
    max_size=30,
)


_example_numbers = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parents=trees, ops=operations, seed=st.integers(0, 10_000))
def test_tally_equals_plain_python_count(db, parents, ops, seed):
    rng = random.Random(seed)
    # Every example runs in the same test transaction: give each its own term.
    year = 1000 + next(_example_numbers)
    term = term_get_or_create(code=f"{year}-{year + 5}")[0]
    nodes = [committee_create(term=term, code=f"T{seed}-0", name="root", level=Level.PROVINCE)]
    parent_of: dict[int, int | None] = {nodes[0].pk: None}
    kind_of: dict[int, str] = {}  # resolution -> kind
    owner_of: dict[int, int] = {}  # resolution -> committee
    status_of: dict[int, tuple[tuple[str, bool], int]] = {}  # assessment -> ((status, exceeded), resolution)

    def add_committee(parent):
        node = committee_create(
            term=term, code=f"T{seed}-{len(nodes)}", name="n", level=Level.COMMUNE, parent=parent
        )
        nodes.append(node)
        parent_of[node.pk] = parent.pk
        return node

    def add_resolution(node, kind, statuses):
        resolution = resolution_create(committee=node, number=f"{len(kind_of)}-NQ", kind=kind)
        kind_of[resolution.pk], owner_of[resolution.pk] = kind, node.pk
        rows = [
            (resolution, {"number": str(k), "text": "t", "status": s, "exceeded": e})
            for k, (s, e) in enumerate(statuses)
        ]
        for indicator, (_res, data) in zip(indicators_bulk_create(rows=rows), rows, strict=True):
            mark = (data["status"], data["exceeded"])
            status_of[Assessment.objects.get(indicator=indicator).pk] = (mark, resolution.pk)

    for choice in parents:
        add_committee(nodes[choice % len(nodes)])
    for node in nodes:
        add_resolution(node, "congress", [rng.choice(MARKS) for _ in range(rng.randint(0, 4))])
        if rng.random() < 0.3:
            add_resolution(node, "thematic", [rng.choice(MARKS) for _ in range(rng.randint(1, 3))])

    def is_below(cid, root):  # by the model's parents, not by the stored paths
        while cid is not None:
            if cid == root:
                return True
            cid = parent_of[cid]
        return False

    for op, a, b in ops:
        if op == "status" and status_of:
            pk = sorted(status_of)[a % len(status_of)]
            assess_one(assessment=Assessment.objects.get(pk=pk), status=b[0], exceeded=b[1], note="n")
            status_of[pk] = (b, status_of[pk][1])
        elif op == "kind":
            pk = sorted(kind_of)[a % len(kind_of)]
            resolution = Resolution.objects.get(pk=pk)
            resolution_update(resolution=resolution, kind=b, date=None, title="")
            kind_of[pk] = b
        elif op == "move" and len(nodes) > 1:
            node = Committee.objects.get(pk=nodes[1 + a % (len(nodes) - 1)].pk)
            targets = [n for n in nodes if not is_below(n.pk, node.pk)]
            target = Committee.objects.get(pk=targets[b % len(targets)].pk)
            committee_update(committee=node, name=node.name, level=node.level, parent=target)
            parent_of[node.pk] = target.pk
        elif op == "add":
            node = add_committee(Committee.objects.get(pk=nodes[a % len(nodes)].pk))
            add_resolution(node, "congress", b)

    def count(committee_ids) -> Tally:
        counts = dict.fromkeys([*Status.values, "exceeded"], 0)
        for (status, exceeded), resolution in status_of.values():
            if kind_of[resolution] == "congress" and owner_of[resolution] in committee_ids:
                counts[status] += 1
                counts["exceeded"] += exceeded
        return Tally(**counts)  # type: ignore[arg-type]  # counts only; the stage keeps its default

    for node in Committee.objects.filter(term=term):
        rollup = committee_rollup(committee=node)
        below = {c for c in parent_of if is_below(c, node.pk)}
        assert rollup.own == count({node.pk})
        assert rollup.subtree == count(below)
        assert rollup.subtree_committees == len(below)
        assert [c.committee.pk for c in rollup.children] == sorted(
            (c for c in parent_of if parent_of[c] == node.pk),
            key=lambda pk: Committee.objects.get(pk=pk).code,
        )
    assert counters_drift(term=term) == []


def test_a_term_is_found_by_its_code_however_the_dash_is_written(term):
    assert term_by_code(code=" 2020 – 2025 ") == term
    with pytest.raises(Term.DoesNotExist):
        term_by_code(code="2025-2030")
    with pytest.raises(ValueError):
        term_by_code(code="2020")


def test_a_committee_code_is_looked_up_in_its_own_term_only(tree, make_committee):
    other = term_get_or_create(code="2025-2030")[0]
    again = make_committee("P-D1", term_=other)
    assert committee_by_code(code="P-D1", term=tree["P"].term) == tree["P-D1"]
    assert committee_by_code(code="P-D1", term=other) == again
    with pytest.raises(Committee.DoesNotExist):
        committee_by_code(code="P-D9", term=other)


def test_levels_below_list_only_those_present_and_never_the_committee_itself(tree):
    assert committee_rollup(committee=tree["P-D1"]).below_by_level == {"commune": 2}
    commune = committee_rollup(committee=tree["P-D1-C1"])
    assert (commune.below_by_level, commune.subtree_committees, commune.children) == ({}, 1, [])
    assert commune.own == commune.subtree == Tally(achieved=2, hard=1)


def test_the_fresh_count_reads_congress_assessments_of_the_term_by_committee(tree, make_indicators):
    make_indicators(tree["P-D2"], ["hard", "hard"], number="09-NQ/HU", kind="thematic")
    fresh = counts_from_assessments(term=tree["P"].term)
    assert fresh[tree["P"].pk] == Tally(achieved=2, hard=1, not_achieved=1)
    assert fresh[tree["P-D2"].pk] == Tally(achieved=1, not_assessed=1)
    assert fresh[tree["P-D2-C2"].pk] == Tally(achieved=2, hard=1)
    assert len(fresh) == 7
    other = term_get_or_create(code="2025-2030")[0]
    elsewhere = committee_create(term=other, code="P", name="P", level="province")
    indicators_bulk_create(
        rows=[(resolution_create(committee=elsewhere, number="1"), {"number": "1", "text": "t"})]
    )
    assert len(counts_from_assessments(term=tree["P"].term)) == 7
    assert counts_from_assessments(term=other) == {elsewhere.pk: Tally(not_assessed=1)}


def test_drift_names_exactly_the_committees_whose_counters_are_off(tree):
    term = tree["P"].term
    Committee.objects.filter(pk=tree["P-D1-C2"].pk).update(n_hard=5)
    assert counters_drift(term=term) == [Committee.objects.get(pk=tree["P-D1-C2"].pk)]
    empty = committee_create(term=term, code="P-D3", name="Mới", level="district", parent=tree["P"])
    Committee.objects.filter(pk=empty.pk).update(n_not_assessed=1)
    assert [c.code for c in counters_drift(term=term)] == ["P-D1-C2", "P-D3"]
    Committee.objects.filter(pk=tree["P-D2"].pk).update(n_exceeded=1)
    Committee.objects.filter(pk=tree["P-D1"].pk).update(n_not_assessable=1)
    assert [c.code for c in counters_drift(term=term)] == ["P-D1", "P-D1-C2", "P-D2", "P-D3"]


def test_a_committee_looked_up_by_code_comes_with_its_term_and_parent(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        committee = committee_by_code(code="P-D1-C1", term=tree["P"].term)
        assert (committee.term.code, committee.parent.code) == ("2020-2025", "P-D1")


def test_indicators_json_lists_every_field_in_resolution_then_number_order(term, make_committee, make_user):
    """The shape of interfaces.md, read straight from the selector (the API and the command print it)."""
    from indicators.results import Results, YearResult
    from indicators.selectors import indicators_json
    from indicators.services.indicators import indicator_create

    committee = make_committee("X")
    congress = resolution_create(committee=committee, number="01-NQ/ĐH")
    thematic = resolution_create(committee=committee, number="02-NQ/TU", kind="thematic")
    indicator_create(resolution=thematic, number="1", text="Chuyên đề", status=Status.ACHIEVED)
    indicator_create(
        resolution=congress,
        number="10",
        text="Tỷ lệ hộ nghèo",
        unit="%",
        target="2",
        measure="level",
        direction="down",
        status=Status.ACHIEVED,
        exceeded=True,
        value="3,1",
        note="Lý do",
        results=Results(
            baseline="6",
            years=(YearResult(2021, "5"), YearResult(2023, "3,1", estimate=True)),
            forecast="2,5",
        ),
    )
    indicator_create(resolution=congress, number="2", text="Không có số liệu", target="100")
    other = make_committee("Y")
    indicator_create(resolution=resolution_create(committee=other, number="09"), number="1", text="Khác")

    data = indicators_json(committee=committee)

    assert data["committee"] == {"code": "X", "name": "Đảng bộ X", "level": "province"}
    assert data["term"] == "2020-2025"
    assert [(i["resolution"], i["number"]) for i in data["indicators"]] == [
        ("01-NQ/ĐH", "2"),
        ("01-NQ/ĐH", "10"),
        ("02-NQ/TU", "1"),
    ]
    empty, poverty, theme = data["indicators"]
    assert empty == {
        "resolution": "01-NQ/ĐH",
        "kind": "congress",
        "number": "2",
        "text": "Không có số liệu",
        "unit": "",
        "target": "100",
        "target_adjusted": None,
        "target_adjusted_by": None,
        "baseline": None,
        "measure": "level",
        "direction": "up",
        "years": {},
        "forecast": None,
        "status": "not_assessed",
        "exceeded": False,
        "suggested_status": None,
        "progress": None,
        "disagrees": False,
        "parts": [],
        "predecessor": None,
        "baseline_carried_from": None,
    }
    assert poverty == {
        "resolution": "01-NQ/ĐH",
        "kind": "congress",
        "number": "10",
        "text": "Tỷ lệ hộ nghèo",
        "unit": "%",
        "target": "2",
        "target_adjusted": None,
        "target_adjusted_by": None,
        "baseline": "6",
        "measure": "level",
        "direction": "down",
        "years": {"2021": {"value": "5", "estimate": False}, "2023": {"value": "3,1", "estimate": True}},
        "forecast": "2,5",
        # The forecast 2,5 against a target of 2, falling from 6: 3,5 of the 4 points, "khó đạt".
        "status": "achieved",
        "exceeded": True,
        "suggested_status": "hard",
        "progress": 0.875,
        "disagrees": True,
        "parts": [],
        "predecessor": None,
        "baseline_carried_from": None,
    }
    assert (theme["kind"], theme["status"], theme["text"]) == ("thematic", "achieved", "Chuyên đề")


def test_committee_indicators_is_one_query_with_the_assessment_loaded(tree, django_assert_num_queries):
    from indicators.selectors import committee_indicators

    with django_assert_num_queries(1):
        indicators = committee_indicators(committee=tree["P"])
        statuses = [(i.resolution.number, i.number, i.assessment.status) for i in indicators]
    assert statuses == [
        ("01-NQ/ĐH", "1", "achieved"),
        ("01-NQ/ĐH", "2", "achieved"),
        ("01-NQ/ĐH", "3", "hard"),
        ("01-NQ/ĐH", "4", "not_achieved"),
    ]


def test_units_below_are_counted_by_kind_old_rows_as_their_levels_usual_kind_never_the_committee(term):
    province = committee_create(term=term, code="P", name="Đảng bộ tỉnh P", level=Level.PROVINCE)
    district = committee_create(
        term=term, code="D", name="Đảng bộ huyện D", level=Level.DISTRICT, parent=province
    )
    committee_create(term=term, code="T", name="Đảng bộ thành phố T", level=Level.DISTRICT, parent=province)
    old_district = committee_create(
        term=term, code="OD", name="Đảng bộ huyện O", level=Level.DISTRICT, parent=province
    )
    for code, name in (("A", "xã A"), ("C", "thị trấn C"), ("OC", "xã O")):
        committee_create(term=term, code=code, name=f"Đảng bộ {name}", level=Level.COMMUNE, parent=district)
    # Written before kinds existed: no kind stored.
    Committee.objects.filter(code__in=["OD", "OC"]).update(kind="")

    rollup = committee_rollup(committee=province)
    assert rollup.below_by_kind == {"district": 2, "city": 1, "commune": 2, "township": 1}
    assert rollup.below_by_level == {"district": 3, "commune": 3}
    summary = subtree_summary(committee=district)
    assert summary.below_by_kind == {"commune": 2, "township": 1}
    assert summary.below_by_level == {"commune": 3}
    assert subtree_summary(committee=old_district).below_by_kind == {}
