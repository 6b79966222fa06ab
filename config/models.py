"""The worker's heartbeat: the one row per running worker that /healthz/ready reads."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by each `db_worker` process every WORKER_HEARTBEAT_SECONDS and deleted when it stops.

    In the database because the workers and the app servers that report on them are separate
    processes, possibly on separate machines, and the database is the one thing they all share
    (the cache may be each process's own memory). A row older than WORKER_HEARTBEAT_STALE is a
    worker that died without saying so; `cleanup` deletes such rows after a day."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    # The queues it takes tasks from, as given to `--queue-name` ("reports,default", "email", "*"):
    # a render nobody alive will take fails in seconds, not after REPORT_RENDER_PATIENCE. A
    # database default, so a previous release's worker still writes its row ("" = "default").
    queues = models.CharField(max_length=255, blank=True, default="", db_default="")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.worker_id})"
