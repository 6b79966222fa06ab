"""The workbook's columns and labels, and the parsing of one cell into a stored value."""

import datetime
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from indicators import labels
from indicators.models import Direction, Field, Level, Measure, ResolutionKind, Stage, Status
from indicators.values import (
    NOTE_MAX_LENGTH,
    normalise_note,
    parse_number,
    stored_amount,
    without_bidi_controls,
)


class CellError(Exception):
    """A cell that cannot be read; its message is a sentence for the user."""


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    required: bool = False


COMMITTEE_SHEET = ("Đơn vị", "Committees")
INDICATOR_SHEET = ("Chỉ tiêu", "Indicators")

COMMITTEE_COLUMNS = [
    Column("code", "Mã đơn vị", "Code", required=True),
    Column("name", "Tên đơn vị", "Name", required=True),
    Column("level", "Cấp", "Level", required=True),
    Column("parent_code", "Mã đơn vị cấp trên", "Parent code"),
]
INDICATOR_COLUMNS = [
    Column("code", "Mã đơn vị", "Code", required=True),
    Column("resolution", "Nghị quyết", "Resolution", required=True),
    Column("kind", "Loại nghị quyết", "Resolution kind"),
    Column("number", "STT", "No.", required=True),
    Column("text", "Chỉ tiêu", "Indicator", required=True),
    Column("field", "Lĩnh vực", "Field"),
    Column("unit", "Đơn vị tính", "Unit"),
    Column("target", "Mục tiêu", "Target"),
    Column("value", "Thực hiện giữa nhiệm kỳ", "Mid-term value"),
    Column("status", "Đánh giá", "Status"),
    Column("note", "Ghi chú", "Note"),
]
# Results over time (spec/workbook.md), all optional: a workbook without them imports as before.
# The yearly columns ("Năm 2021", "Ước 2021"…) depend on the term: see year_columns().
RESULT_COLUMNS = [
    Column("baseline", "Giá trị đầu kỳ", "Baseline"),
    Column("measure", "Cách tính", "Measure"),
    Column("direction", "Chiều", "Direction"),
    Column("forecast", "Dự báo cuối kỳ", "Forecast"),
]
# spec/workbook.md "Real variety", optional: x for an achieved indicator that exceeds its target.
# Written last by the export, so no earlier column's letter moves.
VARIETY_COLUMNS = [
    Column("exceeded", "Vượt", "Exceeded"),
    # The STT of the group this row is a part of, in the same resolution (indicators.groups).
    Column("part_of", "Thuộc chỉ tiêu", "Part of"),
    # A target adjusted at mid-term and the decision that adjusted it; a file without these
    # columns keeps the stored adjustment.
    Column("target_adjusted", "Mục tiêu điều chỉnh", "Adjusted target"),
    Column("target_adjusted_by", "Văn bản điều chỉnh", "Adjusted by"),
    # The code of the committee above whose indicator the row is (its `Nghị quyết` and `STT` name
    # that indicator; `Mục tiêu` is the local target): indicators.assignments.
    Column("assigned_by", "Đơn vị giao", "Assigned by"),
]
# From one term to the next (reviews.workbook.lineage), optional, written after all the others.
PREDECESSORS_COLUMN = Column("predecessors", "Đơn vị tiền thân", "Predecessors")
PREDECESSOR_COLUMN = Column("predecessor", "Chỉ tiêu kỳ trước", "Predecessor")
# Which review the row's status, note and values belong to (workbook.md): optional, mid-term when
# absent. The mid-term export goes without it; the end-of-term export writes it on every row.
STAGE_COLUMNS = [Column("stage", "Giai đoạn", "Stage")]
# The end-of-term export's title of the value column (its rows carry the end's value): read as
# `Thực hiện giữa nhiệm kỳ` is, whatever the row's stage.
END_VALUE_COLUMN = Column("value", "Thực hiện cuối nhiệm kỳ", "End-of-term value")
YEAR_KINDS = {"year": ("Năm", "Year"), "estimate": ("Ước", "Estimate")}


