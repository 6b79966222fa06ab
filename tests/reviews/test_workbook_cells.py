"""The cell parser: labels however they are typed, numbers either way, and only CellError on bad input."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import Status
from indicators.values import parse_number
from reviews.workbook import cells
from reviews.workbook.cells import CellError

any_cell = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
    st.dates(),
)
any_type = st.sampled_from([None, "s", "n", "f", "e", "b", "d", "inlineStr"])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Đạt và vượt", Status.ACHIEVED),
        ("  đạt VÀ vượt ", Status.ACHIEVED),
        ("Achieved or exceeded", Status.ACHIEVED),
        ("khó đạt", Status.HARD),
        ("HARD", Status.HARD),
        ("not_achieved", Status.NOT_ACHIEVED),
        ("Không đạt", Status.NOT_ACHIEVED),
        ("", Status.NOT_ASSESSED),
        (None, Status.NOT_ASSESSED),
        ("Chưa đánh giá", Status.NOT_ASSESSED),
    ],
)
def test_status_labels_and_codes_are_read_without_warning(text, code):
    label = cells.parse_status(text)
    assert (label.code, label.warning) == (code, "")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("cơ bản đạt", Status.ACHIEVED),
        ("Có khả năng đạt và vượt", Status.ACHIEVED),
        ("gần đạt", Status.HARD),
        ("Chưa đạt tiến độ", Status.HARD),
        ("chưa đạt", Status.NOT_ACHIEVED),
    ],
)
def test_real_world_wording_is_mapped_with_a_warning(text, code):
    label = cells.parse_status(text)
    assert label.code == code
    assert text in label.warning


def test_unknown_status_names_the_four_labels():
    with pytest.raises(CellError, match="Đạt và vượt, Khó đạt, Không đạt, Chưa đánh giá"):
        cells.parse_status("tốt")


@pytest.mark.parametrize(
    "text", ["Văn hóa – xã hội", "văn hoá - xã hội", "VĂN HÓA—XÃ HỘI", "culture and society"]
)
def test_field_ignores_case_dash_and_tone_placement(text):
    assert cells.parse_field(text) == "culture_society"


@pytest.mark.parametrize(
    ("text", "code"), [("Tỉnh", "province"), (" district ", "district"), ("Chi Bộ", "cell")]
)
def test_levels(text, code):
    assert cells.parse_level(text) == code


def test_kind_empty_means_keep_the_stored_one():
    assert cells.parse_kind("") == ""
    assert cells.parse_kind("Chuyên đề") == "thematic"


@pytest.mark.parametrize(
    ("header", "key"),
    [("Mã đơn vị", "code"), ("  code ", "code"), ("Mã đơn vị (Code)", "code"), ("ĐÁNH GIÁ", "status")],
)
def test_headers_in_either_language(header, key):
    assert cells.match_header("indicators", header) == key


@pytest.mark.parametrize(
    ("value", "text"),
    [("6,5", "6,5"), ("6.5", "6,5"), (6.5, "6,5"), (73, "73"), ("3.500", "3500"), ("≥ 95", "≥ 95")],
)
def test_amounts_store_numbers_in_vietnamese_notation_and_text_as_written(value, text):
    assert cells.parse_amount(value) == text


@pytest.mark.parametrize("text", ["6,,5", "1.2.3,4,5", "6 ,5,"])
def test_number_shaped_text_that_does_not_parse_is_an_error(text):
    with pytest.raises(CellError, match="không phải là một số"):
        cells.parse_amount(text)


def test_formula_cell_is_an_error():
    with pytest.raises(CellError, match="công thức"):
        cells.parse_text("=SUM(A1:A3)", "f", max_length=100)


def test_text_starting_with_equals_is_text_when_stored_as_text():
    assert cells.parse_text("=không phải công thức", "s", max_length=100) == "=không phải công thức"


@given(value=any_cell, data_type=any_type)
def test_parsers_raise_nothing_but_cell_error(value, data_type):
    for parse in (
        cells.parse_status,
        cells.parse_level,
        cells.parse_field,
        cells.parse_kind,
        cells.parse_amount,
        lambda v, t: cells.parse_text(v, t, max_length=50, required=True),
    ):
        try:
            result = parse(value, data_type)
        except CellError as exc:
            assert str(exc)
        else:
            assert result is not None


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False))
def test_numeric_cells_read_back_as_the_same_number(number):
    value = float(number)
    assert parse_number(cells.parse_amount(value)) == Decimal(repr(value))


@given(st.sampled_from(["Đạt và vượt", "Khó đạt", "Không đạt", "Chưa đánh giá", "cơ bản đạt", "gần đạt"]),
       st.sampled_from([str.upper, str.lower, str.title, lambda s: f"  {s}\u00a0"]))  # fmt: skip
def test_labels_survive_case_and_spacing(label, change):
    assert cells.parse_status(change(label)).code == cells.parse_status(label).code


@given(st.text(alphabet="0123456789-_ABCĐ", min_size=1, max_size=30))
def test_codes_are_kept_as_written(code):
    assert cells.parse_text(code, "s", max_length=40) == code.strip()


def test_dates_are_written_day_first():
    assert cells.cell_text(datetime.datetime(2023, 6, 15)) == "15/06/2023"
