"""Carrying out a checked import plan through the services, in the caller's transaction."""

from django.utils.translation import gettext as _

from indicators.models import ChangeSource, Committee, Indicator, Resolution, ResolutionKind, Stage
from indicators.services.assessments import AssessmentConflict
from indicators.services.committees import committee_update, committees_bulk_create
from indicators.services.indicators import (
    IndicatorContentEdit,
    indicators_bulk_create,
    indicators_bulk_update_content,
)
from indicators.services.resolutions import ResolutionRow, resolution_update, resolutions_bulk_create
from indicators.services.terms import term_get_or_create
from reviews.services import ReviewLocked, review_assess

from .cells import INDICATOR_SHEET
from .check import ImportPlan, NewIndicator
from .lineage import apply_lineage
from .problems import Problem


class Rollback(Exception):
    """Raised inside the write transaction to undo it and report these problems instead."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems


def apply_plan(plan: ImportPlan, *, by) -> None:
    """Every write of the plan; raises Rollback (or a database error) to undo them all."""
    term = plan.term
    if term is None:
        term, _created = term_get_or_create(code=plan.term_code)
    if plan.new_committees:
        committees_bulk_create(
            term=term,
            rows=[
                {"code": c.code, "name": c.name, "level": c.level, "parent_code": c.parent_code}
                for c in plan.new_committees
            ],
            by=by,
        )
    if plan.changed_committees:
        by_code = {c.code: c for c in Committee.objects.filter(term=term).select_related("parent")}
        depth = _final_depths(plan, by_code)
        for record in sorted(plan.changed_committees, key=lambda r: depth[r.code]):
            committee = Committee.objects.select_related("parent").get(term=term, code=record.code)
            parent = Committee.objects.get(term=term, code=record.parent_code) if record.parent_code else None
            committee_update(committee=committee, name=record.name, level=record.level, parent=parent, by=by)
    ids = dict(Committee.objects.filter(term=term).values_list("code", "id"))

    if plan.new_resolutions:
        resolutions_bulk_create(
            rows=[
                ResolutionRow(committee_id=ids[code], number=number, kind=kind)
                for (code, number), kind in plan.new_resolutions.items()
            ],
            by=by,
        )
    for resolution in Resolution.objects.filter(pk__in=plan.kind_changes).select_related("committee"):
        resolution_update(
            resolution=resolution,
            kind=plan.kind_changes[resolution.pk],
            date=resolution.date,
            title=resolution.title,
            by=by,
            source=ChangeSource.IMPORT,
        )

    # The committee's own indicators first: an assigned row's indicator above may be new too.
    own = [i for i in plan.new_indicators if not i.assigned_by]
    _create_indicators(own, term=term, above={}, by=by)
    assigned = [i for i in plan.new_indicators if i.assigned_by]
    _create_indicators(assigned, term=term, above=_indicators_above(assigned, term), by=by)
    if plan.content_changes:
        indicators_bulk_update_content(
            edits=[
                IndicatorContentEdit(
                    indicator_id=c.indicator_id,
                    text=c.text,
                    field=c.field,
                    unit=c.unit,
                    target=c.target,
                    measure=c.measure,
                    direction=c.direction,
                    group=c.part_of,
                    target_adjusted=c.target_adjusted,
                    target_adjusted_by=c.target_adjusted_by,
                )
                for c in plan.content_changes
            ],
            by=by,
        )

    apply_lineage(plan.lineage, term=term, by=by)

    problems = []
    codes = set(plan.edits) | set(plan.end_edits)
    committees = {
        c.code: c for c in Committee.objects.filter(term=term, code__in=codes).select_related("term")
    }
    # Each review through the service its page saves with: the end's rows at the end stage, so
    # their history rows, counters and review lock are that stage's.
    batches = [(Stage.MID, plan.edits), (Stage.END, plan.end_edits)]
    for stage, edits_by_code in batches:
        for code, edits in edits_by_code.items():
            try:
                review_assess(
                    committee=committees[code], edits=edits, by=by, source=ChangeSource.IMPORT, stage=stage
                )
            except ReviewLocked as exc:
                problems.append(Problem(INDICATOR_SHEET[0], None, "", str(exc)))
            except AssessmentConflict:
                message = _(
                    "Đánh giá của đơn vị “%(code)s” vừa được người khác sửa; chưa lưu gì, hãy nhập lại."
                )
                problems.append(Problem(INDICATOR_SHEET[0], None, "", message % {"code": code}))
    if problems:
        raise Rollback(problems)


def _create_indicators(indicators: list[NewIndicator], *, term, above: dict, by) -> None:
    if not indicators:
        return
    wanted = {(i.code, i.resolution) for i in indicators}
    resolutions = {
        (r.committee.code, r.number): r
        for r in Resolution.objects.filter(committee__term=term, committee__code__in={c for c, _n in wanted})
        .select_related("committee")
        .only("id", "number", "kind", "committee_id", "committee__code")
    }
    indicators_bulk_create(
        rows=[
            (
                resolutions[(i.code, i.resolution)],
                {
                    "number": i.number,
                    "text": i.text,
                    "field": i.field,
                    "unit": i.unit,
                    "target": i.target,
                    "target_adjusted": i.target_adjusted,
                    "target_adjusted_by": i.target_adjusted_by,
                    "status": i.status,
                    "exceeded": i.exceeded,
                    "value": i.value,
                    "note": i.note,
                    "measure": i.measure,
                    "direction": i.direction,
                    "results": i.results,
                    "group": i.part_of,
                    "assigned_from": above.get((i.assigned_by, i.resolution, i.number)),
                },
            )
            for i in indicators
        ],
        by=by,
        source=ChangeSource.IMPORT,
    )


def _indicators_above(indicators: list[NewIndicator], term) -> dict[tuple[str, str, str], Indicator]:
    """The indicators above that the plan's new rows with `Đơn vị giao` carry out, by (code above,
    resolution, number), read once after the plan's own indicators above exist; each new mirror
    resolution (kind FROM_ABOVE) is pointed at the resolution above in the same pass."""
    keys = {(i.assigned_by, i.resolution, i.number) for i in indicators}
    if not keys:
        return {}
    found = {
        (i.resolution.committee.code, i.resolution.number, i.number): i
        for i in Indicator.objects.filter(
            resolution__committee__term=term,
            resolution__committee__code__in={k[0] for k in keys},
            resolution__number__in={k[1] for k in keys},
        ).select_related("resolution__committee")
    }
    mirrors = {(i.code, i.resolution): i.assigned_by for i in indicators}
    for resolution in Resolution.objects.filter(
        committee__term=term, assigned_from=None, kind=ResolutionKind.FROM_ABOVE
    ).select_related("committee"):
        above_code = mirrors.get((resolution.committee.code, resolution.number))
        source = next(
            (i.resolution for k, i in found.items() if k[:2] == (above_code, resolution.number)), None
        )
        if source is not None:
            resolution.assigned_from = source
            resolution.save(update_fields=["assigned_from"])
    return found


def _final_depths(plan: ImportPlan, by_code: dict[str, Committee]) -> dict[str, int]:
    parents = {c.code: (c.parent.code if c.parent else None) for c in by_code.values()}
    parents.update({r.code: r.parent_code or None for r in plan.changed_committees})
    depths = {}
    for record in plan.changed_committees:
        depth = 0
        current: str | None = record.code
        while current is not None and depth < 1000:
            depth, current = depth + 1, parents.get(current)
        depths[record.code] = depth
    return depths