def year_key(kind: str, year: int) -> str:
    """The column key of a yearly column: 'year:2021' (actual) or 'estimate:2021'."""
    return f"{kind}:{year}"


def split_year_key(key: str) -> tuple[str, int] | None:
    """('year', 2021) for 'year:2021', ('estimate', 2021) for 'estimate:2021', else None."""
    kind, _colon, year = key.partition(":")
    return (kind, int(year)) if kind in YEAR_KINDS and year.isdigit() else None


def year_columns(start_year: int, end_year: int) -> list[Column]:
    """One actual and one estimate column for each year of the term after the first (the baseline's)."""
    return [
        Column(year_key(kind, year), f"{vi} {year}", f"{en} {year}")
        for year in range(start_year + 1, end_year + 1)
        for kind, (vi, en) in YEAR_KINDS.items()
    ]


def indicator_columns(start_year: int, end_year: int) -> list[Column]:
    """The columns an export writes for a term, in order: the fixed ones first, so their letters
    never move, then baseline, measure, direction, the years, and the forecast."""
    baseline, measure, direction, forecast = RESULT_COLUMNS
    return [
        *INDICATOR_COLUMNS,
        baseline,
        measure,
        direction,
        *year_columns(start_year, end_year),
        forecast,
        *VARIETY_COLUMNS,
    ]


# The file format is fixed, whatever the user's language: these labels are data, not UI text.
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    Level.PROVINCE: ("tỉnh", "province"),
    Level.DISTRICT: ("huyện", "district"),
    Level.COMMUNE: ("xã", "commune"),
    Level.CELL: ("chi bộ", "cell"),
}
KIND_LABELS: dict[str, tuple[str, str]] = {
    ResolutionKind.CONGRESS: ("đại hội", "congress"),
    ResolutionKind.THEMATIC: ("chuyên đề", "thematic"),
    ResolutionKind.FROM_ABOVE: ("cấp trên giao", "assigned from above"),
}
FIELD_LABELS: dict[str, tuple[str, str]] = {
    Field.ECONOMY: ("Kinh tế", "Economy"),
    Field.CULTURE_SOCIETY: ("Văn hóa – xã hội", "Culture and society"),
    Field.ENVIRONMENT: ("Môi trường", "Environment"),
    Field.DEFENCE_SECURITY: ("Quốc phòng – an ninh", "Defence and security"),
    Field.PARTY_BUILDING: ("Xây dựng Đảng và hệ thống chính trị", "Party building and the political system"),
}
# The statuses' own names, as the export writes them (the core's table: indicators.labels).
STATUS_LABELS: dict[str, tuple[str, str]] = {s.value: names for s, names in labels.CANONICAL_LABELS.items()}
MEASURE_LABELS: dict[str, tuple[str, str]] = {
    Measure.LEVEL: ("mức", "level"),
    Measure.CUMULATIVE: ("cộng dồn", "cumulative"),
    Measure.AVERAGE: ("bình quân", "average"),
}
STAGE_LABELS: dict[str, tuple[str, str]] = {
    Stage.MID: ("giữa kỳ", "mid"),
    Stage.END: ("cuối kỳ", "end"),
}
DIRECTION_LABELS: dict[str, tuple[str, str]] = {
    Direction.UP: ("tăng", "up"),
    Direction.DOWN: ("giảm", "down"),
}

# One normal form for every label of the workbook: the core's, which reads the status words.
normalise_label = labels.normalise


def _label_table(labels: dict) -> dict[str, str]:
    table = {}
    for code, names in labels.items():
        table[normalise_label(code)] = code
        for name in names:
            table[normalise_label(name)] = code
    return table


_LEVELS = _label_table(LEVEL_LABELS)
_KINDS = _label_table(KIND_LABELS)
_FIELDS = _label_table(FIELD_LABELS)
_MEASURES = _label_table(MEASURE_LABELS)
_DIRECTIONS = _label_table(DIRECTION_LABELS)
# The accepted words an error lists, joined once rather than for every cell read.
_FIELD_CHOICES = "; ".join(vi for vi, _en in FIELD_LABELS.values())
_MEASURE_CHOICES = ", ".join(vi for vi, _en in MEASURE_LABELS.values())
_DIRECTION_CHOICES = ", ".join(vi for vi, _en in DIRECTION_LABELS.values())
_STAGES = _label_table(STAGE_LABELS)


