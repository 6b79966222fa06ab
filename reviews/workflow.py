"""The review workflow in one table: draft → submitted → approved; returned or reopened to draft.

Each step says who may take it (the access rule's action), which states it starts from, where it
leads and whether it carries a reason. The service (`reviews.services.review_step`) refuses
anything else, the views are built from it and the dashboard's panel offers nothing else."""

from dataclasses import dataclass
from enum import Enum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from indicators.access import Action, can

from .models import Review, ReviewAction, ReviewState


class Reason(Enum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True)
class Transition:
    step: ReviewAction
    access: Action
    from_states: tuple[ReviewState, ...]
    to_state: ReviewState
    reason: Reason
    what: Promise  # "Không thể <what>: …" when the review is not in a state the step starts from
    done: Promise  # the message after the step


TRANSITIONS: dict[ReviewAction, Transition] = {
    t.step: t
    for t in (
        Transition(
            step=ReviewAction.SUBMIT,
            access=Action.SUBMIT,
            from_states=(ReviewState.DRAFT,),
            to_state=ReviewState.SUBMITTED,
            reason=Reason.NONE,
            what=_("gửi báo cáo"),
            done=_("Đã gửi báo cáo sơ kết lên cấp trên."),
        ),
        Transition(
            step=ReviewAction.APPROVE,
            access=Action.APPROVE,
            from_states=(ReviewState.SUBMITTED,),
            to_state=ReviewState.APPROVED,
            reason=Reason.NONE,
            what=_("phê duyệt"),
            done=_("Đã phê duyệt báo cáo sơ kết."),
        ),
        Transition(
            step=ReviewAction.RETURN,
            access=Action.APPROVE,
            from_states=(ReviewState.SUBMITTED,),
            to_state=ReviewState.DRAFT,
            reason=Reason.REQUIRED,
            what=_("trả lại"),
            done=_("Đã trả lại báo cáo sơ kết để sửa."),
        ),
        Transition(
            step=ReviewAction.REOPEN,
            access=Action.APPROVE,
            from_states=(ReviewState.SUBMITTED, ReviewState.APPROVED),
            to_state=ReviewState.DRAFT,
            reason=Reason.OPTIONAL,
            what=_("mở lại"),
            done=_("Đã mở lại báo cáo sơ kết để sửa."),
        ),
    )
}

# The panel offers the editor ("assess") to whoever may submit the draft.
ASSESS = "assess"


def review_actions_for(user, review: Review) -> set[str]:
    """Subset of {"assess", "submit", "approve", "return", "reopen"} this user may take now.

    Only offers what the service would accept in the review's current state, so a button
    never leads to a refusal for a reason the page could have known."""
    actions: set[str] = {
        str(t.step)
        for t in TRANSITIONS.values()
        if review.state in t.from_states and can(user, review.committee, t.access, stage=review.stage)
    }
    if ReviewAction.RETURN in actions:
        # A submitted review goes back with a reason (return), not silently (reopen).
        actions.discard(ReviewAction.REOPEN)
    if ReviewAction.SUBMIT in actions:
        actions.add(ASSESS)
    return actions
