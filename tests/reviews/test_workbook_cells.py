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
    with pytest.raises(
        CellError, match="Đạt và vượt, Khó đạt, Không đạt, Chưa thể đánh giá, Chưa đánh giá, "
    ):
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


# Every label of the file format with its code, written out here rather than read from cells.py.
STATUS_TEXTS = {
    "Đạt và vượt": Status.ACHIEVED,
    "Achieved or exceeded": Status.ACHIEVED,
    "Khó đạt": Status.HARD,
    "Hard to achieve": Status.HARD,
    "Không đạt": Status.NOT_ACHIEVED,
    "Not achieved": Status.NOT_ACHIEVED,
    "Chưa đánh giá": Status.NOT_ASSESSED,
    "Not yet assessed": Status.NOT_ASSESSED,
    "cơ bản đạt": Status.ACHIEVED,
    "gần đạt": Status.HARD,
    "chưa đạt tiến độ": Status.HARD,
}
blanks = st.text(alphabet=" \t\u00a0", max_size=3)


@st.composite
def retyped(draw, text: str) -> str:
    """`text` as someone might type it: any letter in either case, any run of blanks between words."""
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    cased = "".join(ch.upper() if flip else ch.lower() for ch, flip in zip(text, flips, strict=True))
    words = cased.split(" ")
    gaps = [draw(st.text(alphabet=" \t\u00a0", min_size=1, max_size=3)) for _ in words[1:]]
    inner = words[0] + "".join(gap + word for gap, word in zip(gaps, words[1:], strict=True))
    return draw(blanks) + inner + draw(blanks)


@given(st.sampled_from(sorted(STATUS_TEXTS)).flatmap(lambda t: st.tuples(st.just(t), retyped(t))))
def test_labels_survive_any_case_and_spacing(pair):
    label, typed = pair
    assert cells.parse_status(typed).code == STATUS_TEXTS[label]


code_core = st.text(alphabet="0123456789-_ABCĐ ", min_size=1, max_size=30).filter(
    lambda s: s[0] != " " and s[-1] != " "
)


@given(st.tuples(blanks, code_core, blanks))
def test_codes_are_kept_as_written_without_surrounding_blanks(parts):
    before, code, after = parts
    assert cells.parse_text(before + code + after, "s", max_length=40) == code


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=4))
def test_percent_cells_read_as_the_percent_shown(hundredths, places):
    shown = Decimal(hundredths) / 100  # the percent as the spreadsheet shows it, e.g. 72 or 6.5
    text = cells.read_formatted(
        float(shown / 100), "n", "0." + "0" * places + "%" if places else "0%", ref="I2"
    )
    assert text.endswith("%") and parse_number(text[:-1]) == shown
    assert "." not in text  # Vietnamese decimal comma


@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=2, max_value=6))
def test_zero_padded_numbers_keep_their_zeros(number, width):
    text = cells.read_formatted(number, "n", "0" * width, ref="A2")
    assert int(text) == number and len(text) == max(width, len(str(number)))


@given(st.one_of(st.datetimes(), st.dates(), st.times()))
def test_date_cells_are_an_error_naming_the_cell(value):
    with pytest.raises(CellError, match="^Ô K7 có định dạng ngày tháng"):
        cells.read_formatted(value, "d", "dd/mm/yyyy", ref="K7")


def test_dates_are_written_day_first():
    assert cells.cell_text(datetime.datetime(2023, 6, 15)) == "15/06/2023"


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!"])
def test_an_excel_error_cell_is_refused_not_read_as_text(error):
    # openpyxl hands an error cell over as its text with data type "e".
    with pytest.raises(CellError, match="lỗi của Excel"):
        cells.cell_text(error, "e")
    assert cells.cell_text(error, "s") == error  # the same text typed as text stays text


def test_a_cells_text_loses_its_bidirectional_controls():
    assert cells.cell_text("Xã Nông Hạ\u202e ") == "Xã Nông Hạ"