def _header_table(columns: list[Column]) -> dict[str, str]:
    table = {}
    for col in columns:
        for name in (col.vi, col.en, f"{col.vi} ({col.en})", f"({col.en})", f"{col.vi} [{col.en}]"):
            table[normalise_label(name)] = col.key
    return table


_HEADERS = {
    "committees": _header_table([*COMMITTEE_COLUMNS, PREDECESSORS_COLUMN]),
    "indicators": _header_table(
        [
            *INDICATOR_COLUMNS,
            *RESULT_COLUMNS,
            *VARIETY_COLUMNS,
            *STAGE_COLUMNS,
            PREDECESSOR_COLUMN,
            END_VALUE_COLUMN,
        ]
    ),
}
_YEAR_WORDS = {normalise_label(word): kind for kind, words in YEAR_KINDS.items() for word in words}
_YEAR_HEADER = re.compile(r"(\w+) ?(\d{4})")
_TWO_LANGUAGES = re.compile(r"(.*?) ?[(\[](.*)[)\]]")


def _year_header(label: str) -> str | None:
    """'year:2021' for 'năm 2021', 'year 2021', 'năm 2021 (year 2021)', '(year 2021)'…; else None."""
    both = _TWO_LANGUAGES.fullmatch(label)
    parts = [p for p in both.groups() if p] if both else [label]
    keys = set()
    for part in parts:
        match = _YEAR_HEADER.fullmatch(part.strip())
        if not match or match.group(1) not in _YEAR_WORDS:
            return None
        keys.add(year_key(_YEAR_WORDS[match.group(1)], int(match.group(2))))
    return keys.pop() if len(keys) == 1 else None


def match_header(sheet: str, text) -> str | None:
    """The column key a header cell names on sheet 'committees' or 'indicators', or None.

    On 'indicators' a yearly column gives 'year:YYYY' or 'estimate:YYYY', whatever the year:
    the checker, who knows the term, refuses a year outside it."""
    if text is None:
        return None
    label = normalise_label(str(text))
    key = _HEADERS[sheet].get(label)
    if key is None and sheet == "indicators" and len(label) <= 60:
        key = _year_header(label)
    return key


def match_sheet(names: list[str], wanted: tuple[str, str]) -> str | None:
    targets = {normalise_label(w) for w in wanted}
    return next((n for n in names if normalise_label(n) in targets), None)


def is_formula_like(text: str) -> bool:
    """Text a spreadsheet would run as a formula if it were typed in."""
    return bool(text) and text[0] in "=+-@\t\r"


# ---- cells --------------------------------------------------------------------------------

_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def _format_section(number_format: str) -> str:
    """The positive-number section of a number format, without quoted text, colours and escapes."""
    return _QUOTED.sub("", (number_format or "").split(";", 1)[0])


