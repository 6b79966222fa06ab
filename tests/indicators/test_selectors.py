import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Assessment, Committee, Level, Status, Term
from indicators.selectors import (
    committee_by_code,
    committee_rollup,
    counters_drift,
    counts_from_assessments,
    term_by_code,
)
from indicators.services import (
    assessment_update,
    committee_create,
    committees_bulk_create,
    indicators_bulk_create,
    resolution_create,
    term_get_or_create,
)
from indicators.tally import Tally


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
    assert data["own"] == {"total": 4, "achieved": 2, "hard": 1, "not_achieved": 1, "not_assessed": 0}
    assert data["children"][0]["code"] == "P-D1"
    assert data["children"][0]["own"]["total"] == 2
    assert data["subtree"]["committees"] == 7
    assert set(data["subtree"]) == {"committees", "total", "achieved", "hard", "not_achieved", "not_assessed"}


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


def test_subtree_query_uses_a_range_on_path(tree):
    with CaptureQueriesContext(connection) as ctx:
        committee_rollup(committee=tree["P-D1"])
    assert "LIKE" not in ctx.captured_queries[-1]["sql"].upper()


# ---- the property: counters always equal a plain count --------------------------------------

trees = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=25)  # parent index choices
changes = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(Status.values)), min_size=0, max_size=40)


_example_numbers = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parents=trees, edits=changes, seed=st.integers(0, 10_000))
def test_tally_equals_plain_python_count(db, parents, edits, seed):
    rng = random.Random(seed)
    # Every example runs in the same test transaction: give each its own term.
    year = 1000 + next(_example_numbers)
    term = term_get_or_create(code=f"{year}-{year + 5}")[0]
    nodes = [committee_create(term=term, code=f"T{seed}-0", name="root", level=Level.PROVINCE)]
    for i, choice in enumerate(parents, start=1):
        parent = nodes[choice % len(nodes)]
        nodes.append(
            committee_create(term=term, code=f"T{seed}-{i}", name="n", level=Level.COMMUNE, parent=parent)
        )
    assessments = []
    for node in nodes:
        resolution = resolution_create(committee=node, number="1-NQ/ĐH")
        rows = [
            (resolution, {"number": str(k), "text": "t", "status": rng.choice(Status.values)})
            for k in range(rng.randint(0, 4))
        ]
        indicators_bulk_create(rows=rows)
    assessments = list(Assessment.objects.filter(indicator__resolution__committee__term=term))
    for index, status in edits:
        if assessments:
            a = assessments[index % len(assessments)]
            assessment_update(assessment=a, status=status, note="n")

    # The plain Python count: walk parents, count statuses of every assessment.
    parent_of = {c.pk: c.parent_id for c in Committee.objects.filter(term=term)}
    status_of = {
        a.pk: (a.status, a.indicator.resolution.committee_id)
        for a in Assessment.objects.select_related("indicator__resolution").filter(
            indicator__resolution__committee__term=term
        )
    }

    def in_subtree(cid, root):
        while cid is not None:
            if cid == root:
                return True
            cid = parent_of[cid]
        return False

    for node in Committee.objects.filter(term=term):
        rollup = committee_rollup(committee=node)
        own = dict.fromkeys(Status.values, 0)
        sub = dict.fromkeys(Status.values, 0)
        for status, cid in status_of.values():
            if cid == node.pk:
                own[status] += 1
            if in_subtree(cid, node.pk):
                sub[status] += 1
        assert rollup.own == Tally(**own)
        assert rollup.subtree == Tally(**sub)
        assert rollup.subtree_committees == sum(1 for c in parent_of if in_subtree(c, node.pk))
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


def test_a_committee_looked_up_by_code_comes_with_its_term_and_parent(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        committee = committee_by_code(code="P-D1-C1", term=tree["P"].term)
        assert (committee.term.code, committee.parent.code) == ("2020-2025", "P-D1")
