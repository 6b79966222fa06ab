"""Reads that span models: the tally rollup, the subtree summary, consistency checks."""

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count

from .changes import ChangeLine, content_lines, results_lines
from .groups import in_group_order
from .lineage import PREDECESSOR_ASSESSMENTS, WITH_PREDECESSOR, baseline_of, last_judgement, term_reference
from .models import (
    TALLY_KINDS,
    Assessment,
    AssessmentChange,
    Committee,
    CommitteePredecessor,
    Field,
    Indicator,
    IndicatorChange,
    Level,
    Resolution,
    Stage,
    Status,
    Term,
    UnitKind,
    stage_counter,
    subtree_upper_bound,
)
from .results import Results
from .rows import loaded, read, select_list, split
from .services.terms import term_parse_code
from .tally import FieldTally, Tally, by_field
from .units import usual_kind

if TYPE_CHECKING:
    from .assignments import AssignedTally


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

    def as_json(self, *, assigned: "AssignedTally | None" = None) -> dict[str, Any]:
        """The shape of interfaces.md, shared by the API and `tally --json`; `assigned` (the
        indicators assigned from above, indicators.assignments) beside `own`, never in it."""
        shape = {
            "committee": _committee_json(self.committee),
            "term": self.committee.term.code,
            "stage": self.stage,
            "own": self.own.as_dict(),
            "children": [
                {**_committee_json(child.committee), "own": child.tally.as_dict()} for child in self.children
            ],
            "subtree": {"committees": self.subtree_committees, **self.subtree.as_dict()},
        }
        if assigned is not None:
            shape["assigned"] = assigned.as_dict()
        return shape


def _committee_json(committee: Committee) -> dict[str, str]:
    return {"code": committee.code, "name": committee.name, "level": committee.level}


@dataclass(frozen=True)
class SubtreeSummary:
    own: Tally
    subtree: Tally
    committees: int
    below_by_level: dict[str, int]
    below_by_kind: dict[str, int] = field(default_factory=dict)


@cache
def _subtree_sql(stage: str) -> str:
    """`subtree_summary`'s GROUP BY at `stage`, written once: parameters (committee id, term id,
    path, upper bound of the path). The ORM took ~2 ms to build it on every dashboard, trouble
    list and tally API, ten times what the database spends running it."""
    q = connection.ops.quote_name
    sums = ", ".join(f"SUM({q(stage_counter(stage, key))})" for key in [*Status.values, "exceeded"])
    return (
        f"SELECT {q('level')}, {q('kind')}, CASE WHEN {q('id')} = %s THEN 1 ELSE 0 END, COUNT(*), {sums} "  # noqa: S608 - our own names; the values are parameters
        f"FROM {q(Committee._meta.db_table)} "
        f"WHERE {q('term_id')} = %s AND {q('path')} >= %s AND {q('path')} < %s GROUP BY 1, 2, 3"
    )


def subtree_summary(*, committee: Committee, stage: str = Stage.MID) -> SubtreeSummary:
    """One indexed range query over the per-committee counters: the subtree's sum.

    Grouped by level, kind and whether the row is the committee itself: a handful of rows, and a
    query far cheaper to build and run than one filtered count per level and kind. The committee's
    own counters come from the same query, so a stale instance in memory never shows stale numbers.
    The range is `subtree_range`'s (term, path from the committee's to its upper bound)."""
    params: list[int | str] = [
        committee.pk,
        committee.term_id,
        committee.path,
        subtree_upper_bound(committee.path),
    ]
    # Read where the ORM reads committees; the SQL is the same on every database of one vendor.
    _using, groups = read(Committee, _subtree_sql(stage), params)
    own = Tally(stage=stage)
    subtree = Tally(stage=stage)
    below_by_level: Counter[str] = Counter()
    below_by_kind: Counter[str] = Counter()
    committees = 0
    for level, kind, self_row, n, *sums in groups:
        tally = Tally(**dict(zip([*Status.values, "exceeded"], map(int, sums), strict=True)), stage=stage)
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
    """Two queries whatever the size of the tree: the subtree sum (at `stage`), then the children;
    one for a committee with nothing below (most are communes and cells), whose sum says so."""
    summary = subtree_summary(committee=committee, stage=stage)
    children = (
        [
            ChildTally(committee=child, tally=Tally.of_committee(child, stage))
            for child in _children(committee)
        ]
        if summary.below_by_level
        else []
    )
    return Rollup(
        committee=committee,
        own=summary.own,
        children=children,
        subtree=summary.subtree,
        subtree_committees=summary.committees,
        below_by_level=summary.below_by_level,
        below_by_kind=summary.below_by_kind,
    )


