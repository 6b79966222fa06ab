"""`deliver_notifications --due`, the scheduled sweep: expired claims of a dead worker are sent
again; e-mails waiting out their backoff are left to it."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reviews.models import ReviewAction
from reviews.notifications.models import DeliveryState, EmailDelivery
from reviews.services import review_step
from tests.reviews.test_notifications import people  # noqa: F401  (the fixture)


def sweep() -> str:
    out = StringIO()
    call_command("deliver_notifications", "--due", stdout=out)
    return out.getvalue().strip()


def test_an_expired_claim_left_by_a_dead_worker_is_sent_by_the_sweep(tree, people):  # noqa: F811
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    delivery = EmailDelivery.objects.get()
    # A worker claimed it (state "sending", claim until next_attempt_at) and died.
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert sweep() == "0 sent, 0 to retry later, 0 given up."  # the claim still runs: not ours
    EmailDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert sweep() == "1 sent, 0 to retry later, 0 given up."
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and len(mail.outbox) == 1


def test_the_sweep_keeps_the_backoff_of_an_e_mail_waiting_to_be_retried(tree, people):  # noqa: F811
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    EmailDelivery.objects.update(attempts=3, next_attempt_at=timezone.now() + timedelta(minutes=4))
    assert sweep() == "0 sent, 0 to retry later, 0 given up."
    assert EmailDelivery.objects.get().state == DeliveryState.PENDING and mail.outbox == []
