"""Template helpers of the workflow panel: the buttons a user may press, the latest step."""

from django import template
from django.utils.translation import gettext_lazy as _

from ..models import Review
from ..services import WorkflowAction
from ..workflow import review_actions_for

register = template.Library()

STEP_LABELS = {
    WorkflowAction.SUBMIT: _("gửi lên cấp trên"),
    WorkflowAction.APPROVE: _("phê duyệt"),
    WorkflowAction.RETURN: _("trả lại để sửa"),
    WorkflowAction.REOPEN: _("mở lại để sửa"),
}


@register.simple_tag(takes_context=True)
def review_panel(context, review, committee):
    """{"review", "actions", "last_step", "last_step_label"} for the panel; no review = a fresh draft."""
    if review is None:
        review = Review(committee=committee)
    user = context["request"].user
    # Only workflow steps: document edits are recorded as events too, but are not steps.
    last_step = None
    if review.pk:
        last_step = review.events.filter(action__in=list(STEP_LABELS)).select_related("actor").first()
    return {
        "review": review,
        "actions": review_actions_for(user, review),
        "last_step": last_step,
        "last_step_label": STEP_LABELS.get(last_step.action) if last_step else "",
    }
