"""Template helpers of the workflow panel: the buttons a user may press, the latest step."""

from django import template
from django.utils.translation import gettext_lazy as _

from indicators.access import Action, can

from ..models import Review
from ..selectors import review_checklist
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
    """{"review", "actions", "last_step", "last_step_label", "may_edit", "checklist"} for the panel.

    No review = a fresh draft. The checklist (what is missing before the review may be sent, each
    with the link where it is put right) is read only for a user who could send it."""
    if review is None:
        review = Review(committee=committee)
    user = context["request"].user
    # Only workflow steps: document edits are recorded as events too, but are not steps.
    last_step = None
    if review.pk:
        last_step = (
            review.events.filter(action__in=list(STEP_LABELS)).select_related("actor__profile").first()
        )
    actions = review_actions_for(user, review)
    checklist = []
    if WorkflowAction.SUBMIT in actions:
        checklist = [
            (item.message, item.url(committee))
            for item in review_checklist(committee=committee, review=review)
        ]
    return {
        "review": review,
        "actions": actions,
        "last_step": last_step,
        "last_step_label": STEP_LABELS.get(last_step.action) if last_step else "",
        "may_edit": review.is_editable and can(user, committee, Action.ASSESS),
        "checklist": checklist,
    }
