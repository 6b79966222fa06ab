"""`/healthz/ready`: database, cache, worker heartbeat and queue age, each able to make it 503."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from config.models import WorkerHeartbeat

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports", "email"]}
}


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.WORKER_HEARTBEAT_STALE = 60
    settings.HEALTH_QUEUE_MAX_WAIT = 300


def beat(seconds_ago: float, worker_id: str = "w1", queues: str = "*") -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": "app1",
            "pid": 1,
            "started_at": now,
            "seen_at": now - timedelta(seconds=seconds_ago),
            "queues": queues,
        },
    )


def queued(seconds_ago: float) -> None:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="reviews.notifications.tasks.deliver",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_ready_is_200_when_every_part_answers(client, db, queue):
    beat(5)
    response = client.get("/healthz/ready", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "worker": "ok",
        "queue": {"pending": 0, "oldest_s": 0},
    }
    assert "no-cache" in response["Cache-Control"]


def test_ready_is_503_without_a_worker_heartbeat(client, db, queue):
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["worker"] == "down"


def test_a_heartbeat_older_than_the_stale_bound_is_a_dead_worker(client, db, queue):
    beat(61)
    assert client.get("/healthz/ready").json()["worker"] == "down"
    beat(59, worker_id="w2")  # another worker still alive is enough
    assert client.get("/healthz/ready").status_code == 200


def test_ready_reports_the_queue_and_is_503_when_the_oldest_task_waits_too_long(client, db, queue):
    beat(1)
    queued(120)
    queued(10)
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    body = response.json()["queue"]
    assert body["pending"] == 2 and 119 <= body["oldest_s"] <= 125
    queued(301)
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["queue"]["pending"] == 3
    assert response.json()["worker"] == "ok"


def test_a_task_scheduled_for_later_is_not_waiting(client, db, queue):
    beat(1)
    queued(1000)
    DBTaskResult.objects.update(run_after=timezone.now() + timedelta(hours=1))
    assert client.get("/healthz/ready").json()["queue"] == {"pending": 0, "oldest_s": 0}


def test_ready_is_503_when_the_cache_is_down(client, db, queue, settings):
    beat(1)
    # A Redis nobody listens on (port 1 on the loopback refuses at once).
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    response = client.get("/healthz/ready", HTTP_HOST="10.0.0.5")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "cache": "down",
        "worker": "ok",
        "queue": {"pending": 0, "oldest_s": 0},
    }
    assert response["Retry-After"] == "30"


def test_ready_is_503_when_the_database_is_down(client, db, queue):
    def lost(self, sql, params=None):
        raise OperationalError("could not connect to server")

    with mock.patch.object(CursorWrapper, "execute", lost):
        response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "cache": "ok", "worker": "down", "queue": None}


@pytest.mark.parametrize(
    ("workers", "status"),
    [
        ({"w-reports": "reports,default"}, 503),  # the mailer forgotten: e-mails wait for the sweep
        ({"w-mail": "email"}, 503),  # no render worker: every report page would fail
        ({"w-reports": "reports,default", "w-mail": "email"}, 200),
        ({"w-old": ""}, 503),  # a worker of a release before the queues split takes "default" only
    ],
)
def test_the_worker_is_ok_only_when_every_queue_has_a_live_worker(client, db, queue, workers, status):
    for worker_id, queues in workers.items():
        beat(5, worker_id=worker_id, queues=queues)
    response = client.get("/healthz/ready", HTTP_HOST="10.0.0.5")
    assert response.status_code == status
    assert response.json()["worker"] == ("ok" if status == 200 else "down")
