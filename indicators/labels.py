"""Status labels as real reports write them (domain.md, "The real variety of resolutions").

A pure function of the text: any case, any dash, surrounding spaces and old-style tone placement
("hoà" for "hòa") ignored. A label not in the table is refused, never guessed.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Status

# label as written in real reports -> (status, exceeded). The canonical labels are the statuses'
# own Vietnamese and English names (and their codes), added below.
REAL_LABELS: dict[str, tuple[Status, bool]] = {
    **dict.fromkeys(
        [
            "đạt và vượt",
            "có khả năng đạt và vượt",
            "đạt",
            "đạt 100%",
            "đạt kế hoạch",
            "hoàn thành",
            "cơ bản đạt",
        ],
        (Status.ACHIEVED, False),
    ),
    **dict.fromkeys(
        ["vượt", "vượt kế hoạch", "hoàn thành vượt mức", "có khả năng vượt"], (Status.ACHIEVED, True)
    ),
    **dict.fromkeys(["khó đạt", "gần đạt", "chưa đạt tiến độ", "khó hoàn thành"], (Status.HARD, False)),
    **dict.fromkeys(["không đạt", "chưa đạt", "không hoàn thành"], (Status.NOT_ACHIEVED, False)),
    **dict.fromkeys(["chưa thể đánh giá", "chưa có số liệu"], (Status.NOT_ASSESSABLE, False)),
    **dict.fromkeys(["chưa đánh giá"], (Status.NOT_ASSESSED, False)),
}

# Each status's own name in both languages, as the export writes it: reading one says nothing.
CANONICAL_LABELS: dict[Status, tuple[str, str]] = {
    Status.ACHIEVED: ("Đạt và vượt", "Achieved or exceeded"),
    Status.HARD: ("Khó đạt", "Hard to achieve"),
    Status.NOT_ACHIEVED: ("Không đạt", "Not achieved"),
    Status.NOT_ASSESSABLE: ("Chưa thể đánh giá", "Cannot yet be assessed"),
    Status.NOT_ASSESSED: ("Chưa đánh giá", "Not yet assessed"),
}

# Old-style tone placement ("hoá", "thuỷ") is as common as the new one ("hóa", "thủy").
_TONE_MOVES = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_TONE_RE = re.compile("|".join(_TONE_MOVES))
_DASHES = re.compile(r"\s*[-‐‑‒–—―−]\s*")
_SPACES = re.compile(r"\s+")


# An import reads the same few labels on every row (status, kind, field…): each is worked out once.
@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """The form two labels share when they differ only in case, spacing, dash or tone placement."""
    s = unicodedata.normalize("NFC", str(text)).casefold().replace("\u00a0", " ").strip()
    s = _DASHES.sub("-", s)
    s = _SPACES.sub(" ", s)
    return _TONE_RE.sub(lambda m: _TONE_MOVES[m.group(0)], s)


_CANONICAL = {
    normalise(name): (status, False)
    for status, names in CANONICAL_LABELS.items()
    for name in (*names, status.value)
}
_TABLE = {**{normalise(label): reading for label, reading in REAL_LABELS.items()}, **_CANONICAL}


@dataclass(frozen=True)
class StatusReading:
    status: Status
    exceeded: bool = False
    # The label as written when it is not a status's own name ("đạt 100%"), else "".
    read_from: str = ""


class UnknownLabel(ValueError):
    """A label outside domain.md's table; the message lists every accepted word."""


def accepted_labels() -> str:
    """Every label the import reads, for the message refusing another one."""
    names = [vi for vi, _en in CANONICAL_LABELS.values()]
    return ", ".join([*names, *(label for label in REAL_LABELS if label not in {n.lower() for n in names})])


def read_status(text: str) -> StatusReading:
    """The status (and "vượt" mark) a label means; empty is not yet assessed. UnknownLabel else."""
    key = normalise(text or "")
    if not key:
        return StatusReading(Status.NOT_ASSESSED)
    if key in _CANONICAL:
        return _CANONICAL_READINGS[key]
    if key in _TABLE:
        status, exceeded = _TABLE[key]
        return StatusReading(status, exceeded, read_from=" ".join(str(text).split()))
    raise UnknownLabel(
        _("Đánh giá “%(text)s” không có trong danh sách các cách ghi được chấp nhận: %(choices)s.")
        % {"text": " ".join(str(text).split()), "choices": accepted_labels()}
    )


_CANONICAL_READINGS = {key: StatusReading(status, exceeded) for key, (status, exceeded) in _CANONICAL.items()}


def status_label(status: str, *, exceeded: bool = False) -> str:
    """'Đạt và vượt (vượt)' for an achieved indicator marked exceeded; the status's label else."""
    label = str(Status(status).label)
    if exceeded and status == Status.ACHIEVED:
        return _("%(status)s (vượt)") % {"status": label}
    return label
