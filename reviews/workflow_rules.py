"""Which workflow buttons a user may press on a review: read from the one access rule."""

from indicators.access import Action, can

from .models import Review, ReviewState


def review_actions_for(user, review: Review) -> set[str]:
    """Subset of {"assess", "submit", "approve", "return", "reopen"} this user may take now.

    Only offers what the services would accept in the review's current state, so a button
    never leads to a refusal for a reason the page could have known."""
    committee = review.committee
    actions: set[str] = set()
    if review.state == ReviewState.DRAFT and can(user, committee, Action.SUBMIT):
        actions |= {"assess", "submit"}
    if can(user, committee, Action.APPROVE):
        if review.state == ReviewState.SUBMITTED:
            actions |= {"approve", "return"}
        elif review.state == ReviewState.APPROVED:
            actions.add("reopen")
    return actions
