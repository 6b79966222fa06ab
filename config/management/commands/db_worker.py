"""`manage.py db_worker`: django-tasks-db's worker, plus the heartbeat /healthz/ready reads.

This app comes before django_tasks_db in INSTALLED_APPS, so this command is the one Django runs;
it takes every option of the library's (see `db_worker --help`), but takes every queue ("*") when
`--queue-name` is not given. A thread upserts this worker's
config.models.WorkerHeartbeat row every WORKER_HEARTBEAT_SECONDS and the row is deleted when
the worker stops; a worker that dies without stopping leaves a row that ages past
WORKER_HEARTBEAT_STALE, and the health check calls the worker down."""

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as LibraryWorkerCommand

from config.models import WorkerHeartbeat

logger = logging.getLogger("soket.worker")


class Heartbeat:
    def __init__(self, worker_id: str, queues: str = "") -> None:
        self.worker_id = worker_id
        self.queues = queues[:255]
        self.started_at = timezone.now()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": timezone.now(),
                "queues": self.queues,
            },
        )

    def _run(self) -> None:
        # The first beat was written by start(), before the worker's loop: wait, then beat.
        while not self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                self.beat()
            except DatabaseError:
                # The database is away: the worker's own loop will say so; the next beat retries.
                logger.warning("worker heartbeat: the database does not answer", exc_info=True)
            finally:
                # This thread's own connection: closed after each beat, never left half-open.
                connection.close()

    def start(self) -> None:
        """The first beat now, in the worker's own thread (the row is there as soon as the worker
        runs, and a short batch run never writes beside its own transactions), then a thread."""
        try:
            self.beat()
        except DatabaseError:
            logger.warning("worker heartbeat: the database does not answer", exc_info=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            logger.warning("worker heartbeat: could not remove this worker's row", exc_info=True)


class Command(LibraryWorkerCommand):
    help = LibraryWorkerCommand.help + ", writing a heartbeat row that /healthz/ready reads"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # One worker takes every queue unless told otherwise (`make run`, a small site); production
        # runs one set per queue (deploy/systemd: soket-worker "reports,default", soket-mailer "email").
        parser.set_defaults(queue_name="*")

    def handle(self, *args, **options) -> None:
        heartbeat = Heartbeat(options["worker_id"], options["queue_name"])
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
