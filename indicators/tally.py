"""The Tally value: counts by status, and the sentence a report writes from them."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from .models import stage_counter

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


# The counted keys, in the order of the dataclass (and of a counter column's suffix).
COUNTED = ("achieved", "hard", "not_achieved", "not_assessed", "not_assessable", "exceeded")


@dataclass(frozen=True)
class Tally:
    achieved: int = 0
    hard: int = 0
    not_achieved: int = 0
    not_assessed: int = 0
    # "Chưa thể đánh giá": no data to judge yet; a status of its own, counted in the total.
    not_assessable: int = 0
    # Achieved indicators marked "vượt": a part of `achieved`, never added to the total.
    exceeded: int = 0
    # Which review the counts are of ("mid", "end"): the sentence differs, the counts compare alike.
    stage: str = field(default="mid", compare=False)

    @property
    def total(self) -> int:
        return self.achieved + self.hard + self.not_achieved + self.not_assessable + self.not_assessed

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
            not_assessable=self.not_assessable + other.not_assessable,
            exceeded=self.exceeded + other.exceeded,
            stage=self.stage,
        )

    @classmethod
    def of_committee(cls, committee: "Committee", stage: str = "mid") -> "Tally":
        """The committee's own counts at `stage`, from the counters kept on its row."""
        return cls(
            **{key: getattr(committee, stage_counter(stage, key)) for key in COUNTED},
            stage=stage,
        )

    def as_dict(self) -> dict[str, int]:
        counts = asdict(self)
        del counts["stage"]
        return {"total": self.total, **counts}

    def sentence(self) -> str:
        """ "23/25 chỉ tiêu có khả năng đạt và vượt (trong đó 12 chỉ tiêu vượt); 2 chỉ tiêu không đạt".

        The first part always stays; "(trong đó N chỉ tiêu vượt)" and a later part whose count is 0
        are left out; "chưa đánh giá" stays last (domain.md, "The sentence, completed")."""
        if self.stage == "end":
            # At the end of a term the results are known: "đạt và vượt", without "có khả năng".
            first = ngettext(
                "%(achieved)d/%(total)d chỉ tiêu đạt và vượt",
                "%(achieved)d/%(total)d chỉ tiêu đạt và vượt",
                self.total,
            ) % {"achieved": self.achieved, "total": self.total}
        else:
            first = ngettext(
                "%(achieved)d/%(total)d chỉ tiêu có khả năng đạt và vượt",
                "%(achieved)d/%(total)d chỉ tiêu có khả năng đạt và vượt",
                self.total,
            ) % {"achieved": self.achieved, "total": self.total}
        if self.exceeded:
            first += " " + (
                ngettext("(trong đó %(n)d chỉ tiêu vượt)", "(trong đó %(n)d chỉ tiêu vượt)", self.exceeded)
                % {"n": self.exceeded}
            )
        parts = [first]
        if self.hard:
            parts.append(
                ngettext("%(n)d chỉ tiêu khó đạt", "%(n)d chỉ tiêu khó đạt", self.hard) % {"n": self.hard}
            )
        if self.not_achieved:
            parts.append(
                ngettext("%(n)d chỉ tiêu không đạt", "%(n)d chỉ tiêu không đạt", self.not_achieved)
                % {"n": self.not_achieved}
            )
        if self.not_assessable:
            parts.append(
                ngettext(
                    "%(n)d chỉ tiêu chưa thể đánh giá",
                    "%(n)d chỉ tiêu chưa thể đánh giá",
                    self.not_assessable,
                )
                % {"n": self.not_assessable}
            )
        if self.not_assessed:
            parts.append(
                ngettext("%(n)d chỉ tiêu chưa đánh giá", "%(n)d chỉ tiêu chưa đánh giá", self.not_assessed)
                % {"n": self.not_assessed}
            )
        return "; ".join(parts)


# The row of indicators with no field (or a field no longer among the choices): the breakdown
# still adds up to the whole.
OTHER_FIELD = ""


@dataclass(frozen=True)
class FieldTally:
    """One row of a committee's tally by field ("Kinh tế: 4/4 …")."""

    field: str  # a Field value, or OTHER_FIELD
    label: str
    tally: Tally

    @property
    def short(self) -> str:
        """ "4/4": achieved over the field's total, as real reports list fields."""
        return f"{self.tally.achieved}/{self.tally.total}"


def by_field(
    rows: Iterable[tuple[str, str, bool]], fields: list[tuple[str, str]], *, stage: str = "mid"
) -> list[FieldTally]:
    """The tally split by field, from (field, status, exceeded) of each tallied indicator, in the
    order of `fields` ((value, label) of Field's choices), then "Khác" for every indicator whose
    field is empty or unknown; fields with no indicator are left out. The rows' tallies always add
    up to the tally of all rows (a property test holds this)."""
    known = dict(fields)
    counts: dict[str, dict[str, int]] = {}
    for field_, status, exceeded in rows:
        key = field_ if field_ in known else OTHER_FIELD
        c = counts.setdefault(key, {})
        c[status] = c.get(status, 0) + 1
        if exceeded:
            c["exceeded"] = c.get("exceeded", 0) + 1
    order = [value for value, _label in fields if value in counts]
    if OTHER_FIELD in counts:
        order.append(OTHER_FIELD)
    return [
        FieldTally(
            field=key,
            label=str(known[key]) if key in known else gettext("Khác"),
            tally=Tally(  # the counts, then the stage its sentence reads
                **{name: n for name, n in counts[key].items() if name in _TALLY_FIELDS}, stage=stage
            ),
        )
        for key in order
    ]


def fields_phrase(rows: list[FieldTally]) -> str:
    """ "Kinh tế 4/4; Văn hóa – xã hội 9/10; Khác 1/1": the breakdown in one line (the report)."""
    return "; ".join(f"{row.label} {row.short}" for row in rows)


_TALLY_FIELDS = {"achieved", "hard", "not_achieved", "not_assessed", "not_assessable", "exceeded"}
