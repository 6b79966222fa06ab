"""Reads of the review side: the review and its document, the workflow panel, the dashboards.

None of them writes: a committee whose review was never written gets an unsaved draft."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils.translation import ngettext

from indicators.models import Committee, Indicator, Status, Term
from indicators.selectors import Rollup
from indicators.tally import Tally

from .models import NARRATIVE_FIELDS, Lesson, Review, ReviewEvent, ReviewState, SolutionGroup, document_chars
from .workflow import TRANSITIONS

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


@dataclass(frozen=True)
class ReviewDocument:
    """A review with its ordered lists, as the editor and the report read it."""

    review: Review
    lessons: list[Lesson]
    solutions: list[SolutionGroup]

    @property
    def chars(self) -> int:
        """The typed text's size, as models.MAX_DOCUMENT_CHARS bounds it."""
        fields = {name: getattr(self.review, name) for name in NARRATIVE_FIELDS}
        return document_chars(fields=fields, lessons=[x.text for x in self.lessons], solutions=self.solutions)


def review_document(*, committee: Committee) -> ReviewDocument:
    """The committee's document; an empty unsaved draft when nobody has written one yet."""
    review = review_of(committee=committee)
    if review.pk is None:
        return ReviewDocument(review=review, lessons=[], solutions=[])
    return ReviewDocument(
        review=review,
        lessons=list(Lesson.objects.filter(review=review).order_by("position")),
        solutions=list(SolutionGroup.objects.filter(review=review).order_by("position")),
    )


def lessons_phrase(n: int) -> str:
    """ "6 bài học kinh nghiệm": always counted from the list, never typed."""
    return ngettext("%(n)d bài học kinh nghiệm", "%(n)d bài học kinh nghiệm", n) % {"n": n}


def solutions_phrase(n: int) -> str:
    """ "5 nhóm giải pháp"."""
    return ngettext("%(n)d nhóm giải pháp", "%(n)d nhóm giải pháp", n) % {"n": n}


def review_last_step(*, review: Review) -> ReviewEvent | None:
    """The latest workflow step (document edits are events too, but not steps); None for a new review."""
    if review.pk is None:
        return None
    return review.events.filter(action__in=list(TRANSITIONS)).select_related("actor").first()


def committee_indicators(*, committee: Committee) -> QuerySet[Indicator]:
    """Every indicator of the committee (Congress resolution first), with its assessment."""
    return Indicator.objects.of_committee(committee).for_assessment_form()


def trouble_indicators(*, committee: Committee) -> QuerySet[Indicator]:
    """Hard and not-achieved indicators of the committee and everything below it.

    Only Congress resolutions, like the tally, so the list's length equals the subtree's
    hard + not achieved counts shown on the dashboard. Driven by one indexed range on
    Committee.path."""
    return (
        Indicator.objects.in_subtree(committee)
        .in_tally()
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
