"""Template helpers of the workflow panel: the buttons a user may press, the latest step."""

from django import template

from ..models import Review, ReviewAction
from ..selectors import review_last_step
from ..workflow import review_actions_for

register = template.Library()


@register.simple_tag(takes_context=True)
def review_panel(context, review, committee):
    """{"review", "actions", "last_step", "last_step_label"} for the panel; no review = a fresh draft."""
    if review is None:
        review = Review(committee=committee)
    last_step = review_last_step(review=review)
    return {
        "review": review,
        "actions": review_actions_for(context["request"].user, review),
        "last_step": last_step,
        "last_step_label": ReviewAction(last_step.action).label if last_step else "",
    }
