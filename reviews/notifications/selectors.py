"""Reads of the inbox: each notification with its words and whether what it asked for is done."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from indicators.models import Stage

from ..models import ReviewAction, ReviewEvent
from .messages import Message, message_of
from .models import Notification, NotificationKind

INBOX_SHOWN = 100

# What answers a notification: a later step of one of these on the same committee's review of the
# same stage (the end review sent does not answer a mid-term reminder, nor the other way). A
# review sent for approval is answered once approved, returned or reopened; a return, a reminder
# or an overdue notice once the review is sent (again).
ANSWERED_BY: dict[str, tuple[str, ...]] = {
    NotificationKind.SUBMITTED: (ReviewAction.APPROVE, ReviewAction.RETURN, ReviewAction.REOPEN),
    NotificationKind.RETURNED: (ReviewAction.SUBMIT,),
    NotificationKind.DUE_SOON: (ReviewAction.SUBMIT,),
    NotificationKind.OVERDUE: (ReviewAction.SUBMIT,),
}


@dataclass(frozen=True)
class InboxRow:
    notification: Notification
    message: Message
    done: bool  # what it asked for has been done since: shown as done, whoever did it


def inbox_rows(*, user) -> list[InboxRow]:
    """The user's latest notifications, newest first. Two queries, whatever their number."""
    notifications = list(
        Notification.objects.filter(recipient=user).select_related("committee__term")[:INBOX_SHOWN]
    )
    committees = {n.committee_id for n in notifications if n.kind in ANSWERED_BY}
    latest: dict[tuple[int, str, str], datetime] = {}
    if committees:
        steps = (
            ReviewEvent.objects.filter(review__committee_id__in=sorted(committees))
            .values_list("review__committee_id", "review__stage", "action")
            .annotate(last=Max("at"))
            .order_by()
        )
        latest = {(committee_id, stage, action): last for committee_id, stage, action, last in steps}

    def done(n: Notification) -> bool:
        stage = n.params.get("stage", Stage.MID)  # a notification without one is about the mid-term
        return any(
            (at := latest.get((n.committee_id, stage, action))) is not None and at > n.created_at
            for action in ANSWERED_BY.get(n.kind, ())
        )

    return [InboxRow(notification=n, message=message_of(n), done=done(n)) for n in notifications]
