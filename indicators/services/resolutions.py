"""Resolutions: create one or many, change and delete one, each with its ResolutionChange row; the
committee's counters follow a change of kind and a deletion.
"""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ChangeSource, Committee, Resolution, ResolutionKind

if TYPE_CHECKING:
    from django.contrib.auth.models import User
from ._history import _content_history
from ._validation import _assigned_below, _refuse_numbers_taken, _validated
from .assessments import committee_recount


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


_Day = date  # the field below is named `date`, as the model's is


@dataclass(frozen=True)
class ResolutionRow:
    committee_id: int
    number: str
    kind: str = ResolutionKind.CONGRESS
    date: _Day | None = None
    title: str = ""


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
