"""`deliver_notifications`: send every queued e-mail now (what the background worker does), and exit."""

from django.core.management.base import BaseCommand

from reviews.notifications.delivery import deliver_all


class Command(BaseCommand):
    help = "Delivers every queued notification e-mail now, retries included, and exits."

    def handle(self, *args, **options):
        run = deliver_all()
        self.stdout.write(f"{run.sent} sent, {run.retrying} to retry later, {run.failed} given up.")
