"""Writes of the review: its workflow, its document, and assessments as the review allows them.

Every user-facing assessment change (form and import) goes through `review_assess`, which
holds the review row while it checks that the review is still a draft."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.access import Action, can
from indicators.models import Assessment, Committee, Status
from indicators.services import AssessmentEdit, EditResult, assessments_update

from .models import Review, ReviewEvent, ReviewState
from .selectors import review_checklist


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


def review_lock(*, committee: Committee) -> Review:
    """The committee's review, created if new, locked for the rest of the caller's transaction."""
    review_for(committee=committee)
    return Review.objects.select_for_update().select_related("committee").get(committee=committee)


def review_lock_draft(*, committee: Committee) -> Review:
    """As review_lock, for a change only a draft allows: ReviewLocked once submitted or approved."""
    review = review_lock(committee=committee)
    if not review.is_editable:
        raise ReviewLocked(review)
    return review


@transaction.atomic
def review_assess(*, committee: Committee, edits: list[AssessmentEdit], by, source: str) -> EditResult:
    """Apply assessment edits of one committee if, and only if, its review is a draft."""
    review_lock_draft(committee=committee)
    return assessments_update(edits=edits, by=by, source=source)


def review_record_event(
    *, review: Review, actor, action: str, from_state: str, reason: str = ""
) -> ReviewEvent:
    return ReviewEvent.objects.create(
        review=review,
        actor=actor,
        at=timezone.now(),
        action=action,
        from_state=from_state,
        to_state=review.state,
        reason=reason,
    )


# ---- the workflow: draft → submitted → approved; returned or reopened to draft -------------------


class WorkflowError(Exception):
    """A workflow step that is not allowed now; nothing was changed."""


class WorkflowAction:
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"


# Each step: who may take it (the access rule's action) and the states it may start from. The
# services refuse anything else; the dashboard's panel offers nothing else (reviews.workflow).
STEP_ACCESS = {
    WorkflowAction.SUBMIT: Action.SUBMIT,
    WorkflowAction.APPROVE: Action.APPROVE,
    WorkflowAction.RETURN: Action.APPROVE,
    WorkflowAction.REOPEN: Action.APPROVE,
}
STEP_FROM = {
    WorkflowAction.SUBMIT: (ReviewState.DRAFT,),
    WorkflowAction.APPROVE: (ReviewState.SUBMITTED,),
    WorkflowAction.RETURN: (ReviewState.SUBMITTED,),
    WorkflowAction.REOPEN: (ReviewState.SUBMITTED, ReviewState.APPROVED),
}


def _step(review: Review, *, actor, action: str, to_state: str, reason: str = "") -> Review:
    from_state = review.state
    review.state = to_state
    fields = ["state", "updated_at"]
    if action == WorkflowAction.RETURN:
        review.return_reason = reason
        fields.append("return_reason")
    elif action == WorkflowAction.SUBMIT and review.return_reason:
        review.return_reason = ""  # answered by resubmitting; the reason stays in the history
        fields.append("return_reason")
    review.save(update_fields=fields)
    review_record_event(review=review, actor=actor, action=action, from_state=from_state, reason=reason)
    return review


def _require(user, committee: Committee, action: Action) -> None:
    if not can(user, committee, action):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với đơn vị này."))


def _illegal(review: Review, what: str) -> WorkflowError:
    return WorkflowError(
        _("Không thể %(what)s: báo cáo của %(name)s đang ở trạng thái “%(state)s”.")
        % {"what": what, "name": review.committee.name, "state": review.get_state_display()}
    )


def review_not_assessed_count(*, committee: Committee) -> int:
    """Indicators of all the committee's resolutions still without an assessment."""
    return Assessment.objects.filter(
        indicator__resolution__committee=committee, status=Status.NOT_ASSESSED
    ).count()


def review_require_complete(*, committee: Committee, review: Review) -> None:
    """Refuse to send a review the checklist finds incomplete, naming what is missing (the dashboard
    card shows the same list, from the same selector)."""
    missing = review_checklist(committee=committee, review=review)
    if missing:
        raise WorkflowError(
            _("Không thể gửi báo cáo: %(missing)s.") % {"missing": "; ".join(m.message for m in missing)}
        )


@transaction.atomic
def review_submit(*, committee: Committee, by) -> Review:
    """The secretary sends a draft whose every indicator is assessed to the committee above."""
    _require(by, committee, STEP_ACCESS[WorkflowAction.SUBMIT])
    review = review_lock(committee=committee)
    if review.state not in STEP_FROM[WorkflowAction.SUBMIT]:
        raise _illegal(review, _("gửi báo cáo"))
    review_require_complete(committee=committee, review=review)
    return _step(review, actor=by, action=WorkflowAction.SUBMIT, to_state=ReviewState.SUBMITTED)


@transaction.atomic
def review_approve(*, committee: Committee, by) -> Review:
    """The committee directly above approves a submitted review."""
    _require(by, committee, STEP_ACCESS[WorkflowAction.APPROVE])
    review = review_lock(committee=committee)
    if review.state not in STEP_FROM[WorkflowAction.APPROVE]:
        raise _illegal(review, _("phê duyệt"))
    return _step(review, actor=by, action=WorkflowAction.APPROVE, to_state=ReviewState.APPROVED)


@transaction.atomic
def review_return(*, committee: Committee, by, reason: str) -> Review:
    """The committee above sends a submitted review back to draft, saying why."""
    _require(by, committee, STEP_ACCESS[WorkflowAction.RETURN])
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Hãy ghi lý do trả lại báo cáo."))
    review = review_lock(committee=committee)
    if review.state not in STEP_FROM[WorkflowAction.RETURN]:
        raise _illegal(review, _("trả lại"))
    return _step(review, actor=by, action=WorkflowAction.RETURN, to_state=ReviewState.DRAFT, reason=reason)


@transaction.atomic
def review_reopen(*, committee: Committee, by, reason: str = "") -> Review:
    """The committee above opens a submitted or approved review for editing again."""
    _require(by, committee, STEP_ACCESS[WorkflowAction.REOPEN])
    review = review_lock(committee=committee)
    if review.state not in STEP_FROM[WorkflowAction.REOPEN]:
        raise _illegal(review, _("mở lại"))
    return _step(
        review, actor=by, action=WorkflowAction.REOPEN, to_state=ReviewState.DRAFT, reason=reason.strip()
    )


__all__ = [
    "ReviewLocked",
    "ReviewState",
    "WorkflowAction",
    "WorkflowError",
    "review_approve",
    "review_assess",
    "review_for",
    "review_lock",
    "review_lock_draft",
    "review_not_assessed_count",
    "review_record_event",
    "review_require_complete",
    "review_reopen",
    "review_return",
    "review_submit",
]
