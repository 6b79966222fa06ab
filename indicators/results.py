"""An indicator's results over time as one value: baseline, yearly values, forecast.

The form, the workbook and the demo build a `Results`; `indicators.services` stores it on the
assessment with its history row and keeps the suggested status (indicators.suggestion) beside it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .models import Assessment, Indicator, Stage, Status, Term
from .suggestion import Suggestion, suggest

# The Assessment columns a change of results (or of what the suggestion reads) writes.
RESULT_FIELDS = ("baseline", "years", "forecast", "suggested_status", "progress")


@dataclass(frozen=True, order=True)
class YearResult:
    year: int
    value: str
    estimate: bool = False  # "ước": an estimate of the year, not yet the actual figure


@dataclass(frozen=True)
class Results:
    baseline: str = ""
    years: tuple[YearResult, ...] = field(default=())  # sorted by year, one per year, values non-empty
    forecast: str = ""

    @classmethod
    def build(
        cls, *, baseline: str = "", years: Mapping[int, tuple[str, bool]], forecast: str = ""
    ) -> "Results":
        """From {year: (value, estimate)}; years with an empty value are left out."""
        return cls(
            baseline=baseline,
            years=tuple(
                sorted(YearResult(int(y), v, bool(e)) for y, (v, e) in years.items() if (v or "").strip())
            ),
            forecast=forecast,
        )

    @classmethod
    def of(cls, assessment: Assessment) -> "Results":
        return cls.from_json(
            {"baseline": assessment.baseline, "years": assessment.years, "forecast": assessment.forecast}
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Results":
        years = data.get("years") or {}
        return cls.build(
            baseline=data.get("baseline") or "",
            years={int(y): (v.get("value", ""), v.get("estimate", False)) for y, v in years.items()},
            forecast=data.get("forecast") or "",
        )

    def years_json(self) -> dict[str, dict[str, Any]]:
        """The shape of interfaces.md: {"2021": {"value": "4,1", "estimate": false}}."""
        return {str(r.year): {"value": r.value, "estimate": r.estimate} for r in self.years}

    def as_json(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "years": self.years_json(), "forecast": self.forecast}

    def value_of(self, year: int) -> YearResult | None:
        return next((r for r in self.years if r.year == year), None)

    @property
    def is_empty(self) -> bool:
        return not (self.baseline or self.years or self.forecast)

    def apply_to(self, assessment: Assessment) -> None:
        assessment.baseline, assessment.years, assessment.forecast = (
            self.baseline,
            self.years_json(),
            self.forecast,
        )


def results_problem(results: Results, *, start_year: int, end_year: int) -> str | None:
    """Why these results cannot be stored for a term, or None. A year outside the term, or its
    first year (that is the baseline), is refused."""
    for r in results.years:
        if not start_year < r.year <= end_year:
            return _("Năm %(year)s không thuộc các năm %(first)s–%(last)s của nhiệm kỳ.") % {
                "year": r.year,
                "first": start_year + 1,
                "last": end_year,
            }
    return None


def suggestion_for(*, indicator: Indicator, results: Results, term: Term) -> Suggestion | None:
    return suggest(
        target=indicator.target_in_force,  # the adjusted target when there is one
        baseline=results.baseline,
        years={r.year: r.value for r in results.years},
        forecast=results.forecast,
        measure=indicator.measure,
        direction=indicator.direction,
        start_year=term.start_year,
        end_year=term.end_year,
    )


def with_suggestion(assessment: Assessment) -> Assessment:
    """Set the stored suggestion from the assessment's own results (indicator, resolution,
    committee and term must be loaded: callers select them with the row they lock)."""
    indicator = assessment.indicator
    suggestion = suggestion_for(
        indicator=indicator, results=Results.of(assessment), term=indicator.resolution.committee.term
    )
    assessment.suggested_status = suggested_at_stage(
        suggestion.status if suggestion else "", assessment.stage
    )
    assessment.progress = round(float(suggestion.progress), 3) if suggestion else None
    return assessment


def suggested_at_stage(status: str, stage: str) -> str:
    """The suggestion as a stage may take it: no "hard" at the end of a term, where what would be
    hard mid-term (short of the target) is simply not achieved."""
    if status == Status.HARD and stage == Stage.END:
        return Status.NOT_ACHIEVED
    return status
