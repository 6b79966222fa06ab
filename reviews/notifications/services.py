"""Writing notifications: for a workflow step (in the step's own transaction) and for the daily
reminders. Each notification to a user with an e-mail address gets its outbox row in the same
transaction; the worker is woken only once the transaction has committed."""

import logging
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from indicators.models import Committee, Role, RoleKind, Stage

from ..campaign.models import Deadline
from ..campaign.selectors import ReportingRow, pending_rows
from .models import DeliveryState, EmailDelivery, Notification, NotificationKind, UserLanguage
from .selectors import ANSWERED_BY

STEP_KIND = {
    "submit": NotificationKind.SUBMITTED,
    "return": NotificationKind.RETURNED,
    "approve": NotificationKind.APPROVED,
}
DIGEST_NAMES = 10  # committees named in an overdue digest; the rest are counted


def _secretaries(committee_ids) -> dict[int, list]:
    return _role_holders(committee_ids, role=RoleKind.SECRETARY)


def _approvers(committee_ids) -> dict[int, list]:
    """Users with any role on the committee: they approve the committees directly below it."""
    return _role_holders(committee_ids, role=None)


def _role_holders(committee_ids, *, role) -> dict[int, list]:
    roles = Role.objects.filter(committee_id__in=list(committee_ids), user__is_active=True).select_related(
        "user"
    )
    if role:
        roles = roles.filter(role=role)
    holders: dict[int, dict] = {}
    for r in roles:
        holders.setdefault(r.committee_id, {})[r.user.pk] = r.user
    return {cid: list(users.values()) for cid, users in holders.items()}


def _write(notes: list[Notification], *, now: datetime) -> list[Notification]:
    """Insert the notifications whose (recipient, key) is new, with their outbox rows; the rest
    already exist and are left alone, so a reminder run twice writes nothing the second time."""
    if not notes:
        return []
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    keys = {n.key for n in notes}
    written = list(
        Notification.objects.filter(created_at=now, key__in=keys, email__isnull=True).select_related(
            "recipient"
        )
    )
    deliveries = [
        EmailDelivery(notification=n, address=n.recipient.email, next_attempt_at=now)
        for n in written
        if n.recipient.email
    ]
    EmailDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    if deliveries:
        from .delivery import wake_worker  # the worker's module imports the mail machinery

        ids = list(EmailDelivery.objects.filter(notification__in=written).values_list("pk", flat=True))
        transaction.on_commit(lambda: wake_worker(ids))
    return written


def _staged(params: dict, key: str, stage: str) -> tuple[dict, str]:
    """A notification about the end-of-term review says so (its params carry the stage, which the
    message names, and its key differs from the mid-term one's); a mid-term one is as it always was."""
    if stage == Stage.MID:
        return params, key
    return {**params, "stage": stage}, f"{key}:{stage}"


def notify_review_step(
    *, committee: Committee, step: str, by, reason: str = "", stage: str = Stage.MID
) -> list[Notification]:
    """Tell whoever must act now: the approvers above when a review is sent; the committee's
    secretaries when it is returned (with the reason) or approved. Call inside the step's transaction.
    The message names the review's stage.

    What the step answers in the actor's own inbox is read by now: the approver who approved has
    seen the "chờ duyệt" item she acted on, and it no longer counts as new in the header."""
    _mark_answered_read(committee=committee, step=step, by=by, stage=stage)
    kind = STEP_KIND.get(step)
    if kind is None:
        return []
    if kind == NotificationKind.SUBMITTED:
        if committee.parent_id is None:
            return []
        recipients = _approvers([committee.parent_id]).get(committee.parent_id, [])
    else:
        recipients = _secretaries([committee.pk]).get(committee.pk, [])
    now = timezone.now()
    actor = by.get_username() if by is not None and by.is_authenticated else ""
    params, key = _staged(
        {"actor": actor, "reason": reason}, f"{kind}:{committee.pk}:{now.isoformat()}", stage
    )
    notes = [
        Notification(recipient=user, kind=kind, committee=committee, key=key, params=params, created_at=now)
        for user in recipients
        if by is None or user.pk != by.pk
    ]
    return _write(notes, now=now)


def _mark_answered_read(*, committee: Committee, step: str, by, stage: str) -> None:
    if by is None or not by.is_authenticated:
        return
    kinds = [kind for kind, answers in ANSWERED_BY.items() if step in answers]
    unread = Notification.objects.filter(
        recipient=by, committee=committee, kind__in=kinds, read_at__isnull=True
    ).values_list("pk", "params")
    ids = [pk for pk, params in unread if (params or {}).get("stage", Stage.MID) == stage]
    if ids:
        notifications_mark_read(user=by, ids=ids)


