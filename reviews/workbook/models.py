"""A workbook import run by the background worker (reviews.workbook.background): the upload, its
progress and, once done, its result — kept in the database so every app server's page sees it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportState(models.TextChoices):
    PENDING = "pending"  # queued, or being checked / applied
    DONE = "done"  # the result is stored (errors or the summary)
    FAILED = "failed"  # the worker raised (logged) or could not be given the task


class WorkbookImport(models.Model):
    """One big workbook's check (“Chỉ kiểm tra”) or import, run in the background.

    The file stays here until the worker has finished with it: a check passes it on to the
    user's CheckedWorkbook for “Nhập tệp này”, an import has applied it. A failed run keeps it,
    so “Thử lại” needs no second upload. Rows older than PENDING_SECONDS go when the next is queued."""

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    term_code = models.CharField(max_length=20)
    dry_run = models.BooleanField()
    language = models.CharField(max_length=8)
    data = models.BinaryField(default=b"")
    state = models.CharField(max_length=8, choices=ImportState.choices, default=ImportState.PENDING)
    rows_total = models.PositiveIntegerField(default=0)  # from the sheets' dimensions: about
    rows_done = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)  # reviews.workbook.background.result_to_json
    pending_token = models.CharField(max_length=64, blank=True)  # the CheckedWorkbook a check kept
    requested_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker running it: when its heartbeat stops the page says so within seconds.
    worker_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("tệp Excel đang nhập")
        verbose_name_plural = _("tệp Excel đang nhập")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.filename} ({self.state})"
