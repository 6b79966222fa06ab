"""Template helpers of the workflow panel: the buttons a user may press, the latest step."""

from django import template

from indicators.access import Action, can
from indicators.models import Stage

from ..campaign.selectors import committee_own_deadline
from ..forms.workflow import REASON_MAX_LENGTH
from ..models import Review, ReviewAction
from ..selectors import review_checklist, review_last_step, stage_query
from ..workflow import review_actions_for

register = template.Library()


@register.simple_tag(takes_context=True)
def review_panel(context, review, committee):
    """{"review", "actions", "last_step", "last_step_label", "may_edit", "checklist", "reason_max_length",
    "deadline", "returned"}.

    No review = a fresh draft. The checklist (what is missing before the review may be sent, each
    with the link where it is put right) is read only for a user who could send it; from the
    page's `checklist_indicators` where it has read them (the assessment page)."""
    if review is None:
        review = Review(committee=committee, stage=context.get("stage") or Stage.MID)
    user = context["request"].user
    last_step = review_last_step(review=review)
    actions = review_actions_for(user, review)
    checklist = []
    if ReviewAction.SUBMIT in actions:
        read = context.get("checklist_indicators")
        missing = review_checklist(committee=committee, review=review, indicators=read or None)
        checklist = [(item.message, item.url(committee, review.stage)) for item in missing]
    return {
        "review": review,
        "actions": actions,
        "last_step": last_step,
        "last_step_label": ReviewAction(last_step.action).label if last_step else "",
        "may_edit": review.is_editable and can(user, committee, Action.ASSESS, stage=review.stage),
        # Returned (a draft again, with the reason the approver gave): "Bị trả lại — cần sửa".
        "returned": review.is_editable and bool(review.return_reason),
        "checklist": checklist,
        # The return reason's textarea stops where the server's limit is (ReasonForm).
        "reason_max_length": REASON_MAX_LENGTH,
        # Every link and form of the panel stays on the review's stage.
        "stage_query": stage_query(committee, review.stage),
        # The committee's own deadline, on every page the panel is on (dashboard, assessment, report).
        "deadline": committee_own_deadline(committee=committee, review=review),
    }
