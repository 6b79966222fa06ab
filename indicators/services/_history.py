"""The history rows the services write with each change (private to indicators.services): an
assessment's judgement before and after (AssessmentChange), and what a resolution or an indicator
says (ResolutionChange, IndicatorChange), each with its readable copy of what it is about.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Model
from django.utils import timezone

from ..history import indicator_subject, resolution_subject
from ..models import (
    Assessment,
    ContentAction,
    Indicator,
    IndicatorChange,
    Resolution,
    ResolutionChange,
    Status,
)
from ..results import Results
from ._insert import _insert_values

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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
) -> dict[str, Any]:
    """The history row of one assessment's change (creation: from _NEVER_ASSESSED), with its
    readable copy; results before and after only when they changed. Its values, for
    _insert_values(AssessmentChange, …): a bulk write stores thousands, and an instance built only
    to be read back cost as much as storing it."""
    results_changed = new.results != old.results
    if a.pk is None:  # what AssessmentChange(assessment=a) refuses at its save; ids are passed below
        raise ValueError("the history of an assessment not saved yet")
    return {
        "assessment_id": a.pk,
        "committee_id": a.indicator.resolution.committee_id,
        "committee_code": code,
        "subject": indicator_subject(a.indicator),
        "changed_by_id": by.pk if by is not None else None,
        "changed_at": now,
        "source": source,
        "old_status": old.status,
        "new_status": new.status,
        "old_exceeded": old.exceeded,
        "new_exceeded": new.exceeded,
        "old_value": old.value,
        "new_value": new.value,
        "old_note": old.note,
        "new_note": new.note,
        "old_results": old.results.as_json() if results_changed else None,
        "new_results": new.results.as_json() if results_changed else None,
    }


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
        if obj.pk is None:  # what history(<name>=obj) refuses at its save; ids are passed below
            raise ValueError("the history of an object not saved yet")
        rows.append(
            {
                f"{name}_id": obj.pk,
                "committee_id": resolution.committee_id,
                "committee_code": codes[resolution.committee_id] if codes else resolution.committee.code,
                "subject": resolution_subject(obj) if isinstance(obj, Resolution) else indicator_subject(obj),
                "changed_by_id": by.pk if by is not None else None,
                "changed_at": now,
                "source": source,
                "action": action,
                "old": old,
                "new": new,
            }
        )
    _insert_values(history, rows)
