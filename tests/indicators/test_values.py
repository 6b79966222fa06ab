from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.values import parse_number, stored_amount


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("6,5", Decimal("6.5")),
        ("6.5", Decimal("6.5")),
        (" 73 ", Decimal("73")),
        ("3.500", Decimal("3500")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("-2,25", Decimal("-2.25")),
        ("0,125", Decimal("0.125")),
    ],
)
def test_numbers_written_either_way(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["", "≥ 95", "Hoàn thành", "6,5%", "1,2,3,4", "abc"])
def test_text_is_not_a_number(text):
    assert parse_number(text) is None


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_comma_and_point_give_the_same_number(d):
    text = f"{d:.2f}"
    assert parse_number(text) == parse_number(text.replace(".", ",")) == Decimal(text)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("6.5", "6,5"),
        ("  6,5 ", "6,5"),
        ("3.500", "3500"),
        ("1,234.5", "1234,5"),
        ("≥  95", "≥ 95"),
        ("", ""),
    ],
)
def test_stored_amount_writes_numbers_the_vietnamese_way(typed, stored):
    assert stored_amount(typed) == stored


@pytest.mark.parametrize("typed", ["6,,5", "1,2,3", "6.5."])
def test_stored_amount_refuses_what_looks_like_a_number_but_is_none(typed):
    with pytest.raises(ValueError):
        stored_amount(typed)


def test_bidirectional_controls_are_removed_and_nothing_else():
    from indicators.values import without_bidi_controls

    controls = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    assert without_bidi_controls(f"Ng{controls}ày 31 tháng 12\u202e") == "Ngày 31 tháng 12"
    assert without_bidi_controls("Đắk Lắk – ١٢ \u200d") == "Đắk Lắk – ١٢ \u200d"  # letters and joiners stay


def test_without_unit_takes_off_only_the_indicators_own_unit():
    from indicators.values import is_number_with_words, without_unit

    assert without_unit("17 tiêu chí", "tiêu chí") == ("17", "tiêu chí")
    assert without_unit(" 17   Tiêu chí. ", "tiêu chí") == ("17", "tiêu chí")
    assert without_unit("75%", "%") == ("75", "%")
    assert without_unit("1.200 ha", "ha") == ("1.200", "ha")
    assert without_unit("17 tiêu chí", "xã") == ("17 tiêu chí", "")
    assert without_unit("≥ 95", "%") == ("≥ 95", "")
    assert without_unit("Đạt", "%") == ("Đạt", "")
    assert (
        is_number_with_words("17 tiêu chí")
        and not is_number_with_words("6,5")
        and not is_number_with_words("Đạt")
    )
