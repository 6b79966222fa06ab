"""Targets as committees write them (domain.md, "Targets"): a number, a range, a bound, or text.

The target is stored and shown exactly as typed; this module only reads it, for the suggestion.
A pure function that never raises: what it cannot read is text, and text suggests nothing.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .models import Direction
from .values import parse_number


class TargetKind(StrEnum):
    EMPTY = "empty"
    NUMBER = "number"
    RANGE = "range"
    BOUND = "bound"
    TEXT = "text"  # a rank or a phrase ("top 30", "nhóm khá"): no suggestion


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    low: Decimal | None = None  # the number, the range's low end, or the bound's number
    high: Decimal | None = None  # the range's high end; the number again otherwise

    def for_suggestion(self, direction: str) -> Decimal | None:
        """T of domain.md: a range's low end when more is better, its high end when less is; a
        number's or bound's number; None for text."""
        if self.kind == TargetKind.RANGE:
            return self.high if direction == Direction.DOWN else self.low
        return self.low


_NUM = r"(\d+(?:[.,]\d+)*)"
_DASH = r"[-‐‑‒–—―−]"
_UNIT = r"\s*%?"  # "7,5 – 8%", "≥ 75%": the unit column says it, but people repeat it
_RANGE = re.compile(rf"(?:từ\s+)?{_NUM}{_UNIT}\s*(?:{_DASH}|đến|tới|to)\s*{_NUM}{_UNIT}", re.IGNORECASE)
_BOUND_WORDS = (
    "≥", ">=", ">", "≤", "<=", "<", "trên", "tối thiểu", "ít nhất", "dưới", "tối đa", "không quá",
    "không dưới", "không thấp hơn", "không vượt quá", "at least", "at most",
)  # fmt: skip
_BOUND = re.compile(
    r"(?:"
    + "|".join(re.escape(w) for w in sorted(_BOUND_WORDS, key=len, reverse=True))
    + rf")\s*{_NUM}{_UNIT}",
    re.IGNORECASE,
)


def _number(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except (ArithmeticError, ValueError):  # never raise on what someone typed
        return None


def parse_target(text: str) -> Target:
    """What a target as typed says, for computing; never raises."""
    s = " ".join(str(text or "").replace("\u00a0", " ").split())
    if not s:
        return Target(TargetKind.EMPTY)
    if (number := _number(s)) is not None:
        return Target(TargetKind.NUMBER, number, number)
    if match := _RANGE.fullmatch(s):
        low, high = _number(match.group(1)), _number(match.group(2))
        if low is not None and high is not None:
            return Target(TargetKind.RANGE, min(low, high), max(low, high))
    if (match := _BOUND.fullmatch(s)) and (number := _number(match.group(1))) is not None:
        return Target(TargetKind.BOUND, number, number)
    return Target(TargetKind.TEXT)
