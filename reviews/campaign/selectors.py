"""Reads of the campaign beyond the reporting numbers: what waits for an approver, a committee's
own deadline."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Q
from django.utils import timezone

from indicators.access import approving_parents
from indicators.models import PATH_STEP, Committee, Term
from indicators.units import office_name

from ..models import Review, ReviewState
from .models import Deadline

AWAITING_SHOWN = 20


@dataclass(frozen=True)
class Awaiting:
    rows: list  # committees, with .submitted_at, oldest first, at most AWAITING_SHOWN
    count: int

    def __bool__(self) -> bool:
        return bool(self.count)


def awaiting_approval(*, user, term: Term) -> Awaiting:
    """Submitted reviews the user may approve (a role on the committee directly above), oldest first."""
    parents = approving_parents(user, term)
    if parents is not None and not parents:
        return Awaiting(rows=[], count=0)  # no role in the term: nothing to approve, no query
    committees = Committee.objects.filter(term=term, review__state=ReviewState.SUBMITTED)
    if parents is not None:
        committees = committees.filter(parent_id__in=sorted(parents))
    ordered = (
        committees.annotate(submitted_at=Max("review__events__at", filter=Q(review__events__action="submit")))
        .select_related("parent")
        .order_by("submitted_at", "code")
    )
    rows = list(ordered[:AWAITING_SHOWN])
    count = len(rows) if len(rows) < AWAITING_SHOWN else ordered.count()
    return Awaiting(rows=rows, count=count)


@dataclass(frozen=True)
class OwnDeadline:
    """The date by which a committee must send its own review, who set it, and where it stands today."""

    due: date
    set_by: str  # the setter in the words of its office: "Huyện ủy Chợ Mới"
    today: date
    sent: bool  # sent or approved: the date is met, never shown as overdue

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return not self.sent and self.today > self.due

    @property
    def days_late(self) -> int:
        return max(0, (self.today - self.due).days)


def committee_own_deadline(
    *, committee: Committee, review: Review, today: date | None = None
) -> OwnDeadline | None:
    """The deadline holding for the committee's own review (the earliest any committee above set
    for it: its override for this committee, else its date for the committee's level), read from
    the deadlines as set, so it is right the moment they change. One query; none at the top."""
    if committee.parent_id is None:
        return None
    prefixes = [committee.path[:end] for end in range(PATH_STEP, len(committee.path), PATH_STEP)]
    rows = (
        Deadline.objects.filter(set_by__term_id=committee.term_id, set_by__path__in=prefixes)
        .filter(Q(committee_id=committee.pk) | Q(committee__isnull=True, level=committee.level))
        .order_by("set_by__path")
        .values_list("set_by__path", "set_by__name", "set_by__level", "set_by__kind", "committee_id", "due")
    )
    by_setter: dict[str, tuple[date, str]] = {}
    for path, name, level, kind, override, due in rows:
        setter = office_name(name=name, level=level, kind=kind)
        # A setter's date for this very committee replaces its date for the committee's level.
        if override is not None or path not in by_setter:
            by_setter[path] = (due, setter)
    if not by_setter:
        return None
    # The earliest wins; on a tie, the committee highest up (as reviews.campaign.deadlines reads it).
    due, setter = min(by_setter.values(), key=lambda pair: pair[0])
    return OwnDeadline(
        due=due,
        set_by=setter,
        today=today or timezone.localdate(),
        sent=review.pk is not None and review.state in (ReviewState.SUBMITTED, ReviewState.APPROVED),
    )


__all__ = ["Awaiting", "OwnDeadline", "awaiting_approval", "committee_own_deadline"]
