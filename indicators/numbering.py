"""Indicator numbers ("1", "2.3", "10a") ordered as people read them: 2 < 10, 2.3 < 2.10."""

import re

_PART = re.compile(r"(\d+)|(\D+)")


def number_sort_key(number: str) -> str:
    """A string whose byte order is the reading order of `number`.

    Digit runs are zero-padded to six places, so the database can order by the key."""
    parts = []
    for digits, other in _PART.findall(number.strip()):
        parts.append(digits.zfill(6) if digits else other.lower())
    return "".join(parts)[:80]
