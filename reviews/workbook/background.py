"""Big workbook imports run by the background worker, as report renders are (reviews.report.tasks).

A check of 50,000 rows takes the CPU for 10–18 s: inside a request it held a web worker and made
other users' pages wait. A workbook above WORKBOOK_BACKGROUND_BYTES is queued instead (one row of
WorkbookImport holding the file), the uploader gets a page showing the rows checked, and the result
is stored as JSON for that page. Small workbooks keep the synchronous path (reviews.workbook.views).
A job's reads (its page) are in selectors.py."""

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import TaskContext, task

from reviews.models import ImportState, WorkbookImport

from .pending import PENDING_SECONDS, checked_workbook_keep
from .problems import Problem
from .services import ImportResult, workbook_import

logger = logging.getLogger(__name__)

# The renders' queue (reviews.report.tasks.REPORT_QUEUE): taken by the same workers
# (deploy/systemd/soket-worker.service), apart from the e-mails, which never wait behind an import.
IMPORT_QUEUE = "reports"


class ImportQueueFull(Exception):
    """The user already waits for WORKBOOK_IMPORTS_PER_USER imports: this one is not queued.
    `waiting`: the tokens of those imports, for links to their pages."""

    def __init__(self, waiting: list[str]) -> None:
        super().__init__(len(waiting))
        self.waiting = waiting
        self.pending = len(waiting)


def runs_in_background(size: int) -> bool:
    return size > settings.WORKBOOK_BACKGROUND_BYTES


# ---- the result, kept as JSON --------------------------------------------------------------


def result_to_json(result: ImportResult) -> dict[str, Any]:
    data = dict(vars(result))
    data["errors"] = [vars(p) for p in result.errors]
    data["warnings"] = [vars(p) for p in result.warnings]
    data["labels_read"] = [[*key, n] for key, n in result.labels_read.items()]
    return data


def result_from_json(data: dict[str, Any]) -> ImportResult:
    data = dict(data)
    data["errors"] = [Problem(**p) for p in data["errors"]]
    data["warnings"] = [Problem(**p) for p in data["warnings"]]
    data["labels_read"] = {(label, status, exceeded): n for label, status, exceeded, n in data["labels_read"]}
    return ImportResult(**data)


# ---- services ------------------------------------------------------------------------------


def _refuse_past_the_users_bound(user) -> None:
    since = timezone.now() - timedelta(seconds=settings.REPORT_RENDER_PATIENCE)
    waiting = list(
        WorkbookImport.objects.filter(user=user, state=ImportState.PENDING, requested_at__gte=since)
        .order_by("requested_at")
        .values_list("token", flat=True)
    )
    if len(waiting) >= settings.WORKBOOK_IMPORTS_PER_USER:
        raise ImportQueueFull(waiting)


def workbook_import_queue(
    *, user, data: bytes, filename: str, term_code: str, dry_run: bool, language: str
) -> WorkbookImport:
    """Queue a check (`dry_run`) or an import of `data` in `user`'s name; raises ImportQueueFull.
    Who may import what is checked by the import itself, in the worker, as `user`."""
    with transaction.atomic():
        now = timezone.now()
        _refuse_past_the_users_bound(user)
        WorkbookImport.objects.filter(requested_at__lt=now - timedelta(seconds=PENDING_SECONDS)).exclude(
            state=ImportState.PENDING
        ).delete()
        job = WorkbookImport.objects.create(
            token=secrets.token_urlsafe(16),
            user=user,
            filename=filename[:255],
            term_code=term_code,
            dry_run=dry_run,
            language=language,
            data=data,
            requested_at=now,
        )
    return _enqueue(job)


def workbook_import_retry(*, user, job: WorkbookImport) -> WorkbookImport:
    """Queue a failed (or orphaned) import again, from the file it kept."""
    if job.user_id != user.pk or job.state == ImportState.DONE or not job.data:
        return job
    _refuse_past_the_users_bound(user)
    same = WorkbookImport.objects.filter(pk=job.pk, state=job.state, requested_at=job.requested_at)
    if same.update(state=ImportState.PENDING, requested_at=timezone.now(), worker_id="", rows_done=0):
        return _enqueue(job)
    return _reloaded(job)


def _enqueue(job: WorkbookImport) -> WorkbookImport:
    try:
        run_workbook_import.enqueue(job.pk)
    except Exception:  # noqa: BLE001 -- the page offers a retry, never a 500
        logger.exception("could not queue the workbook import %s", job.pk)
        WorkbookImport.objects.filter(pk=job.pk).update(state=ImportState.FAILED)
    return _reloaded(job)


def _reloaded(job: WorkbookImport) -> WorkbookImport:
    return WorkbookImport.objects.filter(pk=job.pk).first() or job


# ---- the task ------------------------------------------------------------------------------


@task(queue_name=IMPORT_QUEUE, takes_context=True)
def run_workbook_import(context: TaskContext, import_id: int) -> str:
    """Check or import one queued workbook, writing its progress as it goes; ends done or failed."""
    job = (
        WorkbookImport.objects.select_related("user").filter(pk=import_id, state=ImportState.PENDING).first()
    )
    if job is None:
        return "gone"
    rows = WorkbookImport.objects.filter(pk=import_id, state=ImportState.PENDING)
    worker_ids = getattr(context.task_result, "worker_ids", None) or []
    rows.update(worker_id=worker_ids[-1] if worker_ids else "")

    def progress(done: int, total: int) -> None:
        rows.update(rows_done=done, rows_total=total)

    data = bytes(job.data)
    try:
        with translation.override(job.language):
            result = workbook_import(
                data=data,
                term_code=job.term_code,
                by=job.user,
                dry_run=job.dry_run,
                filename=job.filename,
                progress=progress,
            )
            pending_token = ""
            if job.dry_run and result.ok:
                pending_token = checked_workbook_keep(
                    user=job.user, data=data, filename=job.filename, term_code=result.term_code
                )
    except Exception:  # noqa: BLE001 -- the page offers a retry from the kept file
        logger.exception("workbook import %s (%s) failed", import_id, job.filename)
        rows.update(state=ImportState.FAILED, finished_at=timezone.now())
        return ImportState.FAILED
    # The file has been applied, or handed on for “Nhập tệp này”: it is not kept twice.
    rows.update(
        state=ImportState.DONE,
        result=result_to_json(result),
        pending_token=pending_token,
        data=b"",
        finished_at=timezone.now(),
    )
    return ImportState.DONE
