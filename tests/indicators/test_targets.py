from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.suggestion import suggest
from indicators.targets import TargetKind, parse_target


@pytest.mark.parametrize("text", ["7,5 – 8", "7,5-8", "7,5 - 8", "từ 7,5 đến 8", "Từ 7,5 đến 8 %", "8 – 7,5"])
def test_a_range_reads_its_two_ends(text):
    target = parse_target(text)
    assert (target.kind, target.low, target.high) == (TargetKind.RANGE, Decimal("7.5"), Decimal("8"))
    assert target.for_suggestion("up") == Decimal("7.5")
    assert target.for_suggestion("down") == Decimal("8")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("≥ 75", "75"),
        ("trên 75", "75"),
        ("tối thiểu 75", "75"),
        ("ít nhất 75", "75"),
        ("≥ 95%", "95"),
        ("≤ 3", "3"),
        ("dưới 3", "3"),
        ("tối đa 3", "3"),
        ("không quá 3", "3"),
        ("≥ 170.000", "170000"),
    ],
)
def test_a_bound_reads_its_number_whatever_the_direction(text, number):
    target = parse_target(text)
    assert target.kind == TargetKind.BOUND
    assert target.for_suggestion("up") == target.for_suggestion("down") == Decimal(number)


@pytest.mark.parametrize(
    "text", ["top 30", "nhóm khá", "Top 30 cả nước", "đạt chuẩn nông thôn mới", "6,,5", "7,5 – "]
)
def test_a_rank_or_a_phrase_is_text_and_gives_no_number(text):
    target = parse_target(text)
    assert target.kind == TargetKind.TEXT
    assert target.for_suggestion("up") is None


def test_a_plain_number_and_nothing():
    assert parse_target("6,5").for_suggestion("down") == Decimal("6.5")
    assert parse_target("  ").kind == TargetKind.EMPTY


@given(st.text())
def test_any_text_is_read_without_raising(text):
    target = parse_target(text)
    assert target.kind in TargetKind
    assert target.for_suggestion("up") is None or isinstance(target.for_suggestion("up"), Decimal)


@given(st.from_regex(r"(từ )?[0-9]{1,4}(,[0-9])? ?[-–đến]{1,3} ?[0-9]{1,4}( ?%)?", fullmatch=True))
def test_range_shaped_text_never_raises(text):
    parse_target(text)


def _suggest(target, *, years, measure="level", direction="up", baseline=""):
    return suggest(
        target=target,
        baseline=baseline,
        years=years,
        forecast="",
        measure=measure,
        direction=direction,
        start_year=2020,
        end_year=2025,
    )


def test_quang_nam_a_growth_range_is_judged_by_its_low_end():
    # Growth target "7,5 - 8" %/year, average 3,8 % over three years.
    suggestion = _suggest("7,5 - 8", years={2021: "3,1", 2022: "4,2", 2023: "4,1"}, measure="average")
    assert suggestion.projected == Decimal("3.8")
    assert suggestion.progress == Decimal("3.8") / Decimal("7.5")
    assert suggestion.status == "not_achieved"


def test_a_range_going_down_is_judged_by_its_high_end():
    suggestion = _suggest("2 – 3", years={2021: "3"}, measure="average", direction="down")
    assert suggestion.progress == 1 and suggestion.status == "achieved"


def test_a_bound_is_judged_by_its_number_and_a_phrase_gives_no_suggestion():
    assert _suggest("≥ 80", years={2021: "80"}, measure="average").status == "achieved"
    assert _suggest("top 30", years={2021: "80"}, measure="average") is None
    assert _suggest("nhóm khá", years={2021: "80"}, measure="average") is None
