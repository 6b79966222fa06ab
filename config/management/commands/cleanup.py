"""`manage.py cleanup`: the daily clean-up (deploy/systemd/soket-cleanup.timer).

Deletes what only grows: expired sessions (Django's clearsessions), finished task rows older than
CLEANUP_TASK_RESULTS_DAYS, login-attempt records and logs (django-axes) older than
CLEANUP_LOGIN_LOG_DAYS, rendered report files older than CLEANUP_RENDERED_REPORT_DAYS (a cache:
a deleted file is rendered again when next asked for), heartbeats of workers gone for a day and
big workbook imports queued more than a day ago (their page has long said done, failed or stuck;
reviews.workbook.background).
Prints one line per kind with the number deleted."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config.models import WorkerHeartbeat
from reviews.models import WorkbookImport
from reviews.report.models import RenderedReport

FINISHED = ("SUCCESSFUL", "FAILED")


class Command(BaseCommand):
    help = (
        "Deletes expired sessions, old finished task rows, old login-attempt logs, old rendered "
        "report files and the heartbeats of workers gone for a day (retention in settings)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what would go, delete nothing")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        now = timezone.now()

        def days(n: int):
            return now - timedelta(days=n)

        login_cutoff = days(settings.CLEANUP_LOGIN_LOG_DAYS)
        kinds = [
            ("expired sessions", Session.objects.filter(expire_date__lt=now)),
            (
                f"finished tasks older than {settings.CLEANUP_TASK_RESULTS_DAYS} days",
                DBTaskResult.objects.filter(
                    status__in=FINISHED, finished_at__lt=days(settings.CLEANUP_TASK_RESULTS_DAYS)
                ),
            ),
            (
                f"login logs older than {settings.CLEANUP_LOGIN_LOG_DAYS} days",
                AccessLog.objects.filter(attempt_time__lt=login_cutoff),
            ),
            ("failed-login logs", AccessFailureLog.objects.filter(attempt_time__lt=login_cutoff)),
            ("failed-login counters", AccessAttempt.objects.filter(attempt_time__lt=login_cutoff)),
            (
                f"rendered reports older than {settings.CLEANUP_RENDERED_REPORT_DAYS} days",
                RenderedReport.objects.filter(requested_at__lt=days(settings.CLEANUP_RENDERED_REPORT_DAYS)),
            ),
            ("heartbeats of workers gone for a day", WorkerHeartbeat.objects.filter(seen_at__lt=days(1))),
            (
                "workbook imports queued over a day ago",
                WorkbookImport.objects.filter(requested_at__lt=days(1)),
            ),
        ]
        for what, queryset in kinds:
            if dry_run:
                count = queryset.count()
            else:
                # Session.objects.filter(...).delete() is what clearsessions does for the db backend.
                count, _by_model = queryset.delete()
            self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {count} {what}")