def read_formatted(value, data_type: str | None, number_format: str, *, ref: str):
    """A cell's value as the spreadsheet shows it, for a numeric or date cell (others unchanged).

    A workbook exported by the project has the Text format everywhere, so what was typed arrives
    as text. A file made elsewhere, or values pasted in, can still hold numbers: a percent-format
    0.72 is shown as 72%, a zero-padded 7 as 007, and so they are read. A date cannot be told
    apart from a value the spreadsheet turned into one ('1/2'), so it is refused, naming the cell."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time | datetime.timedelta):
        shown = value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else str(value)
        raise CellError(
            _(
                "Ô %(ref)s có định dạng ngày tháng (%(shown)s): bảng tính có thể đã đổi điều bạn gõ "
                "(ví dụ 1/2) thành ngày. Hãy định dạng ô là Văn bản (Text) rồi gõ lại."
            )
            % {"ref": ref, "shown": shown}
        )
    if data_type != "n" or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    section = _format_section(number_format)
    if "%" in section:
        text = _number_text(Decimal(_number_text(value)) * 100).replace(".", ",")
        return f"{text}%"
    digits = section.strip()
    if len(digits) > 1 and set(digits) == {"0"} and float(value).is_integer() and value >= 0:
        return str(int(value)).zfill(len(digits))
    return value


def cell_text(value, data_type: str | None = None) -> str:
    """The text of a cell: trimmed; a number as its shortest decimal (1.2 stays STT '1.2')."""
    if type(value) is str and data_type not in ("f", "e"):  # the common case first: plain text
        if "\x00" in value:
            raise CellError(_("Ô chứa ký tự không hợp lệ."))
        return without_bidi_controls(value).strip()
    if data_type == "f":
        raise CellError(_("Ô chứa công thức; hãy dán giá trị (Paste Values) thay cho công thức."))
    if data_type == "e":
        raise CellError(_("Ô chứa lỗi của Excel (%(value)s).") % {"value": value})
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return _number_text(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)
    text = str(value)
    if "\x00" in text:
        raise CellError(_("Ô chứa ký tự không hợp lệ."))
    return text.strip()


def _number_text(value: float | Decimal) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise CellError(_("Ô chứa một số không hợp lệ."))
    if isinstance(value, Decimal) and not value.is_finite():
        raise CellError(_("Ô chứa một số không hợp lệ."))
    # repr() gives the shortest text that reads back as the same float: 6.5, not 6.4999999.
    text = repr(float(value)) if isinstance(value, float) else format(value, "f")
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def parse_amount(value, data_type: str | None = None, *, max_length: int = 200) -> str:
    """A target or value: a number ('6,5', '6.5', 6.5) or a text ('≥ 95').

    As in the assessment form, a number is stored in Vietnamese notation (decimal comma, no
    thousands separator: '6.5' → '6,5', '3.500' → '3500') and a text as written. Something
    written only with digits and separators that still is not a number ('6,,5') is refused
    rather than stored as a text nobody can compute with."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        text = cell_text(value, data_type).replace(".", ",")  # a formula or an error cell raises
        head, _comma, tail = text.partition(",")
        if len(tail) == 3 and head.lstrip("-") != "0":
            # "1,001" would read back as one thousand and one (the thousands rule); "1,0010" won't.
            text += "0"
        return _limit(text, max_length)
    try:
        text = stored_amount(cell_text(value, data_type))
    except ValueError as exc:
        raise CellError(
            _("“%(text)s” không phải là một số; hãy viết dạng 6,5 hoặc 6.5.") % {"text": exc.args[0]}
        ) from None
    return _limit(text, max_length)


def same_amount(stored: str, new: str) -> bool:
    """Whether an imported amount says what the stored one says ('3.500' and '3500' do)."""
    if stored == new:
        return True
    a, b = parse_number(stored), parse_number(new)
    return a is not None and a == b


def parse_text(value, data_type: str | None = None, *, max_length: int, required: bool = False) -> str:
    text = cell_text(value, data_type)
    if required and not text:
        raise CellError(_("Ô này không được để trống."))
    return _limit(text, max_length)


def parse_note(value, data_type: str | None = None) -> str:
    """Line breaks stored as LF, as the form stores them."""
    return _limit(normalise_note(cell_text(value, data_type)), NOTE_MAX_LENGTH)


def _limit(text: str, max_length: int) -> str:
    if len(text) > max_length:
        raise CellError(
            _("Nội dung dài %(n)d ký tự, quá giới hạn %(max)d ký tự.") % {"n": len(text), "max": max_length}
        )
    return text


@dataclass(frozen=True)
class Label:
    code: str
    warning: str = ""  # set when the text was real-world wording mapped onto a code
    exceeded: bool = False  # a "vượt" label ("vượt kế hoạch", "hoàn thành vượt mức" …)
    read_from: str = ""  # the real-world wording as written, when it was not the status's own name