# ---- Giai đoạn, Vượt: the columns the end of term and real reports added -------------------------


@pytest.mark.parametrize(
    ("text", "stage"),
    [(None, "mid"), ("", "mid"), ("  ", "mid"), ("giữa kỳ", "mid"), ("Mid", "mid"), ("cuối kỳ", "end"),
     ("CUỐI KỲ", "end"), (" end ", "end")],
)  # fmt: skip
def test_the_stage_column_reads_either_language_and_empty_is_the_mid_term(text, stage):
    assert cells.parse_stage(text) == stage


@pytest.mark.parametrize("text", ["cuối năm", "giữa", "2", "end of term"])
def test_any_other_stage_is_refused_naming_the_column_and_the_accepted_words(text):
    with pytest.raises(CellError) as refused:
        cells.parse_stage(text)
    assert str(refused.value) == f"Giai đoạn “{text}” không có trong danh sách (giữa kỳ, cuối kỳ)."


@pytest.mark.parametrize("text", ["x", "X", " x ", "có", "Có", "co", "yes", "Y", "1", "true", "vượt", "VƯỢT"])
def test_the_exceeded_column_reads_a_mark(text):
    assert cells.parse_exceeded(text) is True


@pytest.mark.parametrize("text", [None, "", "  ", "không", "khong", "no", "N", "0", "false"])
def test_the_exceeded_column_reads_empty_or_no_as_not_exceeded(text):
    assert cells.parse_exceeded(text) is False


@pytest.mark.parametrize("text", ["2", "đạt", "xx", "vượt mức"])
def test_any_other_exceeded_mark_is_refused_quoting_it(text):
    with pytest.raises(CellError) as refused:
        cells.parse_exceeded(text)
    assert str(refused.value) == (
        f"Cột “Vượt” ghi “x” (hoặc “có”) cho chỉ tiêu vượt, hoặc để trống; không hiểu “{text}”."
    )


@pytest.mark.parametrize("reader", [cells.parse_stage, cells.parse_exceeded])
def test_a_formula_in_the_stage_or_exceeded_column_is_refused_even_showing_a_valid_word(reader):
    with pytest.raises(CellError, match="công thức"):
        reader("x" if reader is cells.parse_exceeded else "cuối kỳ", "f")


def test_the_exceeded_mark_of_a_row_comes_from_its_label_or_its_column():
    achieved, exceeding = cells.Label(Status.ACHIEVED), cells.Label(Status.ACHIEVED, exceeded=True)
    assert cells.exceeded_of(achieved, None) is False
    assert cells.exceeded_of(achieved, False) is False
    assert cells.exceeded_of(achieved, True) is True
    assert cells.exceeded_of(exceeding, None) is True  # "vượt kế hoạch": the label sets it alone
    assert cells.exceeded_of(exceeding, False) is True
    # An x beside a status other than achieved cannot be stored: None, for the checker to refuse.
    assert cells.exceeded_of(cells.Label(Status.HARD), True) is None
    assert cells.exceeded_of(cells.Label(Status.HARD), False) is False
    assert cells.exceeded_of(cells.Label(Status.NOT_ACHIEVED), None) is False


def test_a_real_reports_label_is_read_whole_its_exceeded_mark_and_its_wording_kept():
    """What the import summary and the checker read from a label: the status, the "vượt" mark a
    "vượt" label carries, the words as written, and the warning naming both."""
    assert cells.parse_status("vượt kế hoạch") == cells.Label(
        Status.ACHIEVED,
        "Đã hiểu “vượt kế hoạch” là “Đạt và vượt (vượt)”.",
        exceeded=True,
        read_from="vượt kế hoạch",
    )
    assert cells.parse_status("đạt 100%") == cells.Label(
        Status.ACHIEVED, "Đã hiểu “đạt 100%” là “Đạt và vượt”.", exceeded=False, read_from="đạt 100%"
    )
    assert cells.parse_status("Đạt và vượt") == cells.Label(Status.ACHIEVED)