@transaction.atomic
def reminders_queue(*, on: date, days_before: int = 3) -> list[Notification]:
    """The reminders due on day `on`: "deadline in N days" to the secretaries of every committee
    not yet sent whose deadline is within `days_before` days (once per committee, deadline and
    kind), and the overdue notices of that day (to the secretaries of each late committee, and one
    digest per committee above to its approvers).

    Each stage on its own: a stage's reminders read that stage's deadlines and whether that stage's
    review is sent, and only the stages a term has deadlines for are read at all."""
    now = timezone.now()
    notes: list[Notification] = []
    stages_of: dict[int, set[str]] = {}
    for term_id, stage in Deadline.objects.order_by().values_list("set_by__term_id", "stage").distinct():
        stages_of.setdefault(term_id, set()).add(stage)
    for term_id in sorted(stages_of):
        for root in Committee.objects.filter(term_id=term_id, parent__isnull=True).select_related("term"):
            for stage in [s for s in Stage.values if s in stages_of[term_id]]:
                rows = pending_rows(committee=root, today=on, stage=stage)
                notes += _term_reminders(rows, on, days_before, now, stage=stage)
    return _write(notes, now=now)


def _term_reminders(
    rows: list[ReportingRow], on: date, days_before: int, now, *, stage: str = Stage.MID
) -> list[Notification]:
    due_soon = [
        r
        for r in rows
        if not r.sent and r.deadline is not None and 0 <= (r.deadline - on).days <= days_before
    ]
    overdue = [r for r in rows if r.overdue]
    if not due_soon and not overdue:
        return []
    secretaries = _secretaries({r.pk for r in due_soon + overdue})
    late_by_parent: dict[int, list[ReportingRow]] = {}
    for r in overdue:
        if r.parent_id is not None:
            late_by_parent.setdefault(r.parent_id, []).append(r)
    approvers = _approvers(late_by_parent)

    def note(user, kind, committee_id, key, params):
        return Notification(
            recipient=user, kind=kind, committee_id=committee_id, key=key, params=params, created_at=now
        )

    notes = []
    for r in due_soon:
        assert r.deadline is not None  # selected above for having one
        params, key = _staged(
            {"deadline": r.deadline.isoformat(), "days": (r.deadline - on).days},
            f"{NotificationKind.DUE_SOON}:{r.pk}:{r.deadline.isoformat()}",
            stage,
        )
        notes += [note(u, NotificationKind.DUE_SOON, r.pk, key, params) for u in secretaries.get(r.pk, [])]
    for r in overdue:
        assert r.deadline is not None  # overdue means past a deadline
        params, key = _staged(
            {"deadline": r.deadline.isoformat(), "days": r.days_late},
            f"{NotificationKind.OVERDUE}:{r.pk}:{r.deadline.isoformat()}:{on.isoformat()}",
            stage,
        )
        notes += [note(u, NotificationKind.OVERDUE, r.pk, key, params) for u in secretaries.get(r.pk, [])]
    for parent_id, late in late_by_parent.items():
        params, key = _staged(
            {
                "count": len(late),
                "level": late[0].level,
                "names": [r.name for r in late[:DIGEST_NAMES]],
                "on": on.isoformat(),
            },
            f"{NotificationKind.OVERDUE_DIGEST}:{parent_id}:{on.isoformat()}",
            stage,
        )
        notes += [
            note(u, NotificationKind.OVERDUE_DIGEST, parent_id, key, params)
            for u in approvers.get(parent_id, [])
        ]
    return notes


@transaction.atomic
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications (all, or those ids) read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def user_language_remember(*, user, language: str) -> None:
    """Keep the language the user chose, for their e-mails."""
    if language not in {code for code, _name in settings.LANGUAGES} or not user.is_authenticated:
        return
    UserLanguage.objects.update_or_create(user=user, defaults={"language": language})


class MayNotRetry(PermissionError):
    """Only staff allowed to change the outbox put e-mails back in it."""


def email_delivery_retry(*, ids: list[int], by) -> list[int]:
    """Put failed e-mails back in the outbox, due now, with their attempts counted afresh (the
    admin's action, after the mail server is mended). Returns the ids queued again; e-mails not
    failed (sent, still trying) are left alone. Its record is a log line on `soket.security`: the
    outbox row is itself the e-mail's history (attempts, last error, sent at)."""
    if not (by.is_active and by.has_perm("reviews.change_emaildelivery")):
        raise MayNotRetry(by.pk)
    now = timezone.now()
    with transaction.atomic():
        failed = EmailDelivery.objects.select_for_update().filter(pk__in=ids, state=DeliveryState.FAILED)
        queued = list(failed.values_list("pk", flat=True))
        EmailDelivery.objects.filter(pk__in=queued).update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=now
        )
        if queued:
            from .delivery import wake_worker  # the worker's module imports the mail machinery

            transaction.on_commit(lambda: wake_worker(queued))
    logging.getLogger("soket.security").info("e-mails queued again by user=%s: %s", by.pk, queued)
    return queued
