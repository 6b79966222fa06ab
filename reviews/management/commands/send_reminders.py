"""`send_reminders [--on YYYY-MM-DD]`: queue the day's reminders and overdue notices (for cron)."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reviews.notifications.delivery import wake_worker
from reviews.notifications.models import DeliveryState, EmailDelivery
from reviews.notifications.services import reminders_queue


class Command(BaseCommand):
    help = (
        "Queues the reminders (deadline in N days) and overdue notices due on a day, default today. "
        "Running it again the same day queues nothing new. Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day, YYYY-MM-DD (default: today)")
        parser.add_argument("--days-before", type=int, default=settings.REMINDER_DAYS_BEFORE)

    def handle(self, *args, on, days_before, **options):
        try:
            day = date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on {on}: not a date YYYY-MM-DD") from None
        written = reminders_queue(on=day, days_before=days_before)
        # A sweep: e-mails whose task was lost (queued while the queue was unreachable) go out too.
        stranded = EmailDelivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lte=timezone.now()
        )
        wake_worker(list(stranded.exclude(notification__in=written).values_list("pk", flat=True)))
        self.stdout.write(f"{day.isoformat()}: {len(written)} notifications queued.")
