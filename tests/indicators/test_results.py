"""Results over time through the services: stored as typed, history, the kept suggestion."""

import pytest

from indicators.models import Assessment, AssessmentChange, Indicator, Measure, Status
from indicators.results import Results
from indicators.services.assessments import (
    AssessmentConflict,
    AssessmentEdit,
    assessments_resuggest,
    assessments_update,
)
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create


@pytest.fixture
def grdp(make_committee, make_user):
    committee = make_committee("P")
    resolution = resolution_create(committee=committee, number="16-NQ/ĐH")
    return indicator_create(
        resolution=resolution,
        number="1",
        text="Tăng trưởng GRDP bình quân",
        unit="%",
        target="6,5",
        measure=Measure.AVERAGE,
    )


def _save(indicator, *, status=Status.HARD, note="Lý do", results=None, version=None, by=None):
    a = Assessment.objects.get(indicator=indicator)
    return assessments_update(
        edits=[
            AssessmentEdit(
                assessment_id=a.pk,
                status=status,
                note=note,
                results=results,
                expected_version=a.version if version is None else version,
            )
        ],
        by=by,
    )


RESULTS = Results.build(
    baseline="5,1", years={2021: ("4,1", False), 2022: ("4,5", False), 2023: ("4,3", True)}
)


@pytest.mark.django_db
class TestResultsUpdate:
    def test_results_are_stored_as_typed_with_the_suggestion(self, grdp):
        _save(grdp, results=RESULTS)
        a = Assessment.objects.get(indicator=grdp)
        assert a.baseline == "5,1"
        assert a.years == {
            "2021": {"value": "4,1", "estimate": False},
            "2022": {"value": "4,5", "estimate": False},
            "2023": {"value": "4,3", "estimate": True},
        }
        assert a.suggested_status == Status.NOT_ACHIEVED and a.progress == 0.662
        assert a.disagrees  # the committee says hard, the numbers say not achieved
        assert list(Indicator.objects.needing_explanation()) == [grdp]

    def test_a_change_of_results_writes_one_history_row_with_before_and_after(self, grdp, make_user):
        user = make_user("s")
        _save(grdp, results=RESULTS, by=user)
        later = Results.build(
            baseline="5,1", years={2021: ("4,1", False), 2022: ("4,5", False), 2023: ("6,9", False)}
        )
        _save(grdp, results=later, by=user)
        first, second = AssessmentChange.objects.order_by("pk")
        assert first.old_results == {"baseline": "", "years": {}, "forecast": ""}
        assert first.new_results == RESULTS.as_json()
        assert second.old_results == RESULTS.as_json() and second.new_results == later.as_json()
        assert second.changed_by == user
        a = Assessment.objects.get(indicator=grdp)
        assert a.version == 2
        # (4,1 + 4,5 + 6,9) / 3 = 5,167 of 6,5 = 0,795 → still not achieved, but closer.
        assert a.progress == 0.795

    def test_status_change_alone_keeps_the_results_and_writes_no_results_history(self, grdp):
        _save(grdp, results=RESULTS)
        _save(grdp, status=Status.NOT_ACHIEVED, results=None)
        a = Assessment.objects.get(indicator=grdp)
        assert Results.of(a) == RESULTS
        assert not a.disagrees
        last = AssessmentChange.objects.order_by("pk").last()
        assert last.old_results is None and last.new_results is None

    def test_same_results_again_change_nothing(self, grdp):
        _save(grdp, results=RESULTS)
        result = _save(grdp, results=RESULTS)
        assert result.unchanged == 1 and AssessmentChange.objects.count() == 1

    def test_a_stale_results_edit_is_refused(self, grdp):
        _save(grdp, results=RESULTS)
        with pytest.raises(AssessmentConflict):
            _save(grdp, results=Results(), version=0)
        assert Results.of(Assessment.objects.get(indicator=grdp)) == RESULTS

    @pytest.mark.parametrize("year", [2020, 2026, 2019])
    def test_a_year_outside_the_later_years_of_the_term_is_refused(self, grdp, year):
        with pytest.raises(ValueError, match=str(year)):
            _save(grdp, results=Results.build(years={year: ("5", False)}))
        assert AssessmentChange.objects.count() == 0

    def test_changing_the_target_and_resuggesting_moves_the_suggestion(self, grdp):
        _save(grdp, results=RESULTS)
        Indicator.objects.filter(pk=grdp.pk).update(target="5")
        assert assessments_resuggest(indicators=Indicator.objects.filter(pk=grdp.pk)) == 1
        a = Assessment.objects.get(indicator=grdp)
        assert a.suggested_status == Status.HARD and a.progress == 0.86  # 4,3 / 5
        assert not a.disagrees


@pytest.mark.django_db
def test_a_new_target_moves_the_suggestion_through_the_indicator_service(grdp):
    from indicators.services.indicators import indicator_update

    _save(grdp, results=RESULTS)
    indicator_update(indicator=grdp, number="1", text=grdp.text, unit="%", target="5")
    a = Assessment.objects.get(indicator=grdp)
    assert (a.suggested_status, a.progress) == (Status.HARD, 0.86)


@pytest.mark.django_db
def test_a_new_target_from_a_workbook_moves_the_suggestion(grdp):
    from indicators.services.indicators import IndicatorContentEdit, indicators_bulk_update_content

    _save(grdp, results=RESULTS)
    indicators_bulk_update_content(
        edits=[IndicatorContentEdit(indicator_id=grdp.pk, text=grdp.text, field="", unit="%", target="4")]
    )
    assert Assessment.objects.get(indicator=grdp).suggested_status == Status.ACHIEVED  # 4,3 of 4
