"""The background render of a report file (django-tasks; `manage.py db_worker` runs it)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks import TaskContext, task

from indicators.models import Committee
from reviews.code_digest import code_digest
from reviews.selectors import review_document
from reviews.signing.archive import ARCHIVE_FORMAT, archive_context
from reviews.signing.orgsign import sign_as_organisation

from . import ReportTooLarge
from .docx import context_to_docx
from .html import render_report_html
from .key import report_key
from .models import RenderedReport, RenderError, RenderState
from .selectors import ReportContext, report_context
from .time_limit import RenderTimeout, call_with_time_limit

logger = logging.getLogger(__name__)

# Reads repeated when the data changed while they were made (a save between two queries).
_READ_ATTEMPTS = 3
# The renders' own queue, apart from the e-mails' (config.settings.TASKS): a rush of renders never
# holds an e-mail back. Its workers: deploy/systemd/soket-worker.service.
REPORT_QUEUE = "reports"
OTHER_RELEASES_FILES_KEPT = timedelta(hours=1)


def render_file(fmt: str, context: ReportContext) -> bytes:
    """The file from the report's data, in a forked process killed at its time limit: a runaway
    render cannot hold the worker (reviews.report.time_limit)."""
    if fmt == "docx":
        return call_with_time_limit(context_to_docx, context, seconds=settings.PDF_RENDER_TIMEOUT)
    # Imported here: the web workers, which import this module to queue renders, never load
    # WeasyPrint (about 0.3 s of CPU and its memory in each; config.warmup).
    from .pdf import html_to_pdf, html_to_pdfa

    html = render_report_html(context)
    if fmt == ARCHIVE_FORMAT:
        pdf = call_with_time_limit(html_to_pdfa, html, seconds=settings.PDF_RENDER_TIMEOUT)
        return sign_as_organisation(pdf)
    return call_with_time_limit(html_to_pdf, html, seconds=settings.PDF_RENDER_TIMEOUT)


def _context(committee: Committee, fmt: str, stage: str) -> ReportContext:
    if fmt == ARCHIVE_FORMAT:
        return archive_context(committee=committee, stage=stage)
    return report_context(committee=committee, stage=stage)


def _consistent_read(
    committee: Committee, fmt: str, language: str, stage: str = "mid"
) -> tuple[str, ReportContext]:
    """The report's data and the key of exactly that data: the key is taken before and after the
    reads and must not move, so a file is never stored under the key of other data."""

    def key_now() -> str:
        document = review_document(committee=committee, stage=stage)
        return report_key(committee=committee, fmt=fmt, language=language, document=document)

    for _attempt in range(_READ_ATTEMPTS):
        key = key_now()
        context = _context(committee, fmt, stage)
        after = key_now()
        if key == after:
            return key, context
    return after, _context(committee, fmt, stage)  # a busy committee: the next request checks again


def _store(row: RenderedReport, key: str, content: bytes) -> None:
    """The file under `key`; older files of the same report go (one kept per report and language)."""
    now = timezone.now()
    with transaction.atomic():
        if key != row.key:
            # The data changed after the request: the file belongs to the new key, and the old
            # key's row, which no request will compute again unless the data changes back, goes.
            RenderedReport.objects.filter(pk=row.pk).delete()
            try:
                with transaction.atomic():
                    row = RenderedReport.objects.create(
                        key=key,
                        committee=row.committee,
                        format=row.format,
                        stage=row.stage,
                        language=row.language,
                        requested_at=now,
                        renderer=row.renderer,
                    )
            except IntegrityError:
                row = RenderedReport.objects.get(key=key)
        RenderedReport.objects.filter(pk=row.pk).update(
            state=RenderState.READY, content=content, error="", finished_at=now
        )
        # Another release's files stay a while: while two releases run side by side, each one's
        # pages find their own file instead of deleting the other's in turn (`cleanup` takes the rest).
        RenderedReport.objects.filter(
            Q(renderer=row.renderer) | Q(requested_at__lt=now - OTHER_RELEASES_FILES_KEPT),
            committee_id=row.committee_id,
            format=row.format,
            language=row.language,
            stage=row.stage,
        ).exclude(pk=row.pk).exclude(state=RenderState.PENDING).delete()


def _claim(render_id: int, context: TaskContext) -> None:
    """Write this worker's id on the row: the page watches its heartbeat (reviews.report.services)."""
    worker_ids = getattr(context.task_result, "worker_ids", None) or []
    if worker_ids:
        pending = RenderedReport.objects.filter(pk=render_id, state=RenderState.PENDING)
        pending.update(worker_id=worker_ids[-1])


@task(queue_name=REPORT_QUEUE, takes_context=True)
def render_report(context: TaskContext, render_id: int) -> str:
    """Render one queued report file; its row ends ready, or failed with the reason (logged)."""
    row = RenderedReport.objects.select_related("committee__term", "committee__parent").filter(pk=render_id)
    found = row.first()
    if found is None or found.state != RenderState.PENDING:
        return "gone"  # rendered, replaced or deleted meanwhile: nothing to do
    _claim(render_id, context)
    committee = found.committee
    try:
        with translation.override(found.language):
            if found.renderer != code_digest():
                # Asked for by another release (a rolling upgrade, a hotfix on one machine): its key
                # cannot be computed here (other code, other fields), so the file goes under the key
                # that was asked for. It shows the data as read now, never older than the request's.
                key, context_ = found.key, _context(committee, found.format, found.stage)
            else:
                key, context_ = _consistent_read(committee, found.format, found.language, found.stage)
                stored = RenderedReport.objects.filter(key=key, state=RenderState.READY)
                if key != found.key and stored.exists():
                    # Queued for data since changed, whose file another render has stored already.
                    RenderedReport.objects.filter(pk=render_id, state=RenderState.PENDING).delete()
                    return "gone"
            content = render_file(found.format, context_)
    except (RenderTimeout, ReportTooLarge, Exception) as exc:  # noqa: BLE001 -- the page offers a retry
        error = RenderError.TIMEOUT if isinstance(exc, RenderTimeout) else RenderError.FAILED
        logger.exception("report render %s (%s, %s) failed", render_id, committee.code, found.format)
        RenderedReport.objects.filter(pk=render_id, state=RenderState.PENDING).update(
            state=RenderState.FAILED, error=error, finished_at=timezone.now()
        )
        return RenderState.FAILED
    _store(found, key, content)
    return RenderState.READY
