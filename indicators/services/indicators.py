"""Indicators: create one or many with their assessments, change what one says or many say,
adjust a target, delete one, each with its IndicatorChange row; a part's link to its group.
"""

from collections import Counter, defaultdict
from copy import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import Action, authorize
from ..groups import link_problems
from ..models import (
    Assessment,
    AssessmentChange,
    ChangeSource,
    Committee,
    Direction,
    Indicator,
    Measure,
    Resolution,
    Status,
)
from ..numbering import number_sort_key
from ..results import Results, results_problem, with_suggestion
from ..values import without_bidi_controls

if TYPE_CHECKING:
    from django.contrib.auth.models import User
from ._counters import _counter_keys, _shift_counters, _shift_many_counters
from ._groups import _groups_resuggest
from ._history import _NEVER_ASSESSED, _assessment_history, _content_history, _judgement
from ._insert import _insert_rows_with_ids, _insert_values
from ._validation import (
    _assigned_below,
    _BatchValidator,
    _refuse_exceeded_unless_achieved,
    _refuse_numbers_taken,
    _refuse_status_on_part,
    _validated,
)
from .assessments import assessments_resuggest, committee_recount


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
    indicator_valid = _BatchValidator(exclude=["resolution", "group"])
    assessment_valid = _BatchValidator(exclude=["indicator", "updated_by"])
    for resolution, data in rows:
        indicator = _indicator_of(resolution, data)
        indicator_valid(indicator)
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
        assessment_valid(assessment)
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
    resolution_ids = {resolution.pk for resolution, _data in rows}
    # Numbers are unique in a resolution (checked just above), so the new ids are read back by them.
    _insert_rows_with_ids(
        Indicator,
        indicators,
        key=("resolution_id", "number"),
        among=Indicator.objects.filter(resolution_id__in=resolution_ids),
    )
    linked = _link_new_parts(indicators, [data.get("group") or "" for _r, data in rows])
    for indicator, assessment in zip(indicators, assessments, strict=True):
        assessment.indicator = indicator
        with_suggestion(assessment)
    _insert_rows_with_ids(
        Assessment,
        assessments,
        key=("indicator_id", "stage"),
        among=Assessment.objects.filter(indicator__resolution_id__in=resolution_ids),
    )
    for indicator, assessment in zip(indicators, assessments, strict=True):
        indicator.assessment = assessment
    _shift_many_counters(deltas)
    _groups_resuggest(group_ids=linked, known={a.indicator_id: a for a in assessments})
    _content_history(indicators, by=by, source=source, codes={k: v[0] for k, v in committees.items()})
    judged = [(a, _judgement(a)) for a in assessments]
    _insert_values(
        AssessmentChange,
        [
            _assessment_history(
                a,
                old=_NEVER_ASSESSED,
                new=new,
                by=by,
                now=now,
                source=source,
                code=committees[a.indicator.resolution.committee_id][0],
            )
            for a, new in judged
            if new != _NEVER_ASSESSED
        ],
    )
    return indicators


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
