"""The cell parser, case by case: what `make mutate` found that no other test pinned down.

Each test names one promise of reviews.workbook.cells; the messages are compared in full, since
they are what the importing user reads."""

import datetime
from decimal import Decimal

import pytest

from indicators.models import Status
from indicators.values import NOTE_MAX_LENGTH
from reviews.workbook import cells
from reviews.workbook.cells import COMMITTEE_SHEET, INDICATOR_SHEET, CellError


def error_of(parse, *args, **kwargs) -> str:
    with pytest.raises(CellError) as exc:
        parse(*args, **kwargs)
    return str(exc.value)


# ---- one cell as text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Kinh tế \n", "Kinh tế"),
        (True, "TRUE"),
        (False, "FALSE"),
        (7, "7"),
        (-12, "-12"),
        (2.0, "2"),
        (6.25, "6.25"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "0.00000015"),
        (Decimal("100"), "100"),
        (Decimal("2.500"), "2.5"),
        (Decimal("3.000"), "3"),
        (Decimal("1E+3"), "1000"),
        (Decimal("1.23456789012345678"), "1.23456789012345678"),  # more digits than a float holds
        (datetime.datetime(2023, 6, 15), "15/06/2023"),
        (datetime.datetime(2023, 6, 15, 8, 5), "15/06/2023 08:05"),
        (datetime.date(2023, 1, 2), "02/01/2023"),
        (datetime.time(8, 30), "08:30:00"),
        (datetime.timedelta(hours=1, minutes=2), "1:02:00"),
    ],
)
def test_each_kind_of_cell_value_reads_as_its_plain_text(value, text):
    assert cells.cell_text(value) == text


def test_a_value_of_another_type_reads_as_its_trimmed_text():
    class Odd:
        def __str__(self):
            return "  lạ  "

    assert cells.cell_text(Odd()) == "lạ"


def test_a_nul_character_is_refused_in_text_and_in_other_values():
    class Nul:
        def __str__(self):
            return "a\x00b"

    assert error_of(cells.cell_text, "a\x00b") == "Ô chứa ký tự không hợp lệ."
    assert error_of(cells.cell_text, Nul()) == "Ô chứa ký tự không hợp lệ."


def test_formulas_and_excel_errors_are_refused_with_what_to_do():
    formula = "Ô chứa công thức; hãy dán giá trị (Paste Values) thay cho công thức."
    assert error_of(cells.cell_text, "=A1", "f") == formula
    assert error_of(cells.cell_text, 5, "f") == formula
    assert error_of(cells.cell_text, 7, "e") == "Ô chứa lỗi của Excel (7)."
    assert cells.cell_text("=A1", "s") == "=A1"


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), -float("inf"), Decimal("NaN"), Decimal("Infinity")]
)
def test_numbers_that_are_not_finite_are_refused(value):
    assert error_of(cells.cell_text, value) == "Ô chứa một số không hợp lệ."


# ---- amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3500, "3500"),
        (6.5, "6,5"),
        (Decimal("1.001"), "1,0010"),  # not one thousand and one
        (0.125, "0,125"),
        (-0.125, "-0,125"),
        (-1.125, "-1,1250"),
        (1.25, "1,25"),
        (12.5, "12,5"),
    ],
)
def test_numeric_cells_become_amounts_that_read_back_as_the_same_number(value, text):
    assert cells.parse_amount(value) == text


def test_a_number_cell_holding_a_formula_or_an_error_is_refused():
    assert "công thức" in error_of(cells.parse_amount, 5, "f")
    assert error_of(cells.parse_amount, 5, "e") == "Ô chứa lỗi của Excel (5)."
    assert cells.parse_amount(True) == "TRUE"


def test_an_amount_that_is_not_a_number_says_so():
    assert error_of(cells.parse_amount, "6,,5") == "“6,,5” không phải là một số; hãy viết dạng 6,5 hoặc 6.5."


