"""Indicators assigned from above (chỉ tiêu cấp trên giao): the write that assigns one, the
assignee's second tally and the side-by-side of every assignee the committee above reads.

An assigned indicator is an ordinary Indicator of the assignee, in a resolution of kind FROM_ABOVE
that mirrors the resolution above (same number), pointing at the indicator above
(`assigned_from`) and carrying the local target as its `target`. So the assignee's assessment
form, history, suggestion, notes rule, workflow and workbook need nothing new to handle it, and
the tally leaves it out as it leaves thematic resolutions out (`counts_in_tally`).

Only the committees directly below may be assigned: a province's resolution is carried out "on
the territory" of each district, and a district assigns its own (already holding the province's
share) to its communes; skipping a level would count one territory twice in two chains.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from .access import Action, authorize
from .models import (
    Assessment,
    ChangeSource,
    Committee,
    Indicator,
    Level,
    Resolution,
    ResolutionKind,
    Stage,
    Status,
    UnitKind,
)
from .services.indicators import indicator_create, indicator_update
from .services.resolutions import resolution_create
from .tally import Tally
from .units import usual_kind

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# ---- the write ------------------------------------------------------------------------------


@transaction.atomic
def indicator_assign(
    *,
    indicator: Indicator,
    assignee: Committee,
    target: str,
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> Indicator:
    """Assign `indicator` (of a Congress resolution) to `assignee`, a committee directly below its
    committee, with the local `target` as typed; assigning it again changes the local target. The
    assignee's indicator copies what the one above says (number, text, field, unit, measure,
    direction), is created not assessed, and writes its IndicatorChange row (a changed target
    too)."""
    resolution = indicator.resolution
    above = resolution.committee
    authorize(by, above, Action.ASSIGN)
    if not resolution.counts_in_tally:
        raise ValidationError(_("Chỉ giao được chỉ tiêu của Nghị quyết Đại hội."))
    if assignee.parent_id != above.pk:
        raise ValidationError(
            _("Chỉ giao được cho đơn vị trực thuộc %(above)s; %(code)s không trực thuộc.")
            % {"above": above.code, "code": assignee.code}
        )
    target = target.strip()
    if not target:
        raise ValidationError(_("Cần ghi mục tiêu của đơn vị được giao."))
    existing = (
        Indicator.objects.select_related("resolution__committee")
        .filter(assigned_from=indicator, resolution__committee=assignee)
        .first()
    )
    if existing is not None:
        return indicator_update(
            indicator=existing,
            number=existing.number,
            text=existing.text,
            field=existing.field,
            unit=existing.unit,
            target=target,
            by=by,
            source=source,
        )
    created = indicator_create(
        resolution=_mirror_of(resolution, assignee=assignee, by=by, source=source),
        number=indicator.number,
        text=indicator.text,
        field=indicator.field,
        unit=indicator.unit,
        target=target,
        measure=indicator.measure,
        direction=indicator.direction,
        by=by,
        source=source,
        assigned_from=indicator,
    )
    return created


def _mirror_of(resolution: Resolution, *, assignee: Committee, by: "User | None", source: str) -> Resolution:
    """The assignee's FROM_ABOVE resolution mirroring `resolution` (created on first use)."""
    mirror = Resolution.objects.filter(committee=assignee, assigned_from=resolution).first()
    if mirror is not None:
        return mirror
    if Resolution.objects.filter(committee=assignee, number=resolution.number).exists():
        raise ValidationError(
            _("Đơn vị %(code)s đã có nghị quyết số %(number)s của chính mình: không thể giao chỉ tiêu.")
            % {"code": assignee.code, "number": resolution.number}
        )
    mirror = resolution_create(
        committee=assignee,
        number=resolution.number,
        kind=ResolutionKind.FROM_ABOVE,
        date=resolution.date,
        title=resolution.title,
        by=by,
        source=source,
    )
    mirror.assigned_from = resolution
    mirror.save(update_fields=["assigned_from"])
    return mirror


# ---- the assignee's second tally ------------------------------------------------------------


