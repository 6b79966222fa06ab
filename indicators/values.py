"""Values as people write them: '6,5' and '6.5' are the same number; '≥ 95' stays text."""

import re
from decimal import Decimal, InvalidOperation

# 1.234,5 / 1,234.5 / 6,5 / 6.5 / -3 / 3.500 (Vietnamese thousands) are all numbers.
_NUMBER = re.compile(r"^[+-]?(\d{1,3}([.,\s]\d{3})+|\d+)([.,]\d+)?$")


def parse_number(text: str) -> Decimal | None:
    """The number written in `text`, or None when it is not a plain number.

    A single separator followed by exactly three digits ('3.500', '3,500') is read as a
    thousands separator, as Vietnamese and English writers both use it that way for counts."""
    s = str(text).strip().replace("\u00a0", " ")
    if not s or not _NUMBER.match(s):
        return None
    s = s.replace(" ", "")
    last_dot, last_comma = s.rfind("."), s.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal_sep = "." if last_dot > last_comma else ","
        thousands = "," if decimal_sep == "." else "."
        s = s.replace(thousands, "").replace(decimal_sep, ".")
    elif last_dot >= 0 or last_comma >= 0:
        sep = "." if last_dot >= 0 else ","
        head, _sep, tail = s.rpartition(sep)
        if s.count(sep) > 1 or (len(tail) == 3 and head.lstrip("+-") not in ("0", "")):
            s = s.replace(sep, "")
        else:
            s = s.replace(sep, ".")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


# Only digits, separators and a sign: written as a number, so it must parse as one.
_NUMBER_SHAPED = re.compile(r"^[+-]?[\d\s.,]*\d[\d\s.,]*$")


def stored_amount(text: str) -> str:
    """A target or value as stored, whether typed in the form or read from a workbook.

    A number in Vietnamese notation, decimal comma and no thousands separator ('6.5' → '6,5',
    '3.500' → '3500'); any other text as written, whitespace collapsed. ValueError for text
    written like a number that is none ('6,,5'): stored, nobody could compute with it."""
    text = " ".join((text or "").split())
    if not _NUMBER_SHAPED.match(text):
        return text
    number = parse_number(text)
    if number is None:
        raise ValueError(text)
    return format(number, "f").replace(".", ",")


# A number followed by words: "17 tiêu chí", "75 %", "1.200 ha".
_NUMBER_THEN_WORDS = re.compile(r"^(?P<number>[+-]?\d[\d\s.,]*?)\s*(?P<words>[^\d\s.,+-].*)$")


def _folded(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def without_unit(text: str, unit: str) -> tuple[str, str]:
    """(`text` without the indicator's own unit after its number, the unit taken off or "").

    "17 tiêu chí" with unit "tiêu chí" → ("17", "tiêu chí"); "75%" with "%" → ("75", "%"). Any
    other text comes back as it is: the unit is printed beside the number, never twice."""
    text = " ".join((text or "").split())
    match = _NUMBER_THEN_WORDS.match(text)
    if (
        match
        and unit
        and _folded(match["words"]) == _folded(unit)
        and parse_number(match["number"]) is not None
    ):
        return match["number"].strip(), unit
    return text, ""


def is_number_with_words(text: str) -> bool:
    """ "17 tiêu chí", "3 xã": a number the writer followed with words (a unit not the indicator's)."""
    match = _NUMBER_THEN_WORDS.match(" ".join((text or "").split()))
    return bool(match and parse_number(match["number"]) is not None)


def display_value(text: str) -> str:
    """A plain number in the reader's language ('6,5' in Vietnamese, '6.5' in English); other text as typed.

    Thousands are grouped only when the writer grouped them ('3.500' → '3,500' in English)."""
    number = parse_number(text)
    if number is None:
        return text
    from django.utils.formats import number_format  # settings-dependent; keep this module import-light

    grouped = abs(number) >= 1000 and any(sep in str(text) for sep in ".,  ")
    return number_format(number, force_grouping=grouped)


# An assessment's note: a few paragraphs of why, not a report (the form and the workbook import).
NOTE_MAX_LENGTH = 4000


def normalise_note(text: str) -> str:
    """A note as stored: line breaks as LF (browsers post CRLF, Excel may hold CR), trimmed."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


# Bidirectional controls (embeddings, overrides, isolates, marks). Vietnamese text never needs them,
# and one typed at the end of a field reverses what the system writes after it in the report (a
# U+202E after the place turned the date into "9999 măn 21 gnáht 13 yàgn"). Removed from every text
# a user types: config.forms.TextField (every form), the workbook's cells, committee names.
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


_BIDI_CONTROL = re.compile("[" + "".join(map(chr, BIDI_CONTROLS)) + "]")


def without_bidi_controls(text: str) -> str:
    """`text` without bidirectional control characters (BIDI_CONTROLS)."""
    # Searched before translated: translate() looks up every character of every cell an import
    # reads, and almost none holds a control character.
    return text.translate(BIDI_CONTROLS) if _BIDI_CONTROL.search(text) else text