def test_amounts_and_texts_are_bounded_by_their_length_limit():
    assert cells.parse_amount("x" * 200) == "x" * 200
    assert error_of(cells.parse_amount, "x" * 201) == "Nội dung dài 201 ký tự, quá giới hạn 200 ký tự."
    assert error_of(cells.parse_amount, 123456, max_length=5) == "Nội dung dài 6 ký tự, quá giới hạn 5 ký tự."
    assert cells.parse_text("abcde", max_length=5) == "abcde"
    assert error_of(cells.parse_text, "abcdef", max_length=5) == "Nội dung dài 6 ký tự, quá giới hạn 5 ký tự."


@pytest.mark.parametrize(
    ("stored", "new", "same"),
    [
        ("3.500", "3500", True),
        ("6,5", "6,50", True),
        ("≥ 95", "≥ 95", True),
        ("", "", True),
        ("≥ 95", "≥ 96", False),
        ("6,5", "6,6", False),
        ("6,5", "khoảng 6,5", False),
    ],
)
def test_two_amounts_are_the_same_when_they_say_the_same_number(stored, new, same):
    assert cells.same_amount(stored, new) is same


# ---- texts and notes ----------------------------------------------------------------------------


def test_a_required_text_may_not_be_empty_and_an_optional_one_may():
    assert error_of(cells.parse_text, "  ", max_length=10, required=True) == "Ô này không được để trống."
    assert cells.parse_text(None, max_length=10) == ""
    assert cells.parse_text(" x ", max_length=10, required=True) == "x"


def test_a_note_keeps_its_lines_as_the_form_stores_them_within_its_limit():
    assert cells.parse_note("Dòng 1\r\nDòng 2") == "Dòng 1\nDòng 2"
    assert cells.parse_note(None) == ""
    assert cells.parse_note("x" * NOTE_MAX_LENGTH) == "x" * NOTE_MAX_LENGTH
    too_long = f"Nội dung dài {NOTE_MAX_LENGTH + 1} ký tự, quá giới hạn {NOTE_MAX_LENGTH} ký tự."
    assert error_of(cells.parse_note, "x" * (NOTE_MAX_LENGTH + 1)) == too_long
    assert "công thức" in error_of(cells.parse_note, "=A1", "f")


# ---- labels -------------------------------------------------------------------------------------


def test_labels_are_compared_without_case_spacing_dashes_or_old_tone_placement():
    assert cells.normalise_label("  Hoá \u00a0 HỌC ") == "hóa học"
    assert cells.normalise_label("THUỶ—lợi") == "thủy-lợi"
    assert cells.normalise_label("a  \t b") == "a b"
    assert cells.normalise_label("oẹ uỵ") == "ọe ụy"


def test_a_level_must_be_given_and_be_one_of_four():
    assert cells.parse_level("commune") == "commune"
    assert cells.parse_level("Xã") == "commune"
    assert error_of(cells.parse_level, "") == "Ô này không được để trống."
    assert error_of(cells.parse_level, None) == "Ô này không được để trống."
    assert (
        error_of(cells.parse_level, "quận")
        == "Cấp “quận” không có trong danh sách (tỉnh, huyện, xã, chi bộ)."
    )
    assert "công thức" in error_of(cells.parse_level, "=A1", "f")


def test_a_kind_is_one_of_three_or_empty():
    assert cells.parse_kind(None) == ""
    assert cells.parse_kind("congress") == "congress"
    assert cells.parse_kind("ĐẠI HỘI") == "congress"
    assert cells.parse_kind("thematic") == "thematic"
    assert cells.parse_kind("Cấp trên giao") == "from_above"
    assert error_of(cells.parse_kind, "bất thường") == (
        "Loại nghị quyết “bất thường” không có trong danh sách (đại hội, chuyên đề, cấp trên giao)."
    )
    assert "công thức" in error_of(cells.parse_kind, "=A1", "f")


