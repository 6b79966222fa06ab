"""Assessments: the committee's judgements, changed all or nothing with their history rows and the
committee's counters (assessments_update); the stored suggestion recomputed; a committee's counters
recounted; the end-of-term stage opened.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import Action, authorize
from ..models import (
    TALLY_KINDS,
    Assessment,
    AssessmentChange,
    ChangeSource,
    Committee,
    Indicator,
    Stage,
    Status,
)
from ..results import RESULT_FIELDS, Results, results_problem, with_suggestion

if TYPE_CHECKING:
    from django.contrib.auth.models import User
from ._counters import _counter_column, _counter_keys, _shift_counters
from ._groups import _groups_resuggest
from ._history import _NEVER_ASSESSED, Judgement, _assessment_history, _judgement
from ._insert import _insert_values
from ._validation import _refuse_exceeded_unless_achieved, _refuse_status_on_part


class AssessmentConflict(Exception):
    """Someone else changed these assessments since the form was opened."""

    def __init__(self, conflicts: list["Conflict"]):
        self.conflicts = conflicts
        super().__init__(_("Chỉ tiêu đã được người khác thay đổi."))


@dataclass(frozen=True)
class Conflict:
    assessment: Assessment  # as it is now in the database


@dataclass
class AssessmentEdit:
    """One requested change. `expected_version` None means: don't check (e.g. a trusted import).

    `results` None leaves the results over time as they are (a form or workbook without them)."""

    assessment_id: int
    status: str
    value: str = ""
    note: str = ""
    expected_version: int | None = None
    results: Results | None = None
    # The "vượt" mark: None keeps the stored one while the indicator stays achieved.
    exceeded: bool | None = None


@dataclass
class EditResult:
    changed: list[Assessment] = field(default_factory=list)
    unchanged: int = 0


@transaction.atomic
def assessments_update(
    *, edits: list[AssessmentEdit], by: "User | None" = None, source: str = ChangeSource.FORM
) -> EditResult:
    """Apply many edits all or nothing.

    Rows are locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers), then
    each edit's expected version is compared with the stored one: any mismatch refuses the
    whole batch with AssessmentConflict, so nobody silently overwrites a colleague."""
    if not edits:
        return EditResult()
    ids = [e.assessment_id for e in edits]
    current = {
        a.pk: a
        for a in Assessment.objects.select_for_update(of=("self",))
        .select_related("indicator__resolution__committee__term", "updated_by")
        # Whether the indicator is a group, in the same query: its suggestion follows its parts'.
        .annotate(has_parts=Exists(Indicator.objects.filter(group_id=OuterRef("indicator_id"))))
        .filter(pk__in=ids)
    }
    missing = set(ids) - current.keys()
    if missing:
        raise Assessment.DoesNotExist(f"assessments {sorted(missing)} do not exist")
    conflicts = [
        Conflict(current[e.assessment_id])
        for e in edits
        if e.expected_version is not None and e.expected_version != current[e.assessment_id].version
    ]
    if conflicts:
        raise AssessmentConflict(conflicts)

    now = timezone.now()
    result = EditResult()
    history = []
    deltas: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for edit in edits:
        a = current[edit.assessment_id]
        Status(edit.status)  # ValueError for a status that does not exist, before anything is written
        _refuse_status_at_stage(edit.status, a.stage)
        exceeded = _exceeded_after(edit, a)
        part_of = a.indicator.group_id
        if part_of is not None:
            _refuse_status_on_part(a.indicator.number, edit.status)
        old_results = Results.of(a)
        new_results = old_results if edit.results is None else edit.results
        if new_results != old_results:
            term = a.indicator.resolution.committee.term
            problem = results_problem(new_results, start_year=term.start_year, end_year=term.end_year)
            if problem:
                raise ValueError(problem)
        if (a.status, a.exceeded, a.value, a.note, old_results) == (
            edit.status,
            exceeded,
            edit.value,
            edit.note,
            new_results,
        ):
            result.unchanged += 1
            continue
        history.append(
            _assessment_history(
                a,
                old=_judgement(a),
                new=Judgement(edit.status, edit.value, edit.note, new_results, exceeded),
                by=by,
                now=now,
                source=source,
                code=a.indicator.resolution.committee.code,
            )
        )
        resolution = a.indicator.resolution
        counted = resolution.counts_in_tally and part_of is None
        if (a.status, a.exceeded) != (edit.status, exceeded) and counted:
            deltas[(resolution.committee_id, a.stage)].subtract(_counter_keys(a.status, a.exceeded))
            deltas[(resolution.committee_id, a.stage)].update(_counter_keys(edit.status, exceeded))
        a.status, a.exceeded, a.value, a.note = edit.status, exceeded, edit.value, edit.note
        new_results.apply_to(a)
        with_suggestion(a)
        a.updated_by, a.updated_at, a.version = by, now, a.version + 1
        result.changed.append(a)

    if result.changed:
        columns = [
            "status",
            "exceeded",
            "value",
            "note",
            *RESULT_FIELDS,
            "updated_by",
            "updated_at",
            "version",
        ]
        if len(result.changed) == 1:
            # The form's usual save, one row: a plain UPDATE, not bulk_update's CASE per column
            # (its expressions were a fifth of a one-row save's CPU). One query either way.
            result.changed[0].save(update_fields=columns)
        else:
            Assessment.objects.bulk_update(result.changed, columns, batch_size=1000)
        _insert_values(AssessmentChange, history)
        for (committee_id, stage), delta in deltas.items():
            _shift_counters(committee_id, delta, stage)
        # A part's values moved its suggestion, so its group's (the worst of its parts') may move too.
        _groups_resuggest(
            group_ids={a.indicator.group_id for a in result.changed if a.indicator.group_id is not None}
            | {a.indicator_id for a in result.changed if getattr(a, "has_parts", False)},
            known={a.indicator_id: a for a in result.changed},
        )
    return result


@transaction.atomic
def assessments_resuggest(*, indicators: QuerySet[Indicator]) -> int:
    """Recompute the stored suggestion of these indicators' assessments after what it reads
    outside the results changed (target, measure, direction, or the thresholds in settings).
    Derived data, so no history row; returns how many suggestions changed."""
    changed = []
    groups = set()
    for a in (
        Assessment.objects.select_related("indicator__resolution__committee__term")
        .annotate(has_parts=Exists(Indicator.objects.filter(group_id=OuterRef("indicator_id"))))
        .filter(indicator__in=indicators)
    ):
        before = (a.suggested_status, a.progress)
        if (with_suggestion(a).suggested_status, a.progress) != before:
            changed.append(a)
        if a.indicator.group_id is not None:
            groups.add(a.indicator.group_id)
        if a.has_parts:
            groups.add(a.indicator_id)
    Assessment.objects.bulk_update(changed, ["suggested_status", "progress"], batch_size=1000)
    _groups_resuggest(group_ids=groups)  # a group's suggestion is its parts', not what its own numbers say
    return len(changed)


def _refuse_status_at_stage(status: str, stage: str) -> None:
    """No "hard" at the end of a term (domain.md): the end review judges what was done."""
    if status not in Stage(stage).statuses:
        raise ValueError(
            _("Tổng kết nhiệm kỳ không có đánh giá “khó đạt”: chọn đạt, không đạt hoặc chưa thể đánh giá.")
        )


def _exceeded_after(edit: AssessmentEdit, stored: Assessment) -> bool:
    """The mark an edit leaves: refused on a status other than achieved; None keeps the stored
    mark while the indicator stays achieved, and drops it when it no longer is."""
    if edit.exceeded is None:
        return stored.exceeded and edit.status == Status.ACHIEVED
    _refuse_exceeded_unless_achieved(edit.status, edit.exceeded)
    return edit.exceeded


@transaction.atomic
def committee_recount(*, committee: Committee) -> Committee:
    """Recompute a committee's counters of every stage from its assessments (after structural edits)."""
    rows = (
        Assessment.objects.filter(
            indicator__resolution__committee=committee,
            indicator__resolution__kind__in=TALLY_KINDS,
            indicator__group__isnull=True,  # a group counts once, never its parts
        )
        .values_list("stage", "status", "exceeded")
        .annotate(n=Count("pk"))
        .values_list("stage", "status", "exceeded", "n")
    )
    counts: Counter[tuple[str, str]] = Counter()
    for stage, status, exceeded, n in rows:
        counts[(stage, status)] += n
        if exceeded:
            counts[(stage, "exceeded")] += n
    columns = []
    for stage in Stage.values:
        for key in [*Status.values, "exceeded"]:
            column = _counter_column(key, stage)
            setattr(committee, column, counts[(stage, key)])
            columns.append(column)
    committee.save(update_fields=columns)
    return committee


