"""Adjusted targets (domain.md, "Adjusted targets"): the Congress's target stays, the adjusted one
and its decision are kept beside it, the suggestion reads the adjusted one, history records it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indicators.access import Refused
from indicators.models import Indicator, IndicatorChange, Status
from indicators.results import Results
from indicators.selectors import indicators_json
from indicators.services.indicators import indicator_adjust_target, indicator_create
from indicators.services.resolutions import resolution_create


@pytest.fixture
def growth(make_committee):
    """Quảng Nam's growth target, 7,5 – 8 %/year; three years averaging 6,2."""
    committee = make_committee("QN")
    resolution = resolution_create(committee=committee, number="01-NQ/ĐH", kind="congress")
    return indicator_create(
        resolution=resolution,
        number="1",
        text="Tăng trưởng GRDP bình quân",
        unit="%",
        target="7,5 – 8",
        measure="average",
        results=Results.build(years={2021: ("6", False), 2022: ("6,2", False), 2023: ("6,4", False)}),
        status=Status.HARD,
        note="Dịch bệnh",
    )


def test_the_suggestion_reads_the_adjusted_target_and_the_congress_target_stays(growth, make_user):
    assert growth.assessment.suggested_status == Status.HARD  # 6,2 / 7,5 = 0,83
    staff = make_user("staff", is_staff=True)
    indicator_adjust_target(
        indicator=growth, target_adjusted="6", adjusted_by="15-NQ/TU ngày 10/3/2022", by=staff
    )
    stored = Indicator.objects.with_assessment().get(pk=growth.pk)
    assert stored.target == "7,5 – 8"
    assert (stored.target_adjusted, stored.target_adjusted_by) == ("6", "15-NQ/TU ngày 10/3/2022")
    assert stored.target_in_force == "6"
    assert stored.assessment.suggested_status == Status.ACHIEVED  # 6,2 / 6 ≥ 1
    assert stored.assessment.progress == pytest.approx(1.033, abs=0.001)

    indicator_adjust_target(indicator=stored, target_adjusted="", adjusted_by="", by=staff)
    stored = Indicator.objects.with_assessment().get(pk=growth.pk)
    assert stored.target_in_force == "7,5 – 8"
    assert stored.assessment.suggested_status == Status.HARD


def test_the_change_is_in_the_history(growth, make_user):
    staff = make_user("staff", is_staff=True)
    indicator_adjust_target(
        indicator=growth, target_adjusted="6", adjusted_by="15-NQ/TU ngày 10/3/2022", by=staff
    )
    change = IndicatorChange.objects.filter(indicator=growth, action="changed").get()
    assert change.changed_by == staff
    assert change.old == {"target_adjusted": "", "target_adjusted_by": ""}
    assert change.new == {"target_adjusted": "6", "target_adjusted_by": "15-NQ/TU ngày 10/3/2022"}
    # The same adjustment again writes nothing.
    indicator_adjust_target(
        indicator=growth, target_adjusted="6", adjusted_by="15-NQ/TU ngày 10/3/2022", by=staff
    )
    assert IndicatorChange.objects.filter(indicator=growth, action="changed").count() == 1


def test_only_staff_adjust_a_target(growth, make_user):
    secretary = make_user("sec", growth.resolution.committee, role="secretary")
    with pytest.raises(Refused):
        indicator_adjust_target(indicator=growth, target_adjusted="6", adjusted_by="15-NQ/TU", by=secretary)
    assert Indicator.objects.get(pk=growth.pk).target_adjusted == ""


@pytest.mark.parametrize(
    ("adjusted", "decision", "message"),
    [("6", "", "cần ghi văn bản điều chỉnh"), ("", "15-NQ/TU", "cần có mục tiêu điều chỉnh")],
)
def test_an_adjustment_needs_both_the_target_and_the_decision(growth, adjusted, decision, message):
    with pytest.raises(ValidationError, match=message):
        indicator_adjust_target(indicator=growth, target_adjusted=adjusted, adjusted_by=decision)
    assert not IndicatorChange.objects.filter(indicator=growth, action="changed").exists()


def test_shown_beside_the_original_in_both_languages(growth):
    indicator_adjust_target(indicator=growth, target_adjusted="6", adjusted_by="15-NQ/TU ngày 10/3/2022")
    growth.refresh_from_db()
    assert growth.target_shown == "7,5 – 8; điều chỉnh: 6 theo 15-NQ/TU ngày 10/3/2022"
    with translation.override("en"):
        assert growth.target_shown == "7,5 – 8; adjusted: 6 by 15-NQ/TU ngày 10/3/2022"
    assert Indicator(target="5").target_shown == "5"


def test_the_json_names_the_adjustment_or_null(growth):
    (row,) = indicators_json(committee=growth.resolution.committee)["indicators"]
    assert (row["target_adjusted"], row["target_adjusted_by"]) == (None, None)
    indicator_adjust_target(indicator=growth, target_adjusted="6", adjusted_by="15-NQ/TU ngày 10/3/2022")
    (row,) = indicators_json(committee=growth.resolution.committee)["indicators"]
    assert row["target"] == "7,5 – 8"
    assert (row["target_adjusted"], row["target_adjusted_by"]) == ("6", "15-NQ/TU ngày 10/3/2022")