def test_a_field_is_one_of_five_or_empty_and_an_unknown_one_lists_them():
    assert cells.parse_field(None) == ""
    assert cells.parse_field("economy") == "economy"
    assert cells.parse_field("Kinh tế") == "economy"
    assert cells.parse_field("Party building and the political system") == "party_building"
    assert error_of(cells.parse_field, "Y tế") == (
        "Lĩnh vực “Y tế” không có trong danh sách (Kinh tế; Văn hóa – xã hội; Môi trường; "
        "Quốc phòng – an ninh; Xây dựng Đảng và hệ thống chính trị)."
    )
    assert "công thức" in error_of(cells.parse_field, "=A1", "f")


def test_real_world_wording_is_read_with_a_warning_that_says_how():
    label = cells.parse_status("Cơ bản đạt")
    assert (label.code, label.warning) == (Status.ACHIEVED, "Đã hiểu “Cơ bản đạt” là “Đạt và vượt”.")
    label = cells.parse_status("chưa đạt tiến độ")
    assert (label.code, label.warning) == (Status.HARD, "Đã hiểu “chưa đạt tiến độ” là “Khó đạt”.")


def test_an_unknown_status_is_refused_with_the_four_labels():
    assert error_of(cells.parse_status, "tốt") == (
        "Đánh giá “tốt” không có trong danh sách các cách ghi được chấp nhận: Đạt và vượt, Khó đạt, "
        "Không đạt, Chưa thể đánh giá, Chưa đánh giá, có khả năng đạt và vượt, đạt, đạt 100%, đạt kế "
        "hoạch, hoàn thành, cơ bản đạt, vượt, vượt kế hoạch, hoàn thành vượt mức, có khả năng vượt, gần "
        "đạt, chưa đạt tiến độ, khó hoàn thành, chưa đạt, không hoàn thành, chưa có số liệu."
    )
    assert "công thức" in error_of(cells.parse_status, "=A1", "f")


# ---- headers and sheets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "header", "key"),
    [
        ("committees", "Mã đơn vị cấp trên", "parent_code"),
        ("committees", "Parent code", "parent_code"),
        ("committees", "(Parent code)", "parent_code"),
        ("committees", "Mã đơn vị cấp trên [Parent code]", "parent_code"),
        ("indicators", "Thực hiện giữa nhiệm kỳ (Mid-term value)", "value"),
        ("indicators", "no.", "number"),
        ("indicators", None, None),
        ("indicators", 5, None),
        ("indicators", "Cột lạ", None),
        ("committees", "Chỉ tiêu", None),
    ],
)
def test_a_header_names_a_column_of_its_own_sheet(sheet, header, key):
    assert cells.match_header(sheet, header) == key


def test_a_sheet_is_found_by_either_of_its_names_as_it_is_written():
    assert cells.match_sheet(["Sheet1", " CHỈ TIÊU "], INDICATOR_SHEET) == " CHỈ TIÊU "
    assert cells.match_sheet(["Committees", "Indicators"], COMMITTEE_SHEET) == "Committees"
    assert cells.match_sheet(["Đơn vị", "Committees"], COMMITTEE_SHEET) == "Đơn vị"
    assert cells.match_sheet(["Sheet1"], COMMITTEE_SHEET) is None


@pytest.mark.parametrize(
    ("text", "formula"),
    [("=A1", True), ("+84", True), ("-5", True), ("@sum", True), ("\tx", True), ("\rx", True)]
    + [("", False), ("a=1", False), (" =A1", False), ("84", False), ("Xã", False)],
)
def test_text_a_spreadsheet_would_run_as_a_formula(text, formula):
    assert cells.is_formula_like(text) is formula


@pytest.mark.parametrize(
    "parse", [cells.parse_level, cells.parse_kind, cells.parse_field, cells.parse_status]
)
def test_a_formula_cell_is_refused_even_when_it_shows_nothing(parse):
    assert "công thức" in error_of(parse, "", "f")


@pytest.mark.parametrize(
    ("parse", "label"),
    [(cells.parse_level, "Tỉnh"), (cells.parse_kind, "Chuyên đề"), (cells.parse_field, "Kinh tế")],
)
def test_a_formula_cell_is_refused_even_when_it_shows_a_valid_label(parse, label):
    assert "công thức" in error_of(parse, label, "f")


