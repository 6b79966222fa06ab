"""Reads of the campaign beyond the reporting numbers: what waits for an approver."""

from dataclasses import dataclass

from django.db.models import Max, Q

from indicators.access import approving_parents
from indicators.models import Committee, Term

from ..models import ReviewState

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
