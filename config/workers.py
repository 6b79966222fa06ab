"""Which background workers are alive, from their heartbeats (config.models.WorkerHeartbeat).

Read by the report pages (reviews.report.services), so that a render whose worker died, or that no
live worker will ever take, is a failure with its retry within seconds instead of a page that waits
REPORT_RENDER_PATIENCE (600 s), and by /healthz/ready. "Alive" here is stricter than the health
check's WORKER_HEARTBEAT_STALE: three missed beats (WORKER_DEAD_AFTER)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

# The queue a worker of a release before the queues were split wrote no name for.
LEGACY_QUEUE = "default"


def uses_database_queue() -> bool:
    """Tasks go through django-tasks-db's table and a `db_worker` runs them (not in the request)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend == "django_tasks_db.DatabaseBackend"


def _alive(within: float | None = None):
    from .models import WorkerHeartbeat  # here: the health middleware imports this module early

    since = timezone.now() - timedelta(seconds=settings.WORKER_DEAD_AFTER if within is None else within)
    return WorkerHeartbeat.objects.filter(seen_at__gte=since)


def worker_is_alive(worker_id: str) -> bool:
    """The worker has beaten within WORKER_DEAD_AFTER seconds (a stopped worker deletes its row)."""
    return _alive().filter(worker_id=worker_id).exists()


def serves(queues: str, queue: str) -> bool:
    """Whether a worker started with `--queue-name queues` takes tasks from `queue`."""
    names = {name.strip() for name in (queues or LEGACY_QUEUE).split(",")}
    return "*" in names or queue in names


def queue_is_served(queue: str) -> bool:
    """Some live worker takes tasks from `queue`."""
    return any(serves(queues, queue) for queues in _alive().values_list("queues", flat=True))


def work_queues() -> list[str]:
    """The queues tasks are sent to (config.settings.TASKS), but the legacy "default"."""
    queues = settings.TASKS.get("default", {}).get("QUEUES") or [LEGACY_QUEUE]
    return [queue for queue in queues if queue != LEGACY_QUEUE] or [LEGACY_QUEUE]


def unserved_queues(*, within: float) -> list[str]:
    """The work queues no worker that beat within `within` seconds takes (/healthz/ready): a site
    that runs the render workers but forgot the mailer is told so. One query."""
    alive = list(_alive(within).values_list("queues", flat=True))
    return [queue for queue in work_queues() if not any(serves(queues, queue) for queues in alive)]