# ---- a numeric cell as the spreadsheet shows it ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "data_type", "number_format", "shown"),
    [
        # A percent format multiplies by 100 and writes the decimal comma.
        (0.72, "n", "0%", "72%"),
        (0.065, "n", "0.0%", "6,5%"),
        (Decimal("0.125"), "n", "0.00%", "12,5%"),
        (-0.05, "n", "0%", "-5%"),
        # Only the positive section counts, without colours, quoted text, escapes, padding or fills.
        (0.5, "n", "0%;[Red]-0", "50%"),
        (0.5, "n", "0;[Red]-0%", 0.5),
        (0.5, "n", "0;-0%;0", 0.5),
        (0.5, "n", '0.0"%"', 0.5),
        (0.5, "n", "0.0\\%", 0.5),
        (0.5, "n", "[Blue]0%", "50%"),
        (0.5, "n", "0_%", 0.5),
        (0.5, "n", "0*%", 0.5),
        (0.5, "n", '"Tỷ lệ: "0%', "50%"),
        # Zero padding: two digits or more, a whole number, not negative.
        (7, "n", "000", "007"),
        (0, "n", "00", "00"),
        (7.0, "n", " 0000 ", "0007"),
        (1234, "n", "00", "1234"),
        (7, "n", "00;(00)", "07"),
        (7, "n", '"Số "000', "007"),
        (7, "n", "0", 7),
        (7.5, "n", "000", 7.5),
        (-7, "n", "000", -7),
        (7, "n", "0.00", 7),
        (7, "n", "General", 7),
        (7, "n", None, 7),
        # Anything but a number cell is left as it is.
        (7, "s", "000", 7),
        (0.5, None, "0%", 0.5),
        ("0,5", "n", "0%", "0,5"),
        (True, "n", "000", True),
        (None, "n", "0%", None),
    ],
)
def test_a_numeric_cell_reads_as_its_format_shows_it(value, data_type, number_format, shown):
    result = cells.read_formatted(value, data_type, number_format, ref="I2")
    assert result == shown and type(result) is type(shown)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime.datetime(2023, 2, 1, 9, 30), "01/02/2023"),
        (datetime.date(2023, 2, 1), "01/02/2023"),
        (datetime.time(1, 2), "01:02:00"),
        (datetime.timedelta(days=1), "1 day, 0:00:00"),
    ],
)
def test_a_date_cell_is_refused_naming_the_cell_what_it_shows_and_what_to_do(value, shown):
    assert error_of(cells.read_formatted, value, "d", "dd/mm/yyyy", ref="K7") == (
        f"Ô K7 có định dạng ngày tháng ({shown}): bảng tính có thể đã đổi điều bạn gõ "
        "(ví dụ 1/2) thành ngày. Hãy định dạng ô là Văn bản (Text) rồi gõ lại."
    )


# ---- results over time: the yearly columns, measure and direction -----------------------------


@pytest.mark.parametrize(
    ("key", "split"),
    [
        ("year:2021", ("year", 2021)),
        ("estimate:2024", ("estimate", 2024)),
        ("year:", None),
        ("year:20x1", None),
        ("forecast:2021", None),
        ("baseline", None),
        ("year2021", None),
    ],
)
def test_a_yearly_key_splits_into_its_kind_and_year(key, split):
    assert cells.split_year_key(key) == split


def test_a_term_has_an_actual_and_an_estimate_column_for_each_year_after_the_first():
    assert cells.year_columns(2020, 2022) == [
        cells.Column("year:2021", "Năm 2021", "Year 2021"),
        cells.Column("estimate:2021", "Ước 2021", "Estimate 2021"),
        cells.Column("year:2022", "Năm 2022", "Year 2022"),
        cells.Column("estimate:2022", "Ước 2022", "Estimate 2022"),
    ]
    assert not any(column.required for column in cells.year_columns(2020, 2022))
    assert cells.year_columns(2020, 2020) == []


