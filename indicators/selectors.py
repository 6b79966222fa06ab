"""Reads that span models: the tally rollup, the subtree summary, consistency checks."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Sum, Value, When

from .models import (
    TALLY_KINDS,
    Assessment,
    Committee,
    Indicator,
    Level,
    Stage,
    Status,
    Term,
    UnitKind,
    stage_counter,
)
from .results import Results
from .services import term_parse_code
from .tally import Tally
from .units import usual_kind


@dataclass(frozen=True)
class ChildTally:
    committee: Committee
    tally: Tally


@dataclass(frozen=True)
class Rollup:
    """A committee's own tally, each direct child's own tally, and the sum over its subtree."""

    committee: Committee
    own: Tally
    children: list[ChildTally]
    subtree: Tally
    subtree_committees: int
    # Committees strictly below, by level: {"district": 8, "commune": 108, ...}
    below_by_level: dict[str, int]
    # … and by kind of unit: {"district": 7, "city": 1, "commune": 96, "township": 6, ...}
    below_by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def stage(self) -> str:
        return self.own.stage

    def as_json(self) -> dict[str, Any]:
        """The shape of interfaces.md, shared by the API and `tally --json`."""
        return {
            "committee": _committee_json(self.committee),
            "term": self.committee.term.code,
            "stage": self.stage,
            "own": self.own.as_dict(),
            "children": [
                {**_committee_json(child.committee), "own": child.tally.as_dict()} for child in self.children
            ],
            "subtree": {"committees": self.subtree_committees, **self.subtree.as_dict()},
        }


def _committee_json(committee: Committee) -> dict[str, str]:
    return {"code": committee.code, "name": committee.name, "level": committee.level}


@dataclass(frozen=True)
class SubtreeSummary:
    own: Tally
    subtree: Tally
    committees: int
    below_by_level: dict[str, int]
    below_by_kind: dict[str, int] = field(default_factory=dict)


def subtree_summary(*, committee: Committee, stage: str = Stage.MID) -> SubtreeSummary:
    """One indexed range query over the per-committee counters: the subtree's sum.

    Grouped by level, kind and whether the row is the committee itself: a handful of rows, and a
    query far cheaper to build and run than one filtered count per level and kind. The committee's
    own counters come from the same query, so a stale instance in memory never shows stale numbers."""
    is_self = Case(When(pk=committee.pk, then=Value(1)), default=Value(0), output_field=IntegerField())
    groups = (
        Committee.objects.in_subtree(committee)
        .order_by()
        .annotate(is_self=is_self)
        .values_list("level", "kind", "is_self")
        .annotate(
            n=Count("pk"),
            **{f"sum_{status}": Sum(stage_counter(stage, status)) for status in Status.values},
            sum_exceeded=Sum(stage_counter(stage, "exceeded")),
        )
    )
    own = Tally(stage=stage)
    subtree = Tally(stage=stage)
    below_by_level: Counter[str] = Counter()
    below_by_kind: Counter[str] = Counter()
    committees = 0
    for level, kind, self_row, n, *sums in groups:
        tally = Tally(**dict(zip([*Status.values, "exceeded"], sums, strict=True)), stage=stage)
        subtree += tally
        committees += n
        if self_row:
            own = tally
        else:
            below_by_level[level] += n
            # A row without a kind (written before kinds existed) counts as its level's usual kind.
            below_by_kind[kind or usual_kind(level)] += n
    return SubtreeSummary(
        own=own,
        subtree=subtree,
        committees=committees,
        below_by_level={level: below_by_level[level] for level in Level.values if below_by_level[level]},
        below_by_kind={kind: below_by_kind[kind] for kind in UnitKind.values if below_by_kind[kind]},
    )


def committee_rollup(*, committee: Committee, stage: str = Stage.MID) -> Rollup:
    """Two queries whatever the size of the tree: the children, and the subtree sum (at `stage`)."""
    children = [
        ChildTally(committee=child, tally=Tally.of_committee(child, stage))
        for child in Committee.objects.filter(parent=committee).order_by("code")
    ]
    summary = subtree_summary(committee=committee, stage=stage)
    return Rollup(
        committee=committee,
        own=summary.own,
        children=children,
        subtree=summary.subtree,
        subtree_committees=summary.committees,
        below_by_level=summary.below_by_level,
        below_by_kind=summary.below_by_kind,
    )


def term_by_code(*, code: str) -> Term:
    """The term written "2020-2025" (any dash, spaces): ValueError when malformed, Term.DoesNotExist
    when unknown. The one place a term is looked up from what a user typed: by its unique code."""
    start, end = term_parse_code(code)
    return Term.objects.get(code=f"{start}-{end}")


def committee_by_code(*, code: str, term: Term) -> Committee:
    return Committee.objects.select_related("term", "parent").get(term=term, code=code)


def counts_from_assessments(*, term: Term, stage: str = Stage.MID) -> dict[int, Tally]:
    """Each committee's own tally at `stage` by a fresh GROUP BY over assessments (the slow, sure way)."""
    rows = (
        Assessment.objects.filter(
            stage=stage,
            indicator__resolution__committee__term=term,
            indicator__resolution__kind__in=TALLY_KINDS,
        )
        .values("indicator__resolution__committee_id", "status", "exceeded")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, Counter[str]] = {}
    for row in rows:
        c = counts.setdefault(row["indicator__resolution__committee_id"], Counter())
        c[row["status"]] += row["n"]
        # Counted as stored, whatever the status, so a stray mark shows up as drift.
        if row["exceeded"]:
            c["exceeded"] += row["n"]
    return {
        committee_id: Tally(**{s: c[s] for s in [*Status.values, "exceeded"]}, stage=stage)
        for committee_id, c in counts.items()
    }