@dataclass(frozen=True)
class AssignedTally:
    """The tally of the indicators a committee carries out for the committee above (`source`)."""

    source_code: str
    source_kind: str
    tally: Tally

    def sentence(self) -> str:
        """ "Thực hiện chỉ tiêu Nghị quyết Đại hội tỉnh trên địa bàn: 10/17 chỉ tiêu có khả năng …"."""
        return _("Thực hiện chỉ tiêu Nghị quyết Đại hội %(unit)s trên địa bàn: %(sentence)s") % {
            "unit": UnitKind(self.source_kind).label,
            "sentence": self.tally.sentence(),
        }

    def as_dict(self) -> dict[str, Any]:
        """interfaces.md's `"assigned"`: the source's code, then the keys of `own`."""
        return {"from": self.source_code, **self.tally.as_dict()}


def assigned_tally(
    *, committee: Committee, stage: str = Stage.MID, indicators: Iterable[Indicator] | None = None
) -> AssignedTally | None:
    """One query: the committee's assigned indicators counted by status; None when it has none.
    A committee at the top of its tree has nobody above to assign it anything: no query. Given
    `indicators`, every indicator of the committee assessed at `stage` with its resolution loaded
    (the dashboard's unfiltered list), none of them assigned also means None without a query: most
    committees carry out nothing for the one above."""
    if committee.parent_id is None:
        return None
    if indicators is not None and all(
        indicator.resolution.kind != ResolutionKind.FROM_ABOVE for indicator in indicators
    ):
        return None
    rows = (
        Assessment.objects.filter(
            stage=stage,
            indicator__resolution__committee=committee,
            indicator__resolution__kind=ResolutionKind.FROM_ABOVE,
        )
        .values_list(
            "indicator__resolution__assigned_from__committee__code",
            "indicator__resolution__assigned_from__committee__kind",
            "indicator__resolution__assigned_from__committee__level",
            "status",
            "exceeded",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, int] = {}
    source: tuple[str, str] | None = None
    for code, kind, level, status, exceeded, n in rows:
        # Only the parent assigns, so there is one source; a committee moved since keeps the
        # old parent's indicators under that parent's code (the first one read names the line).
        source = source or (code or "", kind or usual_kind(level or Level.PROVINCE))
        counts[status] = counts.get(status, 0) + n
        if exceeded:
            counts["exceeded"] = counts.get("exceeded", 0) + n
    if source is None:
        return None
    return AssignedTally(
        source_code=source[0],
        source_kind=source[1],
        tally=Tally(**{key: counts.get(key, 0) for key in [*Status.values, "exceeded"]}, stage=stage),
    )


# ---- what the committee above sees ------------------------------------------------------------

# The assignees holding an indicator back come first: not achieved, hard, not yet judged, no
# data yet, then achieved (exceeded last).
_HOLDING_BACK = {
    Status.NOT_ACHIEVED: 0,
    Status.HARD: 1,
    Status.NOT_ASSESSED: 2,
    Status.NOT_ASSESSABLE: 3,
    Status.ACHIEVED: 4,
}


@dataclass(frozen=True)
class AssignedRow:
    """One indicator above, and its assignees' indicators, the ones holding it back first."""

    indicator: Indicator
    assignees: list[Indicator]

    @property
    def tally(self) -> Tally:
        counts = dict.fromkeys(Status.values, 0)
        for a in self.assignees:
            counts[a.assessment.status] += 1
        return Tally(**counts, exceeded=sum(1 for a in self.assignees if a.assessment.exceeded))  # type: ignore[arg-type]


def assigned_below(
    *, committee: Committee, indicator_id: int | None = None, stage: str = Stage.MID
) -> list[AssignedRow]:
    """Every indicator the committee assigned, with every assignee's target, value and status, in
    the resolution's order: one query whatever the size of the tree (the assignees' indicators,
    each with the indicator above, its assessment and its committee)."""
    rows = (
        Indicator.objects.filter(assigned_from__resolution__committee=committee)
        .with_assessment(stage)
        .select_related("resolution__committee", "assigned_from__resolution")
        .order_by(
            "assigned_from__resolution__number", "assigned_from__sort_key", "resolution__committee__code"
        )
    )
    if indicator_id is not None:
        rows = rows.filter(assigned_from_id=indicator_id)
    grouped: dict[int, AssignedRow] = {}
    for row in rows:
        above = row.assigned_from
        assert above is not None  # the filter above
        grouped.setdefault(above.pk, AssignedRow(indicator=above, assignees=[])).assignees.append(row)
    for group in grouped.values():
        group.assignees.sort(key=lambda i: _HOLDING_BACK[Status(i.assessment.status)] + i.assessment.exceeded)
    return list(grouped.values())