def test_an_export_writes_the_fixed_columns_then_the_results_in_order():
    keys = [column.key for column in cells.indicator_columns(2020, 2022)]
    fixed = [column.key for column in cells.INDICATOR_COLUMNS]
    assert keys == [
        *fixed,
        "baseline",
        "measure",
        "direction",
        "year:2021",
        "estimate:2021",
        "year:2022",
        "estimate:2022",
        "forecast",
        "exceeded",  # the "Vượt" mark, the group, the adjustment, `Đơn vị giao`, last: older files still read
        "part_of",
        "target_adjusted",
        "target_adjusted_by",
        "assigned_by",
    ]


@pytest.mark.parametrize(
    ("parse", "text", "code"),
    [
        (cells.parse_measure, "mức", "level"),
        (cells.parse_measure, "Cộng dồn", "cumulative"),
        (cells.parse_measure, " bình  quân ", "average"),
        (cells.parse_measure, "Level", "level"),
        (cells.parse_measure, "cumulative", "cumulative"),
        (cells.parse_measure, "AVERAGE", "average"),
        (cells.parse_measure, "", ""),
        (cells.parse_measure, None, ""),
        (cells.parse_direction, "tăng", "up"),
        (cells.parse_direction, "Giảm", "down"),
        (cells.parse_direction, "up", "up"),
        (cells.parse_direction, "DOWN", "down"),
        (cells.parse_direction, "  ", ""),
        (cells.parse_direction, None, ""),
    ],
)
def test_measure_and_direction_read_either_language_and_empty_keeps_the_stored_one(parse, text, code):
    assert parse(text) == code


def test_an_unknown_measure_or_direction_names_the_choices():
    assert error_of(cells.parse_measure, "trung bình") == (
        "Cách tính “trung bình” không có trong danh sách (mức, cộng dồn, bình quân)."
    )
    assert error_of(cells.parse_direction, "ngang") == "Chiều “ngang” không có trong danh sách (tăng, giảm)."
    assert "công thức" in error_of(cells.parse_measure, "=A1", "f")
    assert "công thức" in error_of(cells.parse_direction, "=A1", "f")


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Năm 2021", "year:2021"),
        ("năm2021", "year:2021"),
        ("Year 2023", "year:2023"),
        ("Ước 2022", "estimate:2022"),
        ("ESTIMATE 2025", "estimate:2025"),
        ("Năm 2021 (Year 2021)", "year:2021"),
        ("Ước 2022 [Estimate 2022]", "estimate:2022"),
        ("(Year 2024)", "year:2024"),
        ("Năm 2021 (Year 2022)", None),  # two years: which one?
        ("Năm 2021 (Ước 2021)", None),  # actual or estimate?
        ("Tháng 2021", None),
        ("2021 Năm", None),
        ("Năm 21", None),
        ("Năm 2021 (Tháng 2021)", None),
    ],
)
def test_a_yearly_header_names_its_kind_and_year_in_either_language(header, key):
    assert cells.match_header("indicators", header) == key


def test_the_committee_sheet_has_no_yearly_columns():
    assert cells.match_header("committees", "Năm 2021") is None


def test_label_tables_read_codes_and_both_languages_as_the_code():
    assert cells._label_table({"up": ("Tăng", "Up wards")}) == {"up": "up", "tăng": "up", "up wards": "up"}


def test_header_tables_read_every_way_a_column_is_written():
    column = cells.Column("forecast", "Dự báo cuối kỳ", "Forecast")
    assert cells._header_table([column]) == {
        "dự báo cuối kỳ": "forecast",
        "forecast": "forecast",
        "dự báo cuối kỳ (forecast)": "forecast",
        "(forecast)": "forecast",
        "dự báo cuối kỳ [forecast]": "forecast",
    }


def test_a_format_section_is_the_positive_one_without_quoted_text():
    assert cells._format_section(None) == ""
    assert cells._format_section('0.0" kg";-0.0;"zero"') == "0.0"


def test_a_formula_or_an_error_cell_holding_text_is_no_amount():
    assert "công thức" in error_of(cells.parse_amount, "=SUM(A1:A2)", "f")
    assert error_of(cells.parse_amount, "#N/A", "e") == "Ô chứa lỗi của Excel (#N/A)."
