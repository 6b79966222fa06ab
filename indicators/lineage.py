"""From one term to the next: how an indicator of the term before is named, and the baseline it
hands on (domain.md, "The life of a term").

An indicator is named `CODE/RESOLUTION/STT` ("BK/16-NQ/ĐH/5"), and with its term where the term is
not implied ("BK/16-NQ/ĐH/5@2020-2025"). A resolution number holds slashes itself, a committee code
and an STT never do: the code is what comes before the first slash, the STT what follows the last.

An indicator that continues one of the term before takes as its baseline that indicator's end-year
value (the term's last year: the actual figure, else the estimate) unless its own is typed; pages
then mark it "(theo số liệu nhiệm kỳ 2020–2025)".
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Assessment, Indicator, Stage, Term
from .results import Results, YearResult


@dataclass(frozen=True)
class Reference:
    code: str
    resolution: str
    number: str

    def __str__(self) -> str:
        return f"{self.code}/{self.resolution}/{self.number}"


def parse_reference(text: str) -> Reference:
    """'BK/16-NQ/ĐH/5' -> Reference('BK', '16-NQ/ĐH', '5'); ValueError with a sentence otherwise."""
    cleaned = (text or "").strip()
    code, _slash, rest = cleaned.partition("/")
    resolution, _slash, number = rest.rpartition("/")
    if not (code.strip() and resolution.strip() and number.strip()):
        raise ValueError(
            _(
                "“%(text)s” không phải là một chỉ tiêu: hãy viết MÃ ĐƠN VỊ/SỐ NGHỊ QUYẾT/STT, "
                "ví dụ BK/16-NQ/ĐH/5."
            )
            % {"text": cleaned}
        )
    return Reference(code.strip(), resolution.strip(), number.strip())


def split_codes(text: str) -> list[str]:
    """Committee codes as people list them: 'TN, BK' -> ['TN', 'BK'] (commas or semicolons,
    blanks dropped, each code once, in order)."""
    codes = [c.strip() for c in text.replace(";", ",").split(",")]
    return list(dict.fromkeys(c for c in codes if c))


def reference_of(indicator: Indicator) -> Reference:
    """(resolution and committee loaded)"""
    resolution = indicator.resolution
    return Reference(resolution.committee.code, resolution.number, indicator.number)


def term_reference(indicator: Indicator) -> str:
    """'BK/16-NQ/ĐH/5@2020-2025' (resolution, committee and term loaded): interfaces.md's `predecessor`."""
    return f"{reference_of(indicator)}@{indicator.resolution.committee.term.code}"


def reference_query(references: list[Reference], *, term: Term) -> Q:
    """The indicators of `term` these references name, as one condition (an empty list: none)."""
    condition = Q(pk__in=[])
    for ref in references:
        condition |= Q(
            resolution__committee__code=ref.code, resolution__number=ref.resolution, number=ref.number
        )
    return Q(resolution__committee__term=term) & condition


def end_value(assessment: Assessment, *, end_year: int) -> YearResult | None:
    """The value of the term's last year (actual or estimate, as recorded), or None."""
    return Results.of(assessment).value_of(end_year)


@dataclass(frozen=True)
class Baseline:
    """The baseline a page shows: typed, or carried from the predecessor (`carried_from` its term)."""

    value: str
    carried_from: Term | None = None

    @property
    def carried(self) -> bool:
        return self.carried_from is not None

    @property
    def carried_note(self) -> str:
        return carried_note(self.carried_from) if self.carried_from else ""


def baseline_of(indicator: Indicator) -> Baseline:
    """The indicator's own typed baseline, else its predecessor's end-year value.

    Reads the assessment and, when the baseline is not typed, the predecessor with its assessment,
    resolution, committee and term: callers select them with the row (no query here)."""
    typed = indicator.assessment.baseline
    if typed or indicator.predecessor_id is None:
        return Baseline(typed)
    predecessor = indicator.predecessor
    assert predecessor is not None  # noqa: S101 -- predecessor_id is set
    term = predecessor.resolution.committee.term
    end = end_value(last_judgement(predecessor), end_year=term.end_year)
    return Baseline(end.value, carried_from=term) if end else Baseline("")


def carried_note(term: Term) -> str:
    """'(theo số liệu nhiệm kỳ 2020–2025)': how a carried baseline is marked wherever it is shown."""
    return _("(theo số liệu nhiệm kỳ %(term)s)") % {"term": f"{term.start_year}–{term.end_year}"}


def last_judgement(indicator: Indicator) -> Assessment:
    """An indicator's last judgement: its end-of-term assessment once that review is open, else its
    mid-term one (from its prefetched `assessments`: PREDECESSOR_ASSESSMENTS, no query then)."""
    by_stage = {a.stage: a for a in indicator.assessments.all()}
    return by_stage.get(Stage.END) or by_stage[Stage.MID]


# What a query selects with an indicator, and prefetches (one query), so that baseline_of,
# indicator_trajectory and term_reference read no more.
WITH_PREDECESSOR = ("predecessor__resolution__committee__term",)
PREDECESSOR_ASSESSMENTS = "predecessor__assessments"
