"""Writes of the review: its workflow, its document, and assessments as the review allows them.

Every user-facing assessment change (form and import) goes through `review_assess`, which
holds the review row while it checks that the review is still a draft."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Committee
from indicators.services import AssessmentEdit, EditResult, assessments_update

from .models import Review, ReviewEvent, ReviewState


class ReviewLocked(Exception):
    """The review is submitted or approved: its assessments and text are read-only."""

    def __init__(self, review: Review):
        self.review = review
        super().__init__(
            _("Báo cáo sơ kết của %(name)s đang ở trạng thái “%(state)s”, không thể sửa.")
            % {"name": review.committee.name, "state": review.get_state_display()}
        )


def review_for(*, committee: Committee) -> Review:
    review, _created = Review.objects.get_or_create(committee=committee)
    return review


def _locked_review(committee: Committee) -> Review:
    review_for(committee=committee)
    return Review.objects.select_for_update().select_related("committee").get(committee=committee)


@transaction.atomic
def review_assess(*, committee: Committee, edits: list[AssessmentEdit], by, source: str) -> EditResult:
    """Apply assessment edits of one committee if, and only if, its review is a draft."""
    review = _locked_review(committee)
    if not review.is_editable:
        raise ReviewLocked(review)
    return assessments_update(edits=edits, by=by, source=source)


def review_record_event(*, review: Review, actor, action: str, from_state: str, reason: str = "") -> ReviewEvent:
    return ReviewEvent.objects.create(
        review=review,
        actor=actor,
        at=timezone.now(),
        action=action,
        from_state=from_state,
        to_state=review.state,
        reason=reason,
    )


__all__ = ["ReviewLocked", "ReviewState", "review_assess", "review_for", "review_record_event"]