def _parse_label(text: str, table: dict[str, str], what: StrOrPromise, choices: str) -> str:
    # `what` lazy: translated only for the error, not on every cell read.
    code = table.get(normalise_label(text))
    if code is None:
        raise CellError(
            _("%(what)s “%(text)s” không có trong danh sách (%(choices)s).")
            % {"what": what, "text": text, "choices": choices}
        )
    return code


def parse_level(value, data_type: str | None = None) -> str:
    text = cell_text(value, data_type)
    if not text:
        raise CellError(_("Ô này không được để trống."))
    return _parse_label(text, _LEVELS, gettext_lazy("Cấp"), "tỉnh, huyện, xã, chi bộ")


def parse_kind(value, data_type: str | None = None) -> str:
    """'' when empty: the caller keeps a stored resolution's kind, or uses the default."""
    text = cell_text(value, data_type)
    if not text:
        return ""
    return _parse_label(text, _KINDS, gettext_lazy("Loại nghị quyết"), "đại hội, chuyên đề, cấp trên giao")


def parse_stage(value, data_type: str | None = None) -> str:
    """ "giữa kỳ"/"mid" (also when empty) or "cuối kỳ"/"end"."""
    text = cell_text(value, data_type)
    if not text:
        return Stage.MID
    return _parse_label(text, _STAGES, gettext_lazy("Giai đoạn"), "giữa kỳ, cuối kỳ")


def parse_field(value, data_type: str | None = None) -> str:
    text = cell_text(value, data_type)
    if not text:
        return ""
    return _parse_label(text, _FIELDS, gettext_lazy("Lĩnh vực"), _FIELD_CHOICES)


def parse_measure(value, data_type: str | None = None) -> str:
    """'' when empty: the caller keeps a stored indicator's measure, or uses the default (level)."""
    text = cell_text(value, data_type)
    if not text:
        return ""
    return _parse_label(text, _MEASURES, gettext_lazy("Cách tính"), _MEASURE_CHOICES)


def parse_direction(value, data_type: str | None = None) -> str:
    """'' when empty: the caller keeps a stored indicator's direction, or uses the default (up)."""
    text = cell_text(value, data_type)
    if not text:
        return ""
    return _parse_label(text, _DIRECTIONS, gettext_lazy("Chiều"), _DIRECTION_CHOICES)


def parse_status(value, data_type: str | None = None) -> Label:
    """A status code (and its "vượt" mark) from the labels of domain.md's table (indicators.labels);
    empty means not yet assessed; any other label is refused with the accepted words, never guessed."""
    try:
        reading = labels.read_status(cell_text(value, data_type))
    except labels.UnknownLabel as exc:
        raise CellError(str(exc)) from exc
    if not reading.read_from:
        return Label(reading.status)
    shown = labels.status_label(reading.status, exceeded=reading.exceeded)
    warning = _("Đã hiểu “%(text)s” là “%(label)s”.") % {"text": reading.read_from, "label": shown}
    return Label(reading.status, warning, exceeded=reading.exceeded, read_from=reading.read_from)


_YES = {"x", "có", "co", "yes", "y", "1", "true", "vượt"}
_NO = {"", "không", "khong", "no", "n", "0", "false"}


def parse_exceeded(value, data_type: str | None = None) -> bool:
    """The `Vượt` (`Exceeded`) column: x, có, yes … for an achieved indicator exceeding its target."""
    text = normalise_label(cell_text(value, data_type))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(
        _("Cột “Vượt” ghi “x” (hoặc “có”) cho chỉ tiêu vượt, hoặc để trống; không hiểu “%(text)s”.")
        % {"text": cell_text(value, data_type)}
    )


def exceeded_of(label: Label, mark: bool | None) -> bool | None:
    """The "vượt" mark of a row from its status label and its `Vượt` column (None: no column).

    A "vượt" label sets it, as an x does; None when an x stands beside a status other than achieved."""
    if mark and label.code != Status.ACHIEVED:
        return None
    return bool(mark) or label.exceeded