@dataclass(frozen=True)
class StageOpened:
    committees: int  # committees at or below the one named
    created: int  # assessments created now (0 when the stage was already open everywhere)


@transaction.atomic
def stage_open(
    *,
    committee: Committee,
    stage: str = Stage.END,
    by: "User | None" = None,
    source: str = ChangeSource.SYSTEM,
) -> StageOpened:
    """Open a review stage (the end of term) for `committee` and every committee below it.

    Each indicator of the subtree gets its assessment at `stage`, starting from the mid-term's
    values, years, baseline, forecast and note, with its status to judge again (not assessed);
    an indicator that already has one keeps it, so opening twice changes nothing. One INSERT of
    assessments, one of their history rows and one UPDATE of the subtree's counters, whatever
    the size of the tree. Opening the mid-term stage is refused: it exists from the start.
    The end review of a term may be opened while the next term exists (nothing here reads it)."""
    authorize(by, committee, Action.SET_UP)
    if Stage(stage) == Stage.MID:
        raise ValueError(_("Giai đoạn sơ kết giữa nhiệm kỳ có sẵn từ đầu, không cần mở."))
    now = timezone.now()
    mids = list(
        Assessment.objects.filter(stage=Stage.MID, indicator__in=Indicator.objects.in_subtree(committee))
        .exclude(indicator__assessments__stage=stage)
        .select_related("indicator__resolution__committee__term")
        .order_by("indicator_id")  # end rows in the indicators' order, on every database
    )
    created = []
    for mid in mids:
        a = Assessment(
            indicator=mid.indicator,
            stage=stage,
            status=Status.NOT_ASSESSED,
            value=mid.value,
            note=mid.note,
            baseline=mid.baseline,
            years=mid.years,
            forecast=mid.forecast,
            updated_by=by,
            updated_at=now,
        )
        with_suggestion(a)
        created.append(a)
    Assessment.objects.bulk_create(created, batch_size=2000)
    _insert_values(
        AssessmentChange,
        [
            _assessment_history(
                a,
                old=_NEVER_ASSESSED,
                new=_judgement(a),
                by=by,
                now=now,
                source=source,
                code=a.indicator.resolution.committee.code,
            )
            for a in created
        ],
    )
    subtree = Committee.objects.in_subtree(committee)
    _recount_stage(subtree, stage)
    return StageOpened(committees=subtree.count(), created=len(created))


