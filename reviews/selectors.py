"""Reads behind the dashboard pages: children with review states, the trouble list, term links."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.functions import Lower

from indicators.models import Committee, Indicator, ResolutionKind, Status, Term, subtree_upper_bound
from indicators.selectors import Rollup
from indicators.tally import Tally

from .models import Review, ReviewState

TROUBLE_STATUSES = (Status.HARD, Status.NOT_ACHIEVED)

# Where a review stands, for sorting the children table: furthest along first when descending.
REVIEW_RANK: dict[str, int] = {ReviewState.DRAFT: 0, ReviewState.SUBMITTED: 1, ReviewState.APPROVED: 2}


@dataclass(frozen=True)
class ChildRow:
    """One row of the children table: the child's own tally and its review state."""

    committee: Committee
    tally: Tally
    review_state: str

    @property
    def name(self) -> str:
        return self.committee.name

    @property
    def code(self) -> str:
        return self.committee.code

    @property
    def achieved(self) -> int:
        return self.tally.achieved

    @property
    def hard(self) -> int:
        return self.tally.hard

    @property
    def not_achieved(self) -> int:
        return self.tally.not_achieved

    @property
    def not_assessed(self) -> int:
        return self.tally.not_assessed

    @property
    def total(self) -> int:
        return self.tally.total

    @property
    def share(self) -> float:
        """Share achieved, 0–1; a committee without indicators sorts as 0."""
        return self.tally.share_achieved or 0.0

    @property
    def review_rank(self) -> int:
        return REVIEW_RANK.get(self.review_state, 0)

    @property
    def review_label(self) -> str:
        return str(ReviewState(self.review_state).label)


def children_rows(*, rollup: Rollup) -> list[ChildRow]:
    """The rollup's children with their review states: one query whatever their number.

    A child that never opened its review has no Review row yet; it counts as a draft."""
    if not rollup.children:
        return []
    states = dict(
        Review.objects.filter(committee__parent=rollup.committee).values_list("committee_id", "state")
    )
    return [
        ChildRow(
            committee=child.committee,
            tally=child.tally,
            review_state=states.get(child.committee.pk, ReviewState.DRAFT),
        )
        for child in rollup.children
    ]


def review_of(*, committee: Committee) -> Review:
    """The committee's review, or an unsaved draft standing in for one not started yet (GET never writes)."""
    review = Review.objects.filter(committee=committee).first()
    if review is None:
        return Review(committee=committee)
    review.committee = committee  # already loaded, with its term and parent: no second fetch
    return review


def committee_indicators(*, committee: Committee) -> QuerySet[Indicator]:
    """Every indicator of the committee (Congress resolution first), with its assessment."""
    return Indicator.objects.of_committee(committee).for_assessment_form()


def trouble_indicators(*, committee: Committee) -> QuerySet[Indicator]:
    """Hard and not-achieved indicators of the committee and everything below it.

    Only Congress resolutions, like the tally, so the list's length equals the subtree's
    hard + not achieved counts shown on the dashboard. Driven by one indexed range on
    Committee.path."""
    return (
        Indicator.objects.filter(
            resolution__committee__term_id=committee.term_id,
            resolution__committee__path__gte=committee.path,
            resolution__committee__path__lt=subtree_upper_bound(committee.path),
            resolution__kind=ResolutionKind.CONGRESS,
        )
        # Filtering on Lower(status) keeps SQLite's planner off the status index (which would
        # visit every hard assessment in the country, 120 ms) and on the path range (3 ms).
        .alias(trouble_status=Lower("assessment__status"))
        .filter(trouble_status__in=[s.value for s in TROUBLE_STATUSES])
        .select_related("resolution__committee", "assessment")
        .order_by("resolution__committee__path", "sort_key")
    )


def ancestors(*, committee: Committee) -> list[Committee]:
    if committee.parent_id is None:
        return []
    return list(Committee.objects.ancestors_of(committee).only("code", "name", "path", "depth", "term_id"))


def term_links(*, committee: Committee) -> list[Term]:
    """Terms holding a committee with the same code: the term switcher's entries, newest first."""
    return list(Term.objects.filter(committees__code=committee.code).order_by("-start_year"))