# A committee's children by code, as Committee.objects.filter(parent=c).order_by("code") reads them:
# by hand, by the parent's key (the ORM building it was half of the rollup's CPU).
_CHILDREN = (
    f"SELECT {select_list(Committee, 'c')} FROM indicators_committee c WHERE c.parent_id = %s ORDER BY c.code"  # noqa: S608 - our own names; the value is a parameter
)


def _children(committee: Committee) -> list[Committee]:
    using, rows = read(Committee, _CHILDREN, [committee.pk], by_key=True)
    return [loaded(Committee, row, using=using) for row in rows]


def _stored_term_code(typed: str) -> str:
    """The unique code a term is stored under, from what a user typed ("2020 – 2025" is
    "2020-2025"): ValueError when malformed."""
    start, end = term_parse_code(typed)
    return f"{start}-{end}"


def term_by_code(*, code: str) -> Term:
    """The term written "2020-2025" (any dash, spaces): ValueError when malformed, Term.DoesNotExist
    when unknown. The one place a term is looked up from what a user typed: by its unique code."""
    return Term.objects.get(code=_stored_term_code(code))


# Every page of a committee starts here: written by hand (indicators.rows), a fifth of the ORM's CPU.
# The parent's parent comes too: a commune's breadcrumb (reviews.selectors.ancestors) then needs
# no query of its own.
_BY_CODES = (
    f"SELECT {select_list(Committee, 'c')}, {select_list(Term, 't')}, {select_list(Committee, 'p')},"  # noqa: S608
    f" {select_list(Committee, 'g')}"
    " FROM indicators_committee c"
    " JOIN indicators_term t ON t.id = c.term_id"
    " LEFT JOIN indicators_committee p ON p.id = c.parent_id"
    " LEFT JOIN indicators_committee g ON g.id = p.parent_id"
    " WHERE t.code = %s AND c.code = %s"
)


def committee_by_codes(*, code: str, term_code: str) -> Committee | None:
    """Committee `code` of the term written `term_code` (read as `term_by_code` reads it), with its
    term, parent and the parent's parent, in one query: None when either is unknown, ValueError
    when the term is malformed. Every page of a committee looks it up so, without a query for the
    term alone."""
    using, rows = read(Committee, _BY_CODES, [_stored_term_code(term_code), code], by_key=True)
    if not rows:
        return None
    own, term, of_parent, of_grandparent = split(rows[0], Committee, Term, Committee, Committee)
    committee = loaded(Committee, own, using=using)
    committee.term = loaded(Term, term, using=using)
    if committee.parent_id is not None:  # (none: the descriptor answers None without a query)
        committee.parent = parent = loaded(Committee, of_parent, using=using)
        if parent.parent_id is not None:
            parent.parent = loaded(Committee, of_grandparent, using=using)
    return committee


def committee_by_code(*, code: str, term: Term) -> Committee:
    return Committee.objects.select_related("term", "parent").get(term=term, code=code)


