import pytest

from indicators.models import Assessment, AssessmentChange, Committee, Status
from indicators.selectors import committee_rollup, counters_drift
from indicators.services import (
    AssessmentConflict,
    AssessmentEdit,
    assessment_update,
    assessments_update,
    committee_update,
    indicator_delete,
    resolution_update,
    term_get_or_create,
    term_parse_code,
)
from indicators.tally import Tally


def test_term_codes_accept_any_dash():
    assert term_parse_code("2020 – 2025") == (2020, 2025)
    with pytest.raises(ValueError, match="2020-2025"):
        term_parse_code("2020")
    with pytest.raises(ValueError):
        term_parse_code("2025-2020")


def test_term_created_from_its_years(db):
    term, created = term_get_or_create(code="2025-2030")
    assert created and (term.start_year, term.end_year, term.code) == (2025, 2030, "2025-2030")
    assert term_get_or_create(code="2025–2030") == (term, False)


def test_status_change_moves_the_counters_and_writes_history(tree, make_user):
    user = make_user("sec")
    commune = tree["P-D1-C1"]
    a = Assessment.objects.filter(indicator__resolution__committee=commune, status="hard").get()
    assessment_update(assessment=a, status=Status.ACHIEVED, value="12", note="", by=user)
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=3)
    change = AssessmentChange.objects.get(assessment=a)
    assert (change.old_status, change.new_status, change.changed_by) == ("hard", "achieved", user)
    assert (change.old_value, change.new_value) == ("", "12")
    assert counters_drift(term=commune.term) == []


def test_unchanged_save_writes_no_history(tree):
    a = Assessment.objects.filter(indicator__resolution__committee=tree["P"]).first()
    assessment_update(assessment=a, status=a.status, value=a.value, note=a.note)
    assert not AssessmentChange.objects.exists()


def test_stale_version_is_refused_and_nothing_is_saved(tree):
    a, b = Assessment.objects.filter(indicator__resolution__committee=tree["P"])[:2]
    assessment_update(assessment=a, status=Status.HARD, note="x", expected_version=a.version)
    with pytest.raises(AssessmentConflict) as exc:
        assessments_update(
            edits=[
                AssessmentEdit(b.pk, Status.NOT_ACHIEVED, note="y", expected_version=b.version),
                AssessmentEdit(a.pk, Status.ACHIEVED, expected_version=a.version),  # stale
            ]
        )
    assert [c.assessment.pk for c in exc.value.conflicts] == [a.pk]
    b.refresh_from_db()
    assert b.status != Status.NOT_ACHIEVED
    assert AssessmentChange.objects.count() == 1


def test_moving_a_committee_moves_its_subtree(tree):
    d1, d2 = tree["P-D1"], tree["P-D2"]
    committee_update(committee=tree["P-D1-C1"], name="C1", level="commune", parent=d2)
    assert committee_rollup(committee=d2).subtree_committees == 4
    assert committee_rollup(committee=d1).subtree_committees == 2
    with pytest.raises(ValueError):
        committee_update(
            committee=d2, name="x", level="district", parent=Committee.objects.get(code="P-D1-C1")
        )


def test_resolution_kind_change_and_indicator_delete_keep_counters_exact(tree):
    commune = tree["P-D2-C2"]
    resolution = commune.resolutions.get()
    resolution_update(resolution=resolution, kind="thematic", date=None, title="")
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally()
    resolution_update(resolution=resolution, kind="congress", date=None, title="")
    indicator_delete(indicator=resolution.indicators.first())
    commune.refresh_from_db()
    assert Tally.of_committee(commune).total == 2
    assert counters_drift(term=commune.term) == []
