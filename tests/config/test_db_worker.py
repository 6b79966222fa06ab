"""`db_worker`: the library's worker plus a heartbeat row, gone when the worker stops."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone

from config.management.commands.db_worker import Heartbeat
from config.models import WorkerHeartbeat


def test_db_worker_is_this_apps_command():
    assert get_commands()["db_worker"] == "config"


def test_a_beat_writes_and_refreshes_one_row_per_worker(db):
    heartbeat = Heartbeat("worker-a")
    heartbeat.beat()
    row = WorkerHeartbeat.objects.get()
    assert row.worker_id == "worker-a" and row.pid > 0 and row.host
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    heartbeat.beat()
    assert WorkerHeartbeat.objects.count() == 1
    assert timezone.now() - WorkerHeartbeat.objects.get().seen_at < timedelta(seconds=5)


# The worker closes its database connections when the batch ends (django-tasks-db): inside a
# test's transaction that closed connection breaks the test on PostgreSQL, so this one commits.
@pytest.mark.django_db(transaction=True)
def test_a_batch_run_beats_while_it_runs_and_removes_its_row_at_the_end(settings, monkeypatch):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports", "email"]}
    }
    seen = []
    original = Heartbeat.beat

    def beat(self):
        original(self)
        seen.append(WorkerHeartbeat.objects.filter(worker_id=self.worker_id).exists())

    monkeypatch.setattr(Heartbeat, "beat", beat)
    monkeypatch.setattr(Heartbeat, "start", lambda self: self.beat())  # in this thread: one test DB
    call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "w-test", stdout=StringIO())
    assert seen == [True]
    assert not WorkerHeartbeat.objects.exists()
