"""The Tally value: counts by status, and the sentence a report writes from them."""

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from .models import Committee


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent, one decimal, rounded half up: 27/32 → 84.4 (never the 84.3 a
    truncating format gives). The one rule for every page, export, report and JSON; None for 0/0."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None, *, empty: str = "—") -> str:
    """ "84,4%" in Vietnamese, "84.4%" in English (the active language's separator)."""
    if value is None:
        return empty
    return f"{number_format(value, decimal_pos=1)}%"


@dataclass(frozen=True)
class Tally:
    achieved: int = 0
    hard: int = 0
    not_achieved: int = 0
    not_assessed: int = 0

    @property
    def total(self) -> int:
        return self.achieved + self.hard + self.not_achieved + self.not_assessed

    @property
    def share_achieved(self) -> float | None:
        """Achieved over total, 0–1; None for a committee without indicators."""
        return self.achieved / self.total if self.total else None

    @property
    def percent_achieved(self) -> Decimal | None:
        """Achieved over total in percent (see `percent`); None without indicators."""
        return percent(self.achieved, self.total)

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            achieved=self.achieved + other.achieved,
            hard=self.hard + other.hard,
            not_achieved=self.not_achieved + other.not_achieved,
            not_assessed=self.not_assessed + other.not_assessed,
        )

    @classmethod
    def of_committee(cls, committee: "Committee") -> "Tally":
        """The committee's own counts, from the counters kept on its row."""
        return cls(
            achieved=committee.n_achieved,
            hard=committee.n_hard,
            not_achieved=committee.n_not_achieved,
            not_assessed=committee.n_not_assessed,
        )

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, **asdict(self)}

    def sentence(self) -> str:
        """ "54/66 chỉ tiêu có khả năng đạt và vượt; 11 chỉ tiêu khó đạt; 1 chỉ tiêu không đạt".

        The first part always stays; a later part whose count is 0 is left out."""
        parts = [
            ngettext(
                "%(achieved)d/%(total)d chỉ tiêu có khả năng đạt và vượt",
                "%(achieved)d/%(total)d chỉ tiêu có khả năng đạt và vượt",
                self.total,
            )
            % {"achieved": self.achieved, "total": self.total}
        ]
        if self.hard:
            parts.append(
                ngettext("%(n)d chỉ tiêu khó đạt", "%(n)d chỉ tiêu khó đạt", self.hard) % {"n": self.hard}
            )
        if self.not_achieved:
            parts.append(
                ngettext("%(n)d chỉ tiêu không đạt", "%(n)d chỉ tiêu không đạt", self.not_achieved)
                % {"n": self.not_achieved}
            )
        if self.not_assessed:
            parts.append(
                ngettext("%(n)d chỉ tiêu chưa đánh giá", "%(n)d chỉ tiêu chưa đánh giá", self.not_assessed)
                % {"n": self.not_assessed}
            )
        return "; ".join(parts)