def _recount_stage(committees: QuerySet[Committee], stage: str) -> None:
    """Every counter of `stage` on these committee rows from their assessments: one grouped count
    and one UPDATE per thousand committees. Not a correlated count per column: right after a bulk
    insert PostgreSQL's statistics still say the tables are empty, and the plan it chose for six
    correlated subqueries on 118 committees took 50 s (the demo's end-of-term opening)."""
    rows = Assessment.objects.filter(
        stage=stage,
        indicator__resolution__committee__in=committees,
        indicator__resolution__kind__in=TALLY_KINDS,
        indicator__group__isnull=True,  # a group counts once, never its parts
    ).order_by()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows.values("indicator__resolution__committee", "status").annotate(n=Count("pk")):
        counts[row["indicator__resolution__committee"]][row["status"]] = row["n"]
    exceeded = rows.filter(exceeded=True).values("indicator__resolution__committee").annotate(n=Count("pk"))
    for of_exceeded in exceeded:
        counts[of_exceeded["indicator__resolution__committee"]]["exceeded"] = of_exceeded["n"]
    keys = [*Status.values, "exceeded"]
    columns = [_counter_column(key, stage) for key in keys]
    recounted = []
    for committee in committees.only("pk"):
        of_committee = counts.get(committee.pk, {})
        for key, column in zip(keys, columns, strict=True):
            setattr(committee, column, of_committee.get(key, 0))
        recounted.append(committee)
    Committee.objects.bulk_update(recounted, columns, batch_size=1000)
