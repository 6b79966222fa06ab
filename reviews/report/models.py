"""Rendered report files (PDF, DOCX): the background worker's output, shared by every app server."""

from django.conf import settings
from django.db import models

from indicators.models import Committee


class RenderState(models.TextChoices):
    PENDING = "pending"  # asked for, queued (or being rendered)
    READY = "ready"
    FAILED = "failed"


class RenderError(models.TextChoices):
    """Why a render failed; each has its own sentence on the page (reviews/report/views.py)."""

    TIMEOUT = "timeout"  # cut off at settings.PDF_RENDER_TIMEOUT
    FAILED = "failed"  # the renderer raised (logged with its traceback)
    QUEUE = "queue"  # the render could not be queued
    STUCK = "stuck"  # queued, never finished within REPORT_RENDER_PATIENCE (no worker running?)
    WORKER = "worker"  # the worker rendering it stopped beating (killed, its machine gone)
    NO_WORKER = "noworker"  # no live worker takes renders (reviews.report.tasks.REPORT_QUEUE)


class RenderedReport(models.Model):
    """One report file, keyed by a digest of everything it shows (reviews.report.key.report_key).

    A cache, not a record: every row can be deleted at any time and is rendered again on the
    next request, so it is neither backed up nor compared by the "a GET never writes" check.
    It lives in the database because the worker that renders and the app servers that serve
    are separate processes, possibly on separate machines; the unique key makes many requests
    for the same report queue one render."""

    key = models.CharField(max_length=64, unique=True)
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=8)
    # Which review's report ("mid", "end"): the worker renders that stage's data.
    stage = models.CharField(max_length=8, default="mid")
    language = models.CharField(max_length=8)
    state = models.CharField(max_length=8, choices=RenderState.choices, default=RenderState.PENDING)
    content = models.BinaryField(default=b"")
    error = models.CharField(max_length=8, choices=RenderError.choices, blank=True)
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who asked for this render: a bound per user on pending renders (REPORT_RENDERS_PER_USER) keeps
    # one viewer's burst of requests from holding everybody else's report behind it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The requester's release (reviews.code_digest), which `key` was computed with. A worker of
    # another release cannot recompute that key, so it stores its file under `key` as asked
    # (reviews.report.tasks): an app and a worker of different releases still end in a file.
    # Database defaults: a previous release's code, which does not know these columns, still
    # inserts rows during a rolling upgrade.
    renderer = models.CharField(max_length=32, blank=True, default="", db_default="")
    # The worker rendering it (django-tasks' worker id): when its heartbeat (config.models.
    # WorkerHeartbeat) stops, the page offers a retry within seconds (reviews.report.services).
    worker_id = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        indexes = [models.Index(fields=["committee", "format", "language"], name="rendered_report_of")]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.format} {self.language}: {self.state}"
