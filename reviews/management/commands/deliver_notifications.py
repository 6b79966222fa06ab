"""`deliver_notifications`: send every queued e-mail now (what the background worker does), and exit.

`--due` is the scheduled sweep (deploy/systemd/soket-deliveries.timer): only what is due by its
backoff, and the claims a worker left behind when it died mid-send (a "sending" row whose claim
has expired), so no e-mail stays "sending" for ever and a failing mail server keeps its backoff."""

from django.core.mail import get_connection
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from reviews.notifications.delivery import deliver_all, deliver_one
from reviews.notifications.models import DeliveryState, EmailDelivery


class Command(BaseCommand):
    help = (
        "Delivers every queued notification e-mail now, retries included, and exits; with --due only "
        "those due by their backoff and the expired claims of dead workers (the scheduled sweep)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--due", action="store_true", help="only what is due (the scheduled sweep)")

    def handle(self, *args, due=False, **options):
        if not due:
            run = deliver_all()
            self.stdout.write(f"{run.sent} sent, {run.retrying} to retry later, {run.failed} given up.")
            return
        now = timezone.now()
        # PENDING and due, or SENDING with its claim expired (next_attempt_at is the claim's end).
        waiting = EmailDelivery.objects.filter(
            Q(state=DeliveryState.PENDING) | Q(state=DeliveryState.SENDING), next_attempt_at__lte=now
        ).order_by("pk")
        counts: dict[str, int] = {DeliveryState.SENT: 0, DeliveryState.PENDING: 0, DeliveryState.FAILED: 0}
        connection = get_connection()
        for pk in waiting.values_list("pk", flat=True):
            state = deliver_one(pk, now=now, due_only=True, connection=connection)
            if state is not None and state in counts:
                counts[state] += 1
        self.stdout.write(
            f"{counts[DeliveryState.SENT]} sent, {counts[DeliveryState.PENDING]} to retry later, "
            f"{counts[DeliveryState.FAILED]} given up."
        )
