"""Every write to the core goes through here, in one transaction with its history and counters.

The committee's own status counters (Committee.n_*) are changed only by these functions,
in the same transaction as the assessment change, so a tally read from them is always exact.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Count, Exists, F, Model, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import Action, authorize
from .groups import link_problems, lowest_progress, worst_suggestion
from .history import indicator_subject, resolution_subject
from .models import (
    EXCEEDED_COUNTER,
    PATH_STEP,
    STATUS_COUNTER,
    TALLY_KINDS,
    Assessment,
    AssessmentChange,
    ChangeSource,
    Committee,
    CommitteeChange,
    CommitteePredecessor,
    ContentAction,
    Direction,
    Indicator,
    IndicatorChange,
    Measure,
    PredecessorChange,
    Profile,
    Resolution,
    ResolutionChange,
    ResolutionKind,
    Role,
    RoleChange,
    RoleChangeAction,
    RoleKind,
    Stage,
    Status,
    Term,
    stage_counter,
)
from .numbering import number_sort_key
from .results import RESULT_FIELDS, Results, results_problem, with_suggestion
from .signals import committees_placed
from .units import kind_from_name
from .values import without_bidi_controls

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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


# ---- terms and the tree -------------------------------------------------------------------


def term_parse_code(code: str) -> tuple[int, int]:
    """'2020-2025' (any dash) -> (2020, 2025); ValueError with a readable message otherwise."""
    normalised = code.strip().replace("–", "-").replace("—", "-")
    parts = normalised.split("-")
    if len(parts) != 2 or not all(p.strip().isdigit() and len(p.strip()) == 4 for p in parts):
        raise ValueError(_("Nhiệm kỳ “%(code)s” không hợp lệ; hãy viết dạng 2020-2025.") % {"code": code})
    start, end = (int(p) for p in parts)
    if end <= start:
        raise ValueError(_("Nhiệm kỳ “%(code)s”: năm kết thúc phải sau năm bắt đầu.") % {"code": code})
    return start, end


@transaction.atomic
def term_get_or_create(*, code: str, midterm_date: date | None = None) -> tuple[Term, bool]:
    start, end = term_parse_code(code)
    term, created = Term.objects.get_or_create(
        code=f"{start}-{end}",
        defaults={
            "start_year": start,
            "end_year": end,
            "midterm_date": midterm_date or date(start + (end - start) // 2, 6, 30),
        },
    )
    return term, created


@transaction.atomic
def term_update(*, term: Term, midterm_date: date | None) -> Term:
    """The only thing of a term that changes: its mid-term date (the code names it everywhere)."""
    term.midterm_date = midterm_date
    term.full_clean()
    term.save(update_fields=["midterm_date"])
    return term


def _child_path(parent: Committee | None, pk: int) -> str:
    return (parent.path if parent else "") + str(pk).zfill(PATH_STEP)


def committee_create(
    *,
    term: Term,
    code: str,
    name: str,
    level: str,
    parent: Committee | None = None,
    kind: str = "",
    by: "User | None" = None,
) -> Committee:
    """A committee (committees_bulk_create of one row); its kind of unit read from its name when not given."""
    if parent is not None and parent.term_id != term.pk:
        raise ValueError("parent belongs to another term")
    row = {
        "code": code,
        "name": name,
        "level": level,
        "parent_code": parent.code if parent else "",
        "kind": kind,
    }
    return committees_bulk_create(term=term, rows=[row], by=by)[0]


def committee_name(name: str) -> str:
    """A committee's name as stored: one line, single spaces (a workbook cell may hold a line
    break, which would make every e-mail header naming the committee invalid), without
    bidirectional controls (values.without_bidi_controls)."""
    return " ".join(without_bidi_controls(name or "").split())


@transaction.atomic
def committee_update(
    *,
    committee: Committee,
    name: str,
    level: str,
    parent: Committee | None,
    by: "User | None" = None,
    kind: str = "",
) -> Committee:
    """Rename, re-level or move a committee, with its CommitteeChange row; moving rewrites the paths
    of its whole subtree. The kind of unit: as given, else read again from a new name or level."""
    name = committee_name(name)
    # Compared with the stored row, not the instance: an admin form has already set its fields.
    before = Committee.objects.select_for_update(of=("self",)).select_related("parent").get(pk=committee.pk)
    new_parent_id = parent.pk if parent else None
    if not kind:
        renamed = (before.name, before.level) != (name, level)
        kind = kind_from_name(name, level) if renamed or not before.kind else before.kind
    if (before.name, before.level, before.parent_id, before.kind) == (name, level, new_parent_id, kind):
        return committee
    if parent is not None and parent.term_id != before.term_id:
        raise ValueError("parent belongs to another term")
    committee.name, committee.level, committee.kind = name, level, kind
    committee.parent, committee.path, committee.depth = parent, before.path, before.depth
    fields = ["name", "level", "kind"]
    if new_parent_id != before.parent_id:
        if parent is not None and (parent.pk == before.pk or parent.path.startswith(before.path)):
            raise ValueError(_("Không thể chuyển một đơn vị vào dưới chính nó."))
        new_path = _child_path(parent, before.pk)
        depth_shift = (parent.depth + 1 if parent else 1) - before.depth
        subtree = list(Committee.objects.in_subtree(before))
        for node in subtree:
            node.path = new_path + node.path[len(before.path) :]
            node.depth += depth_shift
        Committee.objects.bulk_update(subtree, ["path", "depth"])
        committee.path, committee.depth = new_path, before.depth + depth_shift
        fields += ["parent", "path", "depth"]
    committee.full_clean(exclude=["path"])
    committee.save(update_fields=fields)
    CommitteeChange.objects.create(
        action=ContentAction.CHANGED,
        committee=committee,
        committee_code=committee.code,
        changed_by=by,
        changed_at=timezone.now(),
        old_name=before.name,
        new_name=name,
        old_level=before.level,
        new_level=level,
        old_parent=before.parent,
        new_parent=parent,
    )
    if (before.parent_id, before.level) != (new_parent_id, level):
        committees_placed.send(sender=Committee, created=[], moved=[committee])
    return committee


@transaction.atomic
def committees_bulk_create(
    *, term: Term, rows: list[dict[str, str]], by: "User | None" = None
) -> list[Committee]:
    """Create many committees at once (import, demo, committee_create): rows of code/name/level/
    parent_code (and kind, else read from the name), each validated as full_clean validates it (the
    codes' uniqueness in one query for the batch), with a CommitteeChange "created" row each.

    Parents must come before their children or already exist in the term."""
    codes = [r["code"] for r in rows]
    if len(set(codes)) != len(codes) or Committee.objects.filter(term=term, code__in=codes).exists():
        raise ValidationError(_("Mã đơn vị đã có trong nhiệm kỳ."), code="duplicate_committee")
    parent_codes = {r["parent_code"] for r in rows if r.get("parent_code")} - set(codes)
    existing = {c.code: c for c in Committee.objects.filter(term=term, code__in=parent_codes)}
    created: list[Committee] = []
    # Insert level by level so every parent has its primary key (and path) before its children.
    pending = list(rows)
    while pending:
        ready = [r for r in pending if not r.get("parent_code") or r["parent_code"] in existing]
        if not ready:
            raise ValueError(
                "unknown parent codes: " + ", ".join(sorted({r["parent_code"] for r in pending}))
            )
        batch = []
        for r in ready:
            name = committee_name(r["name"])
            committee = Committee(
                term=term,
                code=r["code"],
                name=name,
                level=r["level"],
                kind=r.get("kind") or kind_from_name(name, r["level"]),
                parent=existing.get(r.get("parent_code") or ""),
                path="",
            )
            _validated(committee, exclude=["term", "parent", "path"])
            batch.append(committee)
        Committee.objects.bulk_create(batch, batch_size=2000)
        if any(c.pk is None for c in batch):  # backends that don't return ids
            by_code = {
                c.code: c for c in Committee.objects.filter(term=term, code__in=[c.code for c in batch])
            }
            batch = [by_code[c.code] for c in batch]
        for c in batch:
            c.path = _child_path(c.parent, c.pk)
            c.depth = c.parent.depth + 1 if c.parent else 1
            existing[c.code] = c
        Committee.objects.bulk_update(batch, ["path", "depth"], batch_size=2000)
        created += batch
        ready_codes = {r["code"] for r in ready}
        pending = [r for r in pending if r["code"] not in ready_codes]
    committees_placed.send(sender=Committee, created=created, moved=[])
    now = timezone.now()
    CommitteeChange.objects.bulk_create(
        [
            CommitteeChange(
                action=ContentAction.CREATED,
                committee=c,
                committee_code=c.code,
                changed_by=by,
                changed_at=now,
                new_name=c.name,
                new_level=c.level,
                new_parent=c.parent,
            )
            for c in created
        ],
        batch_size=2000,
    )
    return created


# ---- resolutions and indicators -------------------------------------------------------------


def _assigned_below() -> str:
    """What the database's PROTECT would answer with a 500 (indicators.assignments)."""
    return _("Chỉ tiêu đã giao cho đơn vị cấp dưới: hãy xóa các chỉ tiêu được giao ở đơn vị cấp dưới trước.")


def resolution_create(
    *,
    committee: Committee,
    number: str,
    kind: str = ResolutionKind.CONGRESS,
    date: date | None = None,
    title: str = "",
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> Resolution:
    """A resolution, with its ResolutionChange row (resolutions_bulk_create of one row)."""
    row = ResolutionRow(committee_id=committee.pk, number=number, kind=kind, date=date, title=title)
    resolution = resolutions_bulk_create(rows=[row], by=by, source=source)[0]
    resolution.committee = committee
    return resolution


@transaction.atomic
def resolution_update(
    *,
    resolution: Resolution,
    kind: str,
    date: date | None,
    title: str,
    number: str | None = None,
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> Resolution:
    """Changing the kind moves its indicators in or out of the committee's tally. A real change
    writes its ResolutionChange row (compared with the stored row: an admin form has already set
    the instance's fields)."""
    stored = Resolution.objects.select_for_update().get(pk=resolution.pk)
    resolution.kind, resolution.date, resolution.title = kind, date, title
    if number is not None:
        resolution.number = number
    resolution.full_clean()
    resolution.save(update_fields=["number", "kind", "date", "title"])
    _content_history([resolution], before={resolution.pk: stored}, by=by, source=source)
    if ResolutionKind(kind).counts_in_tally != stored.counts_in_tally:
        committee_recount(committee=resolution.committee)
    return resolution


@transaction.atomic
def resolution_delete(
    *, resolution: Resolution, by: "User | None" = None, source: str = ChangeSource.FORM
) -> None:
    """Delete a resolution with its indicators and assessments; the committee's counters follow.

    A "deleted" row for the resolution and for each of its indicators keeps what they said; their
    history rows stay (SET_NULL), each with its readable copy of what it was about."""
    committee = resolution.committee
    if Resolution.objects.filter(assigned_from=resolution).exists():
        raise ValidationError(_assigned_below())
    indicators = list(resolution.indicators.select_related("resolution__committee", "group"))
    _content_history(indicators, by=by, source=source, deleted=True)
    _content_history([resolution], by=by, source=source, deleted=True)
    resolution.delete()
    if resolution.counts_in_tally:
        committee_recount(committee=committee)


def indicator_create(
    *,
    resolution: Resolution,
    number: str,
    text: str,
    field: str = "",
    unit: str = "",
    target: str = "",
    measure: str = Measure.LEVEL,
    direction: str = Direction.UP,
    status: str = Status.NOT_ASSESSED,
    exceeded: bool = False,
    value: str = "",
    note: str = "",
    results: Results | None = None,
    group: Indicator | None = None,
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
    assigned_from: Indicator | None = None,
) -> Indicator:
    """An indicator with its assessment, its IndicatorChange row and (assessed) its
    AssessmentChange row; the counters follow (indicators_bulk_create of one row). `group`: the
    indicator of the same resolution this one is a part of. `assigned_from`: the indicator above it
    carries out (indicators.assignments)."""
    if group is not None and group.resolution_id != resolution.pk:
        raise ValidationError(_("Một phần phải thuộc chỉ tiêu của cùng nghị quyết."), code="bad_group")
    data = {
        "number": number,
        "text": text,
        "field": field,
        "unit": unit,
        "target": target,
        "measure": measure,
        "direction": direction,
        "status": status,
        "exceeded": exceeded,
        "value": value,
        "note": note,
        "results": results,
        "group": group.number if group is not None else "",
        "assigned_from": assigned_from,
    }
    return indicators_bulk_create(rows=[(resolution, data)], by=by, source=source)[0]


@transaction.atomic
def indicators_bulk_create(
    *,
    rows: list[tuple[Resolution, dict[str, Any]]],
    by: "User | None" = None,
    source: str = ChangeSource.IMPORT,
) -> list[Indicator]:
    """Create many indicators with their assessments in a few statements (import, demo, bench,
    indicator_create), each row validated as full_clean validates it (numbers' uniqueness in one
    query for the batch) and its results over time checked against the term, with the
    IndicatorChange row of each and the AssessmentChange row of each one created assessed.

    Each row is (resolution, {"number", "text", "field", "unit", "target", "measure", "direction",
    "status", "exceeded", "value", "note", "results", "group"}); "results" a Results (baseline, yearly
    values, forecast); "group" the number of the group this row is a part of in its resolution (an
    indicator stored or of the same batch), never assessed itself: the committee judges the group."""
    if not rows:
        return []
    # The term's years (results) and the committee's code (history) of every resolution, in one
    # query; the resolutions that came without their committee and term get them from it (the
    # suggestions read the term's years: a query each for the committee and the term otherwise).
    loaded = Committee.objects.filter(pk__in={resolution.committee_id for resolution, _data in rows})
    by_pk = {c.pk: c for c in loaded.select_related("term")}
    committees = {pk: (c.code, c.term.start_year, c.term.end_year) for pk, c in by_pk.items()}
    for resolution, _data in rows:
        if not Resolution.committee.is_cached(resolution):
            resolution.committee = by_pk[resolution.committee_id]
        elif not Committee.term.is_cached(resolution.committee):
            resolution.committee.term = by_pk[resolution.committee_id].term
    now = timezone.now()
    indicators, assessments = [], []
    deltas: dict[int, Counter[str]] = defaultdict(Counter)
    for resolution, data in rows:
        indicator = _indicator_of(resolution, data)
        _validated(indicator, exclude=["resolution", "group"])
        if problem := adjustment_problem(indicator.target_adjusted, indicator.target_adjusted_by):
            raise ValidationError({"target_adjusted": problem})
        status = data.get("status") or Status.NOT_ASSESSED
        exceeded = bool(data.get("exceeded"))
        _refuse_exceeded_unless_achieved(status, exceeded)
        if data.get("group"):
            _refuse_status_on_part(data["number"], status)
        assessed = status != Status.NOT_ASSESSED
        assessment = Assessment(
            status=status,
            exceeded=exceeded,
            value=data.get("value", ""),
            note=data.get("note", ""),
            updated_by=by if assessed else None,
            updated_at=now if assessed else None,
        )
        _validated(assessment, exclude=["indicator", "updated_by"])
        results = data.get("results") or Results()
        _code, start_year, end_year = committees[resolution.committee_id]
        problem = results_problem(results, start_year=start_year, end_year=end_year)
        if problem:
            raise ValueError(problem)
        results.apply_to(assessment)
        indicators.append(indicator)
        assessments.append(assessment)
        if resolution.counts_in_tally and not data.get("group"):
            deltas[resolution.committee_id] += _counter_keys(status, exceeded)
    _refuse_numbers_taken(
        Indicator,
        "resolution_id",
        [(resolution.pk, data["number"]) for resolution, data in rows],
        _("Số thứ tự chỉ tiêu đã có trong nghị quyết."),
    )
    _insert(indicators, batch_size=2000)
    if any(i.pk is None for i in indicators):
        raise RuntimeError("database backend did not return primary keys from bulk_create")
    linked = _link_new_parts(indicators, [data.get("group") or "" for _r, data in rows])
    for indicator, assessment in zip(indicators, assessments, strict=True):
        assessment.indicator = indicator
        with_suggestion(assessment)
    _insert(assessments, batch_size=2000)
    for indicator, assessment in zip(indicators, assessments, strict=True):
        indicator.assessment = assessment
    for committee_id, delta in deltas.items():
        _shift_counters(committee_id, delta)
    _groups_resuggest(group_ids=linked, known={a.indicator_id: a for a in assessments})
    _content_history(indicators, by=by, source=source, codes={k: v[0] for k, v in committees.items()})
    _insert(
        [
            _assessment_history(
                a,
                old=_NEVER_ASSESSED,
                new=_judgement(a),
                by=by,
                now=now,
                source=source,
                code=committees[a.indicator.resolution.committee_id][0],
            )
            for a in assessments
            if _judgement(a) != _NEVER_ASSESSED
        ],
        batch_size=1000,
    )
    return indicators


def _insert(objs: Sequence[Model], *, batch_size: int) -> None:
    """Model.objects.bulk_create(objs, batch_size=…) for new rows of one model, in the same INSERT
    statements (Django's batch sizes), without its SQL compiler: the compiler's work per value
    (placeholders, expressions, per-field SQL) was most of a big import's inserts. Each value is
    still prepared by its field (pre_save, get_db_prep_save) and the new keys are set on the
    objects. Falls back to bulk_create where the backend cannot return the keys of a bulk insert."""
    if not objs:
        return
    model = type(objs[0])
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    if not connection.features.can_return_rows_from_bulk_insert or opts.parents:
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    pk = opts.pk
    fields = [f for f in opts.concrete_fields if f is not pk]
    batch_size = min(batch_size, max(connection.ops.bulk_batch_size(fields, objs), 1))
    quote = connection.ops.quote_name
    # Names from the model (quoted), values as parameters: nothing of the data is in the SQL.
    columns = ", ".join(quote(f.column or f.name) for f in fields)
    head = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES "  # noqa: S608
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(pk.column or pk.name)}"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            params: list[Any] = []
            for obj in batch:
                obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]  # Django's, unstubbed
                params += [f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in fields]
            cursor.execute(head + ", ".join([row] * len(batch)) + tail, params)
            keys = cursor.fetchall()
            if len(keys) != len(batch):
                raise RuntimeError("the database returned fewer keys than rows inserted")
            for obj, (key,) in zip(batch, keys, strict=True):
                obj.pk = pk.to_python(key)
                obj._state.adding = False
                obj._state.db = connection.alias


def _indicator_of(resolution: Resolution, data: dict[str, Any]) -> Indicator:
    """The unsaved indicator of a bulk row (what is not given takes the model's default)."""
    number = data["number"]
    return Indicator(
        resolution=resolution,
        number=number,
        sort_key=number_sort_key(number),
        text=data["text"],
        field=data.get("field", ""),
        unit=data.get("unit", ""),
        target=data.get("target", ""),
        target_adjusted=data.get("target_adjusted", ""),
        target_adjusted_by=data.get("target_adjusted_by", ""),
        measure=data.get("measure") or Measure.LEVEL,
        direction=data.get("direction") or Direction.UP,
        assigned_from=data.get("assigned_from"),
    )


def _refuse_status_on_part(number: str, status: str) -> None:
    if status != Status.NOT_ASSESSED:
        raise ValueError(
            _("Chỉ tiêu %(number)s là một phần của nhóm: không có đánh giá riêng, cấp ủy đánh giá cả nhóm.")
            % {"number": number}
        )


def _resolution_links(resolution_ids: set[int]) -> dict[int, dict[str, str]]:
    """Every stored indicator of these resolutions: number -> its group's number ("" for none)."""
    links: dict[int, dict[str, str]] = defaultdict(dict)
    for resolution_id, number, group in Indicator.objects.filter(
        resolution_id__in=resolution_ids
    ).values_list("resolution_id", "number", "group__number"):
        links[resolution_id][number] = group or ""
    return links


def _refuse_bad_links(links: dict[int, dict[str, str]]) -> None:
    for resolution_links in links.values():
        problems = link_problems(resolution_links)
        if problems:
            raise ValidationError(" ".join(problems.values()), code="bad_group")


def _link_new_parts(indicators: list[Indicator], groups: list[str]) -> set[int]:
    """Link the just-created parts to their groups (by number, in the same resolution: stored or of
    the batch), one level deep; returns the groups' ids. Two queries, and only when there are parts."""
    wanted = [(indicator, group) for indicator, group in zip(indicators, groups, strict=True) if group]
    if not wanted:
        return set()
    resolution_ids = {indicator.resolution_id for indicator, _g in wanted}
    links = _resolution_links(resolution_ids)  # the new rows are stored already, unlinked
    for indicator, group in wanted:
        links[indicator.resolution_id][indicator.number] = group
    _refuse_bad_links(links)
    by_number = {
        (i.resolution_id, i.number): i for i in Indicator.objects.filter(resolution_id__in=resolution_ids)
    }
    by_number.update({(i.resolution_id, i.number): i for i in indicators})
    for indicator, group in wanted:
        indicator.group = by_number[(indicator.resolution_id, group)]
    Indicator.objects.bulk_update([i for i, _g in wanted], ["group"], batch_size=1000)
    return {i.group_id for i, _g in wanted if i.group_id is not None}


def _groups_resuggest(*, group_ids: set[int], known: dict[int, Assessment] | None = None) -> None:
    """Keep each group's stored suggestion the worst of its parts' (and its progress their lowest),
    in the caller's transaction, after the parts' own suggestions are stored; a group left without
    parts reads its own numbers again. `known` (indicator id -> assessment) are instances the
    caller holds, updated in place so what it returns is what is stored."""
    if not group_ids:
        return
    # Per stage: a group's suggestion at the end of the term is the worst of its parts' at the end.
    parts: dict[tuple[int, str], list[tuple[str, float | None]]] = defaultdict(list)
    for group_id, stage, suggested, progress in Assessment.objects.filter(
        indicator__group_id__in=group_ids
    ).values_list("indicator__group_id", "stage", "suggested_status", "progress"):
        if group_id is not None:  # always, by the filter: for the type checker
            parts[(group_id, stage)].append((suggested, progress))
    changed = []
    for a in Assessment.objects.select_related("indicator__resolution__committee__term").filter(
        indicator_id__in=group_ids
    ):
        before = (a.suggested_status, a.progress)
        if (a.indicator_id, a.stage) in parts:
            a.suggested_status = worst_suggestion(s for s, _p in parts[(a.indicator_id, a.stage)])
            a.progress = lowest_progress(p for _s, p in parts[(a.indicator_id, a.stage)])
        else:
            with_suggestion(a)
        if (a.suggested_status, a.progress) != before:
            changed.append(a)
        held = known.get(a.indicator_id) if known else None
        if held is not None and held.stage == a.stage:
            held.suggested_status, held.progress = a.suggested_status, a.progress
    Assessment.objects.bulk_update(changed, ["suggested_status", "progress"], batch_size=1000)


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    number: str,
    text: str,
    field: str = "",
    unit: str = "",
    target: str = "",
    measure: str | None = None,
    direction: str | None = None,
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> Indicator:
    """Change what an indicator says (measure and direction: None keeps them), with its
    IndicatorChange row when anything changed; no counter depends on it (its status is unchanged),
    but the suggested status does, and is recomputed."""
    stored = Indicator.objects.select_for_update(of=("self",)).select_related("group").get(pk=indicator.pk)
    indicator.number, indicator.text, indicator.field = number, text, field
    indicator.unit, indicator.target = unit, target
    indicator.measure = stored.measure if measure is None else measure
    indicator.direction = stored.direction if direction is None else direction
    indicator.full_clean()
    indicator.save(update_fields=["number", "text", "field", "unit", "target", "measure", "direction"])
    _content_history([indicator], before={indicator.pk: stored}, by=by, source=source)
    # The suggested status reads the target: keep it exact in the same transaction (its group's too).
    assessments_resuggest(indicators=Indicator.objects.filter(pk=indicator.pk))
    return indicator


ADJUSTMENT_FIELDS = ["target_adjusted", "target_adjusted_by"]


def adjustment_problem(target_adjusted: str, adjusted_by: str) -> str | None:
    """Why an adjusted target and its decision cannot be stored together, or None: one without the
    other says nothing a report can print ("điều chỉnh: 6 theo …" needs both)."""
    if target_adjusted and not adjusted_by:
        return _(
            "Mục tiêu điều chỉnh cần ghi văn bản điều chỉnh (số và ngày, ví dụ 15-NQ/TU ngày 10/3/2022)."
        )
    if adjusted_by and not target_adjusted:
        return _("Văn bản điều chỉnh cần có mục tiêu điều chỉnh.")
    return None


@transaction.atomic
def indicator_adjust_target(
    *,
    indicator: Indicator,
    target_adjusted: str,
    adjusted_by: str,
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> Indicator:
    """Set (or, both empty, clear) the target adjusted at mid-term and the decision that adjusted
    it; the Congress's target stays. Staff only (it is the term's set-up, not the committee's
    judgement). An IndicatorChange row when anything changed; the suggestion follows."""
    target_adjusted = " ".join(without_bidi_controls(target_adjusted).split())
    adjusted_by = " ".join(without_bidi_controls(adjusted_by).split())
    stored = (
        Indicator.objects.select_for_update()
        .select_related("resolution__committee__term")
        .get(pk=indicator.pk)
    )
    authorize(
        by,
        stored.resolution.committee,
        Action.SET_UP,
        message=_("Chỉ quản trị viên mới được điều chỉnh mục tiêu."),
    )
    problem = adjustment_problem(target_adjusted, adjusted_by)
    if problem:
        raise ValidationError({"target_adjusted": problem})
    before = copy(stored)
    stored.target_adjusted, stored.target_adjusted_by = target_adjusted, adjusted_by
    stored.full_clean(exclude=["resolution", "sort_key"], validate_unique=False, validate_constraints=False)
    if (before.target_adjusted, before.target_adjusted_by) == (target_adjusted, adjusted_by):
        return stored
    stored.save(update_fields=ADJUSTMENT_FIELDS)
    _content_history([stored], before={stored.pk: before}, by=by, source=source)
    assessments_resuggest(indicators=Indicator.objects.filter(pk=stored.pk))
    indicator.target_adjusted, indicator.target_adjusted_by = target_adjusted, adjusted_by
    return stored


@transaction.atomic
def indicator_delete(
    *, indicator: Indicator, by: "User | None" = None, source: str = ChangeSource.FORM
) -> None:
    """Delete an indicator and its assessment, with a "deleted" IndicatorChange row; its history
    rows stay (SET_NULL). The counters follow."""
    resolution = indicator.resolution
    if Indicator.objects.filter(assigned_from=indicator).exists():
        raise ValidationError(_assigned_below())
    stored = list(Assessment.objects.filter(indicator=indicator).values_list("stage", "status", "exceeded"))
    # A group's parts go with it (one level deep: they have no parts of their own), each with its row.
    parts = list(indicator.parts.select_related("resolution__committee", "group"))
    _content_history([*parts, indicator], by=by, source=source, deleted=True)
    group_id = indicator.group_id
    indicator.delete()
    if resolution.counts_in_tally and group_id is None:
        for stage, status, exceeded in stored:
            delta: Counter[str] = Counter()
            delta.subtract(_counter_keys(status, exceeded))
            _shift_counters(resolution.committee_id, delta, stage)
    if group_id is not None:
        _groups_resuggest(group_ids={group_id})


# ---- assessments -----------------------------------------------------------------------------


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
        Assessment.objects.bulk_update(
            result.changed,
            ["status", "exceeded", "value", "note", *RESULT_FIELDS, "updated_by", "updated_at", "version"],
            batch_size=1000,
        )
        AssessmentChange.objects.bulk_create(history, batch_size=1000)
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


class Judgement(NamedTuple):
    """What an AssessmentChange records before and after."""

    status: str
    value: str
    note: str
    results: Results
    exceeded: bool = False


_NEVER_ASSESSED = Judgement(Status.NOT_ASSESSED, "", "", Results())


def _judgement(a: Assessment) -> Judgement:
    return Judgement(a.status, a.value, a.note, Results.of(a), a.exceeded)


def _assessment_history(
    a: Assessment,
    *,
    old: Judgement,
    new: Judgement,
    by: "User | None",
    now: datetime,
    source: str,
    code: str,
) -> AssessmentChange:
    """The unsaved history row of one assessment's change (creation: from _NEVER_ASSESSED), with its
    readable copy; results before and after only when they changed."""
    results_changed = new.results != old.results
    return AssessmentChange(
        assessment=a,
        committee_id=a.indicator.resolution.committee_id,
        committee_code=code,
        subject=indicator_subject(a.indicator),
        changed_by=by,
        changed_at=now,
        source=source,
        old_status=old.status,
        new_status=new.status,
        old_exceeded=old.exceeded,
        new_exceeded=new.exceeded,
        old_value=old.value,
        new_value=new.value,
        old_note=old.note,
        new_note=new.note,
        old_results=old.results.as_json() if results_changed else None,
        new_results=new.results.as_json() if results_changed else None,
    )


def _content(obj: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    values = {name: getattr(obj, name) for name in fields}
    return {name: v.isoformat() if isinstance(v, date) else v for name, v in values.items()}


def _content_history(
    objs: list[Resolution] | list[Indicator],
    *,
    by: "User | None",
    source: str,
    before: dict[int, Resolution] | dict[int, Indicator] | None = None,
    deleted: bool = False,
    codes: dict[int, str] | None = None,
) -> None:
    """The ResolutionChange or IndicatorChange rows of these saved objects, in one INSERT: every
    field on creation (`before` None), only the fields that differ from `before[pk]` on a change,
    every field as it was on deletion (`deleted`, written before the DELETE). Each row keeps the
    committee's code (from `codes`, committee id -> code, when the caller has them) and a readable
    copy of its object."""
    if not objs:
        return
    history: type[ResolutionChange] | type[IndicatorChange]
    history, name = (
        (ResolutionChange, "resolution")
        if isinstance(objs[0], Resolution)
        else (IndicatorChange, "indicator")
    )
    now = timezone.now()
    rows = []
    for obj in objs:
        resolution = obj if isinstance(obj, Resolution) else obj.resolution
        new: dict[str, Any] | None = _content(obj, history.CONTENT)
        old = None if before is None else _content(before[obj.pk], history.CONTENT)
        if deleted:
            action, old, new = ContentAction.DELETED, new, None
        elif old is not None and new is not None:
            changed = [field for field in history.CONTENT if old[field] != new[field]]
            if not changed:
                continue
            action, old, new = (
                ContentAction.CHANGED,
                {n: old[n] for n in changed},
                {n: new[n] for n in changed},
            )
        else:
            action = ContentAction.CREATED
        rows.append(
            history(
                **{name: obj},
                committee_id=resolution.committee_id,
                committee_code=codes[resolution.committee_id] if codes else resolution.committee.code,
                subject=resolution_subject(obj) if isinstance(obj, Resolution) else indicator_subject(obj),
                changed_by=by,
                changed_at=now,
                source=source,
                action=action,
                old=old,
                new=new,
            )
        )
    _insert(rows, batch_size=1000)


def _counter_keys(status: str, exceeded: bool) -> Counter[str]:
    """What one assessment adds to its committee's counters: its status, and "exceeded" when
    it is marked "vượt" (the key of EXCEEDED_COUNTER in a delta)."""
    keys = Counter({status: 1})
    if exceeded:
        keys["exceeded"] += 1
    return keys


def _counter_column(key: str, stage: str = Stage.MID) -> str:
    if stage == Stage.MID:
        return EXCEEDED_COUNTER if key == "exceeded" else STATUS_COUNTER[Status(key)]
    return stage_counter(stage, key if key == "exceeded" else Status(key).value)


def _refuse_status_at_stage(status: str, stage: str) -> None:
    """No "hard" at the end of a term (domain.md): the end review judges what was done."""
    if status not in Stage(stage).statuses:
        raise ValueError(
            _("Tổng kết nhiệm kỳ không có đánh giá “khó đạt”: chọn đạt, không đạt hoặc chưa thể đánh giá.")
        )


def _refuse_exceeded_unless_achieved(status: str, exceeded: bool) -> None:
    if exceeded and status != Status.ACHIEVED:
        raise ValueError(_("Chỉ chỉ tiêu đạt mới có thể đánh dấu vượt."))


def _exceeded_after(edit: AssessmentEdit, stored: Assessment) -> bool:
    """The mark an edit leaves: refused on a status other than achieved; None keeps the stored
    mark while the indicator stays achieved, and drops it when it no longer is."""
    if edit.exceeded is None:
        return stored.exceeded and edit.status == Status.ACHIEVED
    _refuse_exceeded_unless_achieved(edit.status, edit.exceeded)
    return edit.exceeded


def _shift_counters(committee_id: int, delta: Counter[str], stage: str = Stage.MID) -> None:
    """One UPDATE of one committee row: counters (of `stage`) move by the delta, in the caller's
    transaction.

    Only the committee's own row is touched, never its ancestors', so saves in different
    communes never wait on a shared province row."""
    changes = {
        _counter_column(key, stage): F(_counter_column(key, stage)) + n for key, n in delta.items() if n
    }
    if changes:
        Committee.objects.filter(pk=committee_id).update(**changes)


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
    AssessmentChange.objects.bulk_create(
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
        batch_size=1000,
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


# ---- accounts and roles -----------------------------------------------------------------------


def account_get_or_create(
    *, username: str, password: str | None = None, superuser: bool = False, email: str = ""
) -> tuple["User", bool]:
    """(user, created). A new account gets `password` (none: it cannot log in yet) and `email`; an
    existing account is left as it is: neither granting a role nor loading the demo resets a password."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = user_model(username=username, is_staff=superuser, is_superuser=superuser, email=email)
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user, True


@dataclass(frozen=True)
class RoleGrant:
    user: "User"
    role: Role
    user_created: bool
    role_created: bool


def _role_history(role: Role, action: str, by: "User | None") -> RoleChange:
    return RoleChange.objects.create(
        user=role.user,
        username=role.user.get_username(),
        committee=role.committee,
        committee_code=role.committee.code,
        role=role.role,
        action=action,
        changed_by=by,
        changed_at=timezone.now(),
    )


@transaction.atomic
def role_grant(
    *,
    username: str,
    committee: Committee,
    role: str,
    password: str | None = None,
    email: str | None = None,
    by: "User | None" = None,
) -> RoleGrant:
    """Give `username` a role on `committee`, with its RoleChange row; a new user gets `password`
    (account_get_or_create's policy: an existing user's password is never changed here).
    `email`, when given, becomes the user's address (where notifications are sent)."""
    if role not in RoleKind.values:
        raise ValueError(_("Vai trò “%(role)s” không hợp lệ.") % {"role": role})
    user, user_created = account_get_or_create(username=username, password=password)
    if email is not None and email != user.email:
        user.email = email
        user.full_clean(exclude=["password"])
        user.save(update_fields=["email"])
    role_obj, role_created = Role.objects.get_or_create(user=user, committee=committee, role=role)
    if role_created:
        _role_history(role_obj, RoleChangeAction.GRANTED, by)
    return RoleGrant(user=user, role=role_obj, user_created=user_created, role_created=role_created)


@transaction.atomic
def role_revoke(*, role: Role, by: "User | None" = None) -> None:
    """Take a role away, with its RoleChange row."""
    _role_history(role, RoleChangeAction.REVOKED, by)
    role.delete()


@transaction.atomic
def person_update(*, user: "User", last_name: str, first_name: str, position: str) -> "User":
    """Set how pages name a user: họ và tên đệm, tên, and position (chức vụ)."""
    user.last_name, user.first_name = last_name.strip(), first_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["last_name", "first_name"])
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.position = position.strip()
    profile.full_clean()
    profile.save(update_fields=["position"])
    return user


# ==== Bulk writes =================================================================================
# One implementation per entity: committees_bulk_create, resolutions_bulk_create and
# indicators_bulk_create are what committee_create, resolution_create and indicator_create call
# with one row, and what the workbook import and the demo call with many. The same validation as
# full_clean (fields, choices, lengths; uniqueness checked in one query per batch, not a query per
# row), the same history rows, one transaction.


_Day = date  # the field below is named `date`, as the model's is


@dataclass(frozen=True)
class ResolutionRow:
    committee_id: int
    number: str
    kind: str = ResolutionKind.CONGRESS
    date: _Day | None = None
    title: str = ""


def _validated(obj: Committee | Resolution | Indicator | Assessment, *, exclude: list[str]) -> None:
    # full_clean without its per-row uniqueness queries: the callers check uniqueness per batch.
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _refuse_numbers_taken(
    model: type[Resolution] | type[Indicator], parent: str, keys: list[tuple[int, str]], message: str
) -> None:
    """The batch's (parent id, number) pairs are new and distinct, or ValidationError(message):
    the unique constraint on (parent, number), checked in one query for the whole batch."""
    taken = set(
        model.objects.filter(
            **{f"{parent}__in": {p for p, _n in keys}, "number__in": {n for _p, n in keys}}
        ).values_list(parent, "number")
    )
    if len(set(keys)) != len(keys) or taken & set(keys):
        raise ValidationError(message, code=f"duplicate_{model._meta.model_name}")


@transaction.atomic
def resolutions_bulk_create(
    *, rows: list[ResolutionRow], by: "User | None" = None, source: str = ChangeSource.IMPORT
) -> list[Resolution]:
    """Create many resolutions in one statement, each validated as resolution_create validates it,
    with their ResolutionChange rows."""
    resolutions = [
        Resolution(committee_id=r.committee_id, number=r.number, kind=r.kind, date=r.date, title=r.title)
        for r in rows
    ]
    for resolution in resolutions:
        _validated(resolution, exclude=["committee"])
    _refuse_numbers_taken(
        Resolution,
        "committee_id",
        [(r.committee_id, r.number) for r in rows],
        _("Số nghị quyết đã có trong đơn vị."),
    )
    created = Resolution.objects.bulk_create(resolutions, batch_size=2000)
    codes = dict(Committee.objects.filter(pk__in={r.committee_id for r in rows}).values_list("pk", "code"))
    _content_history(created, by=by, source=source, codes=codes)
    return created


@dataclass(frozen=True)
class IndicatorContentEdit:
    """`measure`, `direction` and `group` None keep the stored ones; `group` is the number of the
    group in the same resolution, "" for an indicator of its own."""

    indicator_id: int
    text: str
    field: str
    unit: str
    target: str
    measure: str | None = None
    direction: str | None = None
    group: str | None = None
    # None keeps the stored adjusted target and decision (a workbook without those columns).
    target_adjusted: str | None = None
    target_adjusted_by: str | None = None


@transaction.atomic
def indicators_bulk_update_content(
    *, edits: list[IndicatorContentEdit], by: "User | None" = None, source: str = ChangeSource.IMPORT
) -> list[Indicator]:
    """Change the text, field, unit, target, measure and direction of many indicators, each
    validated, in a few statements, with an IndicatorChange row for each indicator that changed."""
    by_id = {e.indicator_id: e for e in edits}
    indicators = list(
        Indicator.objects.select_for_update(of=("self",))
        .select_related("resolution__committee", "group")
        .filter(pk__in=by_id)
    )
    stored = {i.pk: copy(i) for i in indicators}
    regrouped = _regroup(indicators, by_id)
    for indicator in indicators:
        edit = by_id[indicator.pk]
        indicator.text, indicator.field, indicator.unit, indicator.target = (
            edit.text,
            edit.field,
            edit.unit,
            edit.target,
        )
        indicator.measure = edit.measure or indicator.measure
        indicator.direction = edit.direction or indicator.direction
        if edit.target_adjusted is not None:
            indicator.target_adjusted = edit.target_adjusted
        if edit.target_adjusted_by is not None:
            indicator.target_adjusted_by = edit.target_adjusted_by
        _validated(indicator, exclude=["resolution", "sort_key", "group"])
        if problem := adjustment_problem(indicator.target_adjusted, indicator.target_adjusted_by):
            raise ValidationError({"target_adjusted": problem})
    Indicator.objects.bulk_update(
        indicators,
        ["text", "field", "unit", "target", "measure", "direction", "group", *ADJUSTMENT_FIELDS],
        batch_size=1000,
    )
    _content_history(indicators, before=stored, by=by, source=source)
    # An indicator that became a part (or stopped being one) leaves (or joins) its committee's tally.
    for committee in {i.resolution.committee_id: i.resolution.committee for i in regrouped}.values():
        committee_recount(committee=committee)
    assessments_resuggest(indicators=Indicator.objects.filter(pk__in=by_id))  # a target may have moved
    # A group a part left reads its remaining parts (or its own numbers) again.
    _groups_resuggest(group_ids={g for i in regrouped if (g := stored[i.pk].group_id) is not None})
    return indicators


def _regroup(indicators: list[Indicator], edits: dict[int, IndicatorContentEdit]) -> list[Indicator]:
    """Set the group of each edited indicator whose edit names another (validated over its whole
    resolution, one level deep); returns those whose group changed."""
    moving = [i for i in indicators if edits[i.pk].group is not None and edits[i.pk].group != i.part_of]
    if not moving:
        return []
    links = _resolution_links({i.resolution_id for i in moving})
    for indicator in moving:
        links[indicator.resolution_id][indicator.number] = edits[indicator.pk].group or ""
    _refuse_bad_links(links)
    by_number = {
        (i.resolution_id, i.number): i
        for i in Indicator.objects.filter(resolution_id__in={i.resolution_id for i in moving})
    }
    for indicator in moving:
        group = edits[indicator.pk].group
        indicator.group = by_number[(indicator.resolution_id, group)] if group else None
    return moving


# ==== From one term to the next ===================================================================
# A committee of a new term names its predecessors in the term before, an indicator its
# predecessor indicator (domain.md, "The life of a term"; indicators.lineage). Staff set them up.


def term_before(term: Term) -> Term | None:
    """The term just before `term` (the newest that starts earlier), or None."""
    return Term.objects.filter(start_year__lt=term.start_year).order_by("-start_year").first()


@transaction.atomic
def committee_predecessors_set(
    *,
    committee: Committee,
    predecessors: list[Committee],
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> list[Committee]:
    """Make `predecessors` (committees of the term before) exactly the committee's predecessors,
    with a PredecessorChange row when that changes anything. ValueError names a committee of
    another term; Refused unless `by` may set terms up."""
    authorize(by, committee, Action.SET_UP)
    before = term_before(committee.term)
    stray = [p.code for p in predecessors if before is None or p.term_id != before.pk]
    if stray:
        raise ValueError(
            _("Đơn vị tiền thân phải thuộc nhiệm kỳ %(term)s (nhiệm kỳ trước): %(codes)s.")
            % {"term": before.code if before else "—", "codes": ", ".join(stray)}
            if before
            else _("Nhiệm kỳ %(term)s không có nhiệm kỳ trước để chọn đơn vị tiền thân.")
            % {"term": committee.term.code}
        )
    # Locked, so two staff setting them at once cannot both read the same "before".
    Committee.objects.select_for_update(of=("self",)).filter(pk=committee.pk).first()
    links = CommitteePredecessor.objects.filter(committee=committee).select_related("predecessor")
    old = {link.predecessor_id: link.predecessor.code for link in links}
    new = {p.pk: p.code for p in predecessors}
    if old.keys() == new.keys():
        return sorted(predecessors, key=lambda p: p.code)
    CommitteePredecessor.objects.filter(committee=committee).exclude(predecessor_id__in=new).delete()
    CommitteePredecessor.objects.bulk_create(
        [CommitteePredecessor(committee=committee, predecessor_id=pk) for pk in new.keys() - old.keys()]
    )
    PredecessorChange.objects.create(
        committee=committee,
        committee_code=committee.code,
        changed_by=by,
        changed_at=timezone.now(),
        source=source,
        old_codes=sorted(old.values()),
        new_codes=sorted(new.values()),
    )
    return sorted(predecessors, key=lambda p: p.code)


@transaction.atomic
def indicator_predecessors_set(
    *,
    links: list[tuple[Indicator, Indicator | None]],
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> int:
    """Set each indicator's predecessor (None: none), each checked to be of the term before its
    own, with an IndicatorChange row for each that changed ({"predecessor": "BK/16-NQ/ĐH/5@2020-2025"}
    before and after); returns how many changed. Indicators and predecessors with their resolution,
    committee and term loaded. Refused unless `by` may set terms up."""
    from .lineage import term_reference  # lineage reads the models and results this module writes

    changed: list[Indicator] = []
    history = []
    now = timezone.now()
    befores: dict[int, Term | None] = {}
    stored = dict(
        Indicator.objects.select_for_update(of=("self",))
        .filter(pk__in=[i.pk for i, _p in links])
        .values_list("pk", "predecessor_id")
    )
    old_refs = {
        i.pk: term_reference(i)
        for i in Indicator.objects.filter(pk__in={p for p in stored.values() if p}).select_related(
            "resolution__committee__term"
        )
    }
    for indicator, predecessor in links:
        committee = indicator.resolution.committee
        authorize(by, committee, Action.SET_UP)
        if committee.term_id not in befores:
            befores[committee.term_id] = term_before(committee.term)
        before = befores[committee.term_id]
        if predecessor is not None and (
            before is None or predecessor.resolution.committee.term_id != before.pk
        ):
            raise ValueError(
                _("Chỉ tiêu kỳ trước “%(ref)s” không thuộc nhiệm kỳ trước của nhiệm kỳ %(term)s.")
                % {"ref": term_reference(predecessor), "term": committee.term.code}
            )
        old_id = stored[indicator.pk]
        new_id = predecessor.pk if predecessor else None
        if old_id == new_id:
            continue
        indicator.predecessor = predecessor
        changed.append(indicator)
        history.append(
            IndicatorChange(
                indicator=indicator,
                committee_id=committee.pk,
                committee_code=committee.code,
                subject=indicator_subject(indicator),
                changed_by=by,
                changed_at=now,
                source=source,
                action=ContentAction.CHANGED,
                old={"predecessor": old_refs.get(old_id) if old_id else None},
                new={"predecessor": term_reference(predecessor) if predecessor else None},
            )
        )
    Indicator.objects.bulk_update(changed, ["predecessor"], batch_size=1000)
    IndicatorChange.objects.bulk_create(history, batch_size=1000)
    return len(changed)


@transaction.atomic
def committee_lineage_set(
    *,
    committee: Committee,
    predecessors: list[Committee],
    indicator_links: list[tuple[Indicator, Indicator | None]],
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> int:
    """The staff page's one save: the committee's predecessors and its indicators' predecessor
    indicators, all or nothing; returns how many indicators changed."""
    committee_predecessors_set(committee=committee, predecessors=predecessors, by=by, source=source)
    return indicator_predecessors_set(links=indicator_links, by=by, source=source)
