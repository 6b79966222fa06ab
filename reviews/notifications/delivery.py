"""Delivering the outbox: the background worker's job, with retries and backoff.

A delivery is claimed with one conditional UPDATE (so two workers never send the same e-mail),
sent outside any transaction (a slow mail server holds no lock), then marked sent, or put back
with its next attempt further away each time. A worker that dies mid-send leaves the claim to
expire, after which the e-mail is tried again (at least once, never lost)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .messages import message_of
from .models import DeliveryState, EmailDelivery

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 300  # a claimed delivery not finished by then is tried again
MAX_ATTEMPTS = 12  # about two days of backoff; then the delivery is marked failed


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt: 1, 2, 4, … minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


@dataclass
class DeliveryRun:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _language_of(user) -> str:
    chosen = getattr(user, "language", None)  # reverse one-to-one; absent until the user chose
    return chosen.language if chosen else settings.LANGUAGE_CODE


def build_email(delivery: EmailDelivery) -> EmailMultiAlternatives:
    """The e-mail, all of it (subject, text, HTML) in the recipient's language."""
    notification = delivery.notification
    with translation.override(_language_of(notification.recipient)):
        message = message_of(notification)
        context = {"message": message, "user": notification.recipient}
        text = render_to_string("reviews/notifications/email.txt", context)
        html = render_to_string("reviews/notifications/email.html", context)
    email = EmailMultiAlternatives(
        subject=message.subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.address]
    )
    email.attach_alternative(html, "text/html")
    return email


def _claim(pk: int, now: datetime, *, due_only: bool) -> bool:
    claimable = EmailDelivery.objects.filter(pk=pk).filter(
        Q(state=DeliveryState.PENDING) | Q(state=DeliveryState.SENDING, next_attempt_at__lte=now)
    )
    if due_only:
        claimable = claimable.filter(next_attempt_at__lte=now)
    return bool(
        claimable.update(
            state=DeliveryState.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
        )
    )


def deliver_one(
    pk: int, *, now: datetime | None = None, due_only: bool = True, connection=None
) -> str | None:
    """Try to send one queued e-mail. Returns its new state, or None if it was not ours to send."""
    now = now or timezone.now()
    if not _claim(pk, now, due_only=due_only):
        return None
    delivery = EmailDelivery.objects.select_related(
        "notification__recipient__language", "notification__committee__term"
    ).get(pk=pk)
    try:
        email = build_email(delivery)
        if connection is not None:
            email.connection = connection
        email.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 -- any failure of the mail server: retry later
        gave_up = delivery.attempts >= MAX_ATTEMPTS
        state = DeliveryState.FAILED if gave_up else DeliveryState.PENDING
        next_at = timezone.now() + backoff(delivery.attempts)
        EmailDelivery.objects.filter(pk=pk).update(
            state=state, next_attempt_at=next_at, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        logger.warning(
            "e-mail %s to %s failed (attempt %s): %s", pk, delivery.address, delivery.attempts, exc
        )
        if not gave_up:
            wake_worker([pk], at=next_at)
        return state
    EmailDelivery.objects.filter(pk=pk).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
    )
    return DeliveryState.SENT


def deliver_all(*, now: datetime | None = None) -> DeliveryRun:
    """Every e-mail still queued, now, backoff or not (the `deliver_notifications` command)."""
    now = now or timezone.now()
    run = DeliveryRun()
    pending = EmailDelivery.objects.filter(
        Q(state=DeliveryState.PENDING) | Q(state=DeliveryState.SENDING, next_attempt_at__lte=now)
    ).order_by("pk")
    connection = get_connection()  # one connection for the batch
    for pk in pending.values_list("pk", flat=True):
        state = deliver_one(pk, now=now, due_only=False, connection=connection)
        if state == DeliveryState.SENT:
            run.sent += 1
        elif state == DeliveryState.PENDING:
            run.retrying += 1
        elif state == DeliveryState.FAILED:
            run.failed += 1
    return run


# The e-mails' own queue, with its own workers (deploy/systemd/soket-mailer.service), and ahead of
# any render in a worker that takes every queue (`db_worker` without `--queue-name`): an e-mail
# never waits behind a rush of report renders.
EMAIL_QUEUE = "email"
EMAIL_PRIORITY = 10


@task(queue_name=EMAIL_QUEUE, priority=EMAIL_PRIORITY)
def deliver_email(delivery_id: int) -> str | None:
    """The background task: send one queued e-mail if it is due (django-tasks, database backend)."""
    return deliver_one(delivery_id)


def wake_worker(delivery_ids: list[int], *, at: datetime | None = None) -> None:
    """Queue one task per e-mail. If queueing fails the e-mails stay in the outbox for the next
    `deliver_notifications` or reminder run: the user's request never fails because of it."""
    job = deliver_email.using(run_after=at) if at else deliver_email
    for pk in delivery_ids:
        try:
            job.enqueue(pk)
        except Exception:  # noqa: BLE001
            logger.exception("could not queue e-mail %s; it stays in the outbox", pk)