def counters_drift(*, term: Term) -> list[Committee]:
    """Committees whose stored counters (of any stage) differ from a fresh count; empty when all is well."""
    fresh = {stage: counts_from_assessments(term=term, stage=stage) for stage in Stage.values}
    return [
        committee
        for committee in Committee.objects.filter(term=term)
        if any(
            Tally.of_committee(committee, stage) != fresh[stage].get(committee.pk, Tally())
            for stage in Stage.values
        )
    ]


def stage_is_open(*, committee: Committee, stage: str) -> bool:
    """Whether the committee's review has this stage: mid always; another once `stage_open` gave
    the committee's indicators their assessments at it (one indexed EXISTS)."""
    if stage == Stage.MID:
        return True
    return Assessment.objects.filter(stage=stage, indicator__resolution__committee=committee).exists()


def committee_indicators(*, committee: Committee, stage: str = Stage.MID) -> list[Indicator]:
    """The committee's own indicators with their assessments at `stage`, in the order of its
    resolutions: one query whatever their number (results over time live on the assessment row).
    An indicator without an assessment at that stage (added after the stage was opened) is left out."""
    return [
        i
        for i in Indicator.objects.of_committee(committee).for_assessment_form(stage)
        if i.assessment is not None
    ]


def indicators_json(*, committee: Committee, stage: str = Stage.MID) -> dict[str, Any]:
    """The shape of interfaces.md ("Indicators with their results over time"), shared by
    `/api/committees/<CODE>/indicators/` and `manage.py indicators --json`."""
    return {
        "committee": _committee_json(committee),
        "term": committee.term.code,
        "stage": stage,
        "indicators": [_indicator_json(i) for i in committee_indicators(committee=committee, stage=stage)],
    }


def _indicator_json(indicator: Indicator) -> dict[str, Any]:
    a = indicator.assessment
    return {
        "resolution": indicator.resolution.number,
        "kind": indicator.resolution.kind,
        "number": indicator.number,
        "text": indicator.text,
        "unit": indicator.unit,
        "target": indicator.target,
        "baseline": a.baseline or None,
        "measure": indicator.measure,
        "direction": indicator.direction,
        "years": Results.of(a).years_json(),
        "forecast": a.forecast or None,
        "status": a.status,
        "exceeded": a.exceeded,
        "suggested_status": a.suggested_status or None,
        "progress": a.progress,
        "disagrees": a.disagrees,
    }
