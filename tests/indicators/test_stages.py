"""Stages of a term: the end-of-term review opened from the mid-term's, its own counters, no "hard"."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from indicators.models import Assessment, AssessmentChange, Committee, Indicator, Stage, Status
from indicators.results import Results
from indicators.selectors import committee_rollup, counters_drift, indicators_json, stage_is_open
from indicators.services.assessments import AssessmentEdit, assessments_update, stage_open
from indicators.services.indicators import indicator_delete
from indicators.tally import Tally
from tests.conftest import assess_one


def _end(indicator):
    return Assessment.objects.get(indicator=indicator, stage=Stage.END)


@pytest.mark.django_db
class TestOpening:
    def test_opening_copies_the_mid_terms_values_and_notes_with_every_status_to_judge_again(
        self, tree, make_indicators
    ):
        mid = Indicator.objects.of_committee(tree["P"]).order_by("sort_key").first().assessment
        Assessment.objects.filter(pk=mid.pk).update(
            value="6,5",
            note="Giữa kỳ",
            baseline="5",
            forecast="7",
            years={"2021": {"value": "6", "estimate": False}},
        )
        opened = stage_open(committee=tree["P"], stage=Stage.END)
        assert opened.committees == 7 and opened.created == Assessment.objects.filter(stage=Stage.MID).count()
        end = _end(mid.indicator)
        assert (end.value, end.note, end.baseline, end.forecast, end.years) == (
            "6,5",
            "Giữa kỳ",
            "5",
            "7",
            {"2021": {"value": "6", "estimate": False}},
        )
        assert set(Assessment.objects.filter(stage=Stage.END).values_list("status", flat=True)) == {
            Status.NOT_ASSESSED
        }
        # The mid-term is untouched: its statuses and counters stay.
        assert Indicator.objects.at_stage("mid").get(pk=mid.indicator_id).assessment.status == "achieved"
        assert committee_rollup(committee=tree["P"]).own.sentence() == (
            "2/4 chỉ tiêu có khả năng đạt và vượt; 1 chỉ tiêu khó đạt; 1 chỉ tiêu không đạt"
        )
        # One history row per assessment opened, and counters exact for both stages.
        assert AssessmentChange.objects.filter(assessment__stage=Stage.END).count() == opened.created
        p = Committee.objects.get(pk=tree["P"].pk)
        assert Tally.of_committee(p, Stage.END) == Tally(not_assessed=4)
        assert counters_drift(term=p.term) == []

    def test_opening_twice_opens_nothing_more_and_only_the_subtree_is_opened(self, tree):
        first = stage_open(committee=tree["P-D1"], stage=Stage.END)
        assert first.committees == 3 and first.created == 2 + 3 + 3
        assert not stage_is_open(committee=tree["P"], stage=Stage.END)
        assert stage_is_open(committee=tree["P-D1-C1"], stage=Stage.END)
        again = stage_open(committee=tree["P-D1"], stage=Stage.END)
        assert again.created == 0
        assert Assessment.objects.filter(stage=Stage.END).count() == 8

    def test_the_mid_term_cannot_be_opened_and_only_staff_may_open(self, tree, make_user):
        with pytest.raises(ValueError):
            stage_open(committee=tree["P"], stage=Stage.MID)
        from indicators.access import Refused

        with pytest.raises(Refused):
            stage_open(committee=tree["P"], stage=Stage.END, by=make_user("s", tree["P"], role="secretary"))
        assert stage_open(committee=tree["P"], stage=Stage.END, by=make_user("staff", is_staff=True)).created

    def test_one_assessment_per_indicator_and_stage(self, tree):
        stage_open(committee=tree["P-D1-C1"], stage=Stage.END)
        indicator = Indicator.objects.of_committee(tree["P-D1-C1"]).first()
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.create(indicator=indicator, stage=Stage.END)

    def test_the_command_opens_and_the_tally_command_prints_the_end_sentence(self, tree, capsys):
        call_command("open_stage", "P", "--term", "2020-2025", "--stage", "end")
        assert "7 đơn vị" in capsys.readouterr().out
        for indicator in Indicator.objects.of_committee(tree["P"]):
            a = _end(indicator)
            assess_one(assessment=a, status="achieved", exceeded=indicator.number != "4")
        call_command("tally", "P", "--term", "2020-2025", "--stage", "end")
        assert capsys.readouterr().out.strip() == "4/4 chỉ tiêu đạt và vượt (trong đó 3 chỉ tiêu vượt)"
        call_command("tally", "P", "--term", "2020-2025")
        assert "có khả năng" in capsys.readouterr().out
        with pytest.raises(CommandError):
            call_command("open_stage", "NOPE", "--term", "2020-2025", "--stage", "end")


@pytest.mark.django_db
class TestEndJudgements:
    def test_hard_is_refused_at_the_end_in_vietnamese_and_allowed_mid_term(self, tree):
        stage_open(committee=tree["P-D1-C1"], stage=Stage.END)
        indicator = Indicator.objects.of_committee(tree["P-D1-C1"]).first()
        with pytest.raises(ValueError, match="không có đánh giá “khó đạt”"):
            assess_one(assessment=_end(indicator), status="hard", note="x")
        assert _end(indicator).status == Status.NOT_ASSESSED
        assess_one(assessment=indicator.assessment, status="hard", note="x")  # the mid-term one

    def test_end_changes_move_the_end_counters_only(self, tree):
        stage_open(committee=tree["P-D1-C1"], stage=Stage.END)
        c = tree["P-D1-C1"]
        edits = [
            AssessmentEdit(a.pk, s, note="Lý do" if s != "achieved" else "")
            for a, s in zip(
                Assessment.objects.filter(stage=Stage.END, indicator__resolution__committee=c).order_by("pk"),
                ["achieved", "not_achieved", "not_assessable"],
                strict=True,
            )
        ]
        assessments_update(edits=edits)
        c.refresh_from_db()
        assert Tally.of_committee(c, Stage.END) == Tally(achieved=1, not_achieved=1, not_assessable=1)
        assert Tally.of_committee(c) == Tally(achieved=2, hard=1)
        assert committee_rollup(committee=tree["P"], stage=Stage.END).subtree == Tally(
            achieved=1, not_achieved=1, not_assessable=1, not_assessed=0
        )
        assert counters_drift(term=c.term) == []
        # Deleting an indicator takes both of its assessments off both stages' counters.
        indicator_delete(indicator=Indicator.objects.of_committee(c).order_by("pk").first())
        c.refresh_from_db()
        assert Tally.of_committee(c, Stage.END) == Tally(not_achieved=1, not_assessable=1)
        assert Tally.of_committee(c) == Tally(achieved=1, hard=1)
        assert counters_drift(term=c.term) == []

    def test_the_suggestion_never_says_hard_at_the_end(self, tree):
        c = tree["P-D1-C1"]
        indicator = Indicator.objects.of_committee(c).order_by("pk").first()
        Indicator.objects.filter(pk=indicator.pk).update(target="10")
        mid = indicator.assessment
        # 8,5 of 10 at the end year: hard by the mid-term rule (between the two thresholds).
        assess_one(assessment=mid, status="achieved")
        from indicators.services.assessments import assessments_update as update

        update(edits=[AssessmentEdit(mid.pk, "achieved", results=Results.build(years={}, forecast="8,5"))])
        mid.refresh_from_db()
        assert mid.suggested_status == Status.HARD
        stage_open(committee=c, stage=Stage.END)
        assert _end(indicator).suggested_status == Status.NOT_ACHIEVED


class TestSentence:
    def test_the_end_sentence_drops_co_kha_nang(self):
        tally = Tally(achieved=13, not_achieved=2, exceeded=12, stage="end")
        assert (
            tally.sentence() == "13/15 chỉ tiêu đạt và vượt (trong đó 12 chỉ tiêu vượt); 2 chỉ tiêu không đạt"
        )
        assert Tally(achieved=13, not_achieved=2, exceeded=12).sentence() == (
            "13/15 chỉ tiêu có khả năng đạt và vượt (trong đó 12 chỉ tiêu vượt); 2 chỉ tiêu không đạt"
        )

    def test_the_end_sentence_in_english(self, settings):
        from django.utils import translation

        with translation.override("en"):
            assert Tally(achieved=13, not_achieved=2, exceeded=12, stage="end").sentence() == (
                "13/15 indicators achieved (12 exceeded); 2 not achieved"
            )

    def test_the_stage_travels_with_sums_and_is_not_a_count(self):
        total = Tally(achieved=1, stage="end") + Tally(achieved=2, stage="end")
        assert total.stage == "end" and "stage" not in total.as_dict()


@pytest.mark.django_db
def test_indicator_json_names_its_stage_and_reads_that_stages_status(tree):
    stage_open(committee=tree["P-D1-C1"], stage=Stage.END)
    data = indicators_json(committee=tree["P-D1-C1"], stage=Stage.END)
    assert data["stage"] == "end" and {row["status"] for row in data["indicators"]} == {"not_assessed"}
    assert indicators_json(committee=tree["P-D1-C1"])["stage"] == "mid"