def counts_from_assessments(*, term: Term, stage: str = Stage.MID) -> dict[int, Tally]:
    """Each committee's own tally at `stage` by a fresh GROUP BY over assessments (the slow, sure way)."""
    rows = (
        Assessment.objects.filter(
            stage=stage,
            indicator__resolution__committee__term=term,
            indicator__resolution__kind__in=TALLY_KINDS,
            indicator__group__isnull=True,  # a group counts once, never its parts
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


def committee_field_tallies(
    *, committee: Committee, indicators: list[Indicator] | None = None, stage: str = Stage.MID
) -> list[FieldTally]:
    """The committee's own tally by field ("Kinh tế 4/4; Văn hóa – xã hội 9/10; Khác 1/1"), adding
    up to its own tally. From `indicators` when the caller already holds every own indicator with
    its assessment and resolution (no query); else one query."""
    if indicators is None:
        rows = list(
            Indicator.objects.of_committee(committee)
            .at_stage(stage)
            .in_tally()
            .filter(group__isnull=True)
            .values_list("field", "assessment__status", "assessment__exceeded")  # type: ignore[misc]
        )
    else:
        rows = [
            (i.field, i.assessment.status, i.assessment.exceeded)
            for i in indicators
            if i.resolution.counts_in_tally and i.group_id is None  # a group counts once, not its parts
        ]
    return by_field(rows, [(value, str(label)) for value, label in Field.choices], stage=stage)


def stage_is_open(*, committee: Committee, stage: str) -> bool:
    """Whether the committee's review has this stage: mid always; another once `stage_open` gave
    the committee's indicators their assessments at it (one indexed EXISTS)."""
    if stage == Stage.MID:
        return True
    return Assessment.objects.filter(stage=stage, indicator__resolution__committee=committee).exists()


def _rows_sql(*, savers: bool) -> str:
    """The committee's indicators with their assessments at a stage (parameters: stage, committee
    id), in the order of its resolutions; `savers`: with who last saved each."""
    columns = [select_list(Indicator, "i"), select_list(Resolution, "r"), select_list(Assessment, "a")]
    if savers:
        columns.append(select_list(User, "u"))
    saver_join = " LEFT JOIN auth_user u ON u.id = a.updated_by_id" if savers else ""
    return (
        f"SELECT {', '.join(columns)}"  # noqa: S608 - our own names; the values are parameters
        " FROM indicators_indicator i"
        " JOIN indicators_resolution r ON r.id = i.resolution_id"
        " JOIN indicators_assessment a ON a.indicator_id = i.id AND a.stage = %s"
        f"{saver_join}"
        " WHERE r.committee_id = %s"
        " ORDER BY r.kind, r.number, i.sort_key"
    )


# The assessment form's rows, read on every view and save of it, and the dashboard's list, read on
# every dashboard: by hand (indicators.rows), as Indicator.objects.of_committee(c)
# .for_assessment_form(stage) and reviews.selectors.dashboard_indicators read them, in a third of
# the CPU (the dashboard's list of 30: 2.6 ms by the ORM on the national database).
_FORM_ROWS = _rows_sql(savers=True)
_LIST_ROWS = _rows_sql(savers=False)


def _committee_rows(*, committee: Committee, stage: str, savers: bool) -> list[Indicator]:
    models = (Indicator, Resolution, Assessment, User) if savers else (Indicator, Resolution, Assessment)
    using, rows = read(Indicator, _FORM_ROWS if savers else _LIST_ROWS, [stage, committee.pk], by_key=True)
    resolutions: dict[int, Resolution] = {}
    indicators = []
    for row in rows:
        own, of_resolution, of_assessment, *saver = split(row, *models)
        indicator = loaded(Indicator, own, using=using)
        resolution = resolutions.get(indicator.resolution_id)
        if resolution is None:
            resolution = resolutions[indicator.resolution_id] = loaded(Resolution, of_resolution, using=using)
        indicator.resolution = resolution
        assessment = loaded(Assessment, of_assessment, using=using)
        assessment.indicator = indicator
        if saver and assessment.updated_by_id is not None:
            assessment.updated_by = loaded(User, saver[0], using=using)
        indicator.assessment = assessment
        indicators.append(indicator)
    return indicators


def committee_indicators(*, committee: Committee, stage: str = Stage.MID) -> list[Indicator]:
    """The committee's own indicators with their assessments at `stage` (and who last saved each),
    in the order of its resolutions, each group followed by its parts: one query whatever their
    number (results over time live on the assessment row). An indicator without an assessment at
    that stage (added after the stage was opened) is left out."""
    return in_group_order(_committee_rows(committee=committee, stage=stage, savers=True))


def committee_indicator_list(*, committee: Committee, stage: str = Stage.MID) -> list[Indicator]:
    """The rows of reviews.selectors.dashboard_indicators unfiltered, in its order (Congress
    resolution first, then by number and the indicator's own order), without who saved each."""
    return _committee_rows(committee=committee, stage=stage, savers=False)


def indicators_json(*, committee: Committee, stage: str = Stage.MID) -> dict[str, Any]:
    """The shape of interfaces.md ("Indicators with their results over time"), shared by
    `/api/committees/<CODE>/indicators/` and `manage.py indicators --json`. One query: each
    indicator's predecessor comes with it (its name and the baseline it carries)."""
    indicators = (
        Indicator.objects.of_committee(committee)
        .for_assessment_form(stage)
        .select_related(*WITH_PREDECESSOR)
        .prefetch_related(PREDECESSOR_ASSESSMENTS)
    )
    return {
        "committee": _committee_json(committee),
        "term": committee.term.code,
        "stage": stage,
        "indicators": _nested_json(in_group_order([i for i in indicators if i.assessment is not None])),
    }


def _nested_json(indicators: list[Indicator]) -> list[dict[str, Any]]:
    """Top-level indicators, each group with `"parts"`: its parts' objects (same shape, their own
    `"parts"` empty: one level deep); a part is never listed at the top level."""
    parts: dict[int, list[dict[str, Any]]] = {}
    for indicator in indicators:
        if indicator.group_id is not None:
            parts.setdefault(indicator.group_id, []).append(_indicator_json(indicator, parts=[]))
    return [
        _indicator_json(indicator, parts=parts.get(indicator.pk, []))
        for indicator in indicators
        if indicator.group_id is None
    ]


def _indicator_json(indicator: Indicator, *, parts: list[dict[str, Any]]) -> dict[str, Any]:
    a = indicator.assessment
    baseline = baseline_of(indicator)
    return {
        "resolution": indicator.resolution.number,
        "kind": indicator.resolution.kind,
        "number": indicator.number,
        "text": indicator.text,
        "unit": indicator.unit,
        "target": indicator.target,
        "target_adjusted": indicator.target_adjusted or None,
        "target_adjusted_by": indicator.target_adjusted_by or None,
        # Typed, else carried from the predecessor's end year ("baseline_carried_from" names its term).
        "baseline": baseline.value or None,
        "baseline_carried_from": baseline.carried_from.code if baseline.carried_from else None,
        "predecessor": term_reference(indicator.predecessor) if indicator.predecessor else None,
        "measure": indicator.measure,
        "direction": indicator.direction,
        "years": Results.of(a).years_json(),
        "forecast": a.forecast or None,
        "status": a.status,
        "exceeded": a.exceeded,
        "suggested_status": a.suggested_status or None,
        "progress": a.progress,
        "disagrees": a.disagrees,
        "parts": parts,
    }


@dataclass(frozen=True)
class JudgementEntry:
    change: AssessmentChange
    results: list[ChangeLine]  # the baseline, years and forecast it changed; empty if none


@dataclass(frozen=True)
class ContentEntry:
    change: IndicatorChange
    lines: list[ChangeLine]


@dataclass(frozen=True)
class IndicatorHistory:
    """Everything recorded about one indicator, newest first: its judgements (status, value, note,
    yearly values) and its content (target, text, … changed by staff, in the admin too)."""

    judgements: list[JudgementEntry]
    content: list[ContentEntry]


def indicator_history(*, indicator: Indicator, stage: str = Stage.MID) -> IndicatorHistory:
    """Two queries whatever the number of rows; the judgements of `stage` (each review its own)."""
    judgements = AssessmentChange.objects.filter(
        assessment__indicator=indicator, assessment__stage=stage
    ).select_related("changed_by__profile")
    content = IndicatorChange.objects.filter(indicator=indicator).select_related("changed_by__profile")
    return IndicatorHistory(
        judgements=[JudgementEntry(c, results_lines(c.old_results, c.new_results)) for c in judgements],
        content=[ContentEntry(c, content_lines(Indicator, c.old, c.new)) for c in content],
    )


@dataclass(frozen=True)
class Lineage:
    """A committee's predecessors (term before) and successors (term after), each with its own
    tally: side by side, never summed (they are different resolutions)."""

    predecessors: list[ChildTally]
    successors: list[ChildTally]

    def __bool__(self) -> bool:
        return bool(self.predecessors or self.successors)


def end_is_open(committee: Committee) -> bool:
    """Whether the committee's end-of-term review is open, from the counters on its loaded row (no
    query): opening it gives every Congress indicator an end assessment, each counted there."""
    return Tally.of_committee(committee, Stage.END).total > 0


def _latest_tally(committee: Committee) -> Tally:
    """The committee's tally at its latest open stage: the end of term once opened (what a
    successor continues from), else the mid-term."""
    return Tally.of_committee(committee, Stage.END if end_is_open(committee) else Stage.MID)


# Asked by every dashboard, mostly of committees without any link: by hand, not built by the ORM.
_LINKS = (
    "SELECT link.committee_id, link.predecessor_id FROM indicators_committeepredecessor link"
    " WHERE link.committee_id = %s OR link.predecessor_id = %s"
)


def committee_lineage(*, committee: Committee) -> Lineage:
    """The links that name the committee on either side, whatever the tree: one query of the
    links' two ids, then one of the committees they name (with their terms) only when there are
    any. Most committees have none, and that bare query costs a dashboard a third of the joined one."""
    _using, links = read(CommitteePredecessor, _LINKS, [committee.pk, committee.pk], by_key=True)
    if not links:
        return Lineage(predecessors=[], successors=[])
    other_ids = {pred if succ == committee.pk else succ for succ, pred in links}
    others = Committee.objects.select_related("term").in_bulk(other_ids)
    predecessors, successors = [], []
    for other in sorted(others.values(), key=lambda row: row.code):
        if (committee.pk, other.pk) in links:
            predecessors.append(ChildTally(other, _latest_tally(other)))
        else:
            successors.append(ChildTally(other, Tally.of_committee(other)))
    return Lineage(predecessors=predecessors, successors=successors)


def indicator_trajectory(*, indicator: Indicator) -> list[tuple[Term, Results]]:
    """The indicator's results over time across terms, oldest first: its predecessor's (when it
    has one) then its own; each term with its baseline, yearly values and forecast. Reads only
    what `WITH_PREDECESSOR` and `PREDECESSOR_ASSESSMENTS` read with the indicator and its own
    committee's term."""
    own = (indicator.resolution.committee.term, Results.of(indicator.assessment))
    predecessor = indicator.predecessor
    if predecessor is None:
        return [own]
    return [(predecessor.resolution.committee.term, Results.of(last_judgement(predecessor))), own]
