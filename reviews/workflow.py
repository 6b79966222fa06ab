"""Which workflow buttons a user may press on a review: the services' own step table and access rule."""

from indicators.access import can

from .models import Review
from .services import STEP_ACCESS, STEP_FROM, WorkflowAction


def review_actions_for(user, review: Review) -> set[str]:
    """Subset of {"assess", "submit", "approve", "return", "reopen"} this user may take now.

    Only offers what the services would accept in the review's current state, so a button
    never leads to a refusal for a reason the page could have known."""
    actions = {
        step
        for step, states in STEP_FROM.items()
        if review.state in states and can(user, review.committee, STEP_ACCESS[step])
    }
    if WorkflowAction.RETURN in actions:
        # A submitted review goes back with a reason (return), not silently (reopen).
        actions.discard(WorkflowAction.REOPEN)
    if WorkflowAction.SUBMIT in actions:
        actions.add("assess")
    return actions
