"""The report's writes: a render requested and queued (PDF and DOCX), never inside a request, never twice.

A request computes the report's key — a digest of every row the report shows, the language and
the renderer's own files — in a few small queries, and looks the key up among the rendered
files (reviews.report.models.RenderedReport). Found and ready: the file is served. Not found:
one row is inserted under the key (unique: of many requests for the same report one inserts,
the others find it) and one render is queued for the background worker (reviews.report.tasks);
the user gets a page that refreshes itself until the file is there. Any change to the data
changes the key, so a stale file is never served; the worker checks the key again around its
own reads, so a file is always stored under the key of the data it was made from.

The waiting page asks again with the key of the render it waits for (`waiting_for`): while that
render is pending, the answer is "still waiting" without the key's reads; once it is ready, failed
or gone, the request takes the whole path above, so a file is only ever served under the key of
the data as it is at that request."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from config.workers import queue_is_served, uses_database_queue, worker_is_alive
from indicators.models import Committee
from indicators.rows import one_or_none
from reviews.code_digest import code_digest
from reviews.selectors import review_document
from reviews.signing.archive import ARCHIVE_FORMAT, ARCHIVE_LANGUAGE

from .key import report_key
from .models import RenderedReport, RenderError, RenderState
from .selectors import check_size
from .tasks import REPORT_QUEUE, render_report

logger = logging.getLogger(__name__)


class RenderQueueFull(Exception):
    """The user already waits for REPORT_RENDERS_PER_USER renders: this one is not queued."""

    def __init__(self, pending: int) -> None:
        super().__init__(pending)
        self.pending = pending


def _refuse_past_the_users_bound(user) -> None:
    if user is None or not user.is_authenticated:
        return
    since = timezone.now() - timedelta(seconds=settings.REPORT_RENDER_PATIENCE)
    pending = RenderedReport.objects.filter(
        requested_by=user, state=RenderState.PENDING, requested_at__gte=since
    ).count()
    if pending >= settings.REPORT_RENDERS_PER_USER:
        raise RenderQueueFull(pending)


def report_request(
    *,
    committee: Committee,
    fmt: str,
    retry: bool = False,
    user=None,
    stage: str = "mid",
    waiting_for: str = "",
) -> RenderedReport:
    """The committee's report file in the active language: ready, pending or failed.

    Queues a render when there is none for the current data (or when `retry` and the last one
    failed), in `user`'s name. Raises ReportTooLarge before queueing anything, and RenderQueueFull
    when `user` already waits for REPORT_RENDERS_PER_USER renders (a file someone else has
    already asked for is no new render, and is never refused). `waiting_for`: the key of the
    render the waiting page waits for, answered in one query while it is still pending."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if fmt == ARCHIVE_FORMAT:
        language = ARCHIVE_LANGUAGE  # the document filed and signed is the Vietnamese one
    if waiting_for:
        pending = _still_pending(
            key=waiting_for, committee=committee, fmt=fmt, stage=stage, language=language
        )
        if pending is not None:
            return pending
    document = review_document(committee=committee, stage=stage)
    check_size(committee=committee, document=document)
    key = report_key(committee=committee, fmt=fmt, language=language, document=document)
    row = one_or_none(RenderedReport.objects.filter(key=key))
    if row is None:
        _refuse_past_the_users_bound(user)
        try:
            with transaction.atomic():
                row = RenderedReport.objects.create(
                    key=key,
                    committee=committee,
                    format=fmt,
                    stage=stage,
                    language=language,
                    requested_at=timezone.now(),
                    requested_by=user if user is not None and user.is_authenticated else None,
                    renderer=code_digest(),
                )
        except IntegrityError:  # another request asked for the same file a moment ago
            found = RenderedReport.objects.filter(key=key).first()
            if found is None:
                raise
            return found
        return _queue(row)
    # Conditional UPDATEs: of many requests at once, one changes the row (and queues the render).
    same = RenderedReport.objects.filter(pk=row.pk, state=row.state, requested_at=row.requested_at)
    if retry and row.state == RenderState.FAILED:
        _refuse_past_the_users_bound(user)
        if same.update(state=RenderState.PENDING, error="", requested_at=timezone.now(), worker_id=""):
            return _queue(_reloaded(row))
        return _reloaded(row)
    if is_stuck(row):
        # Shown as a failure with its retry, not as a page that waits for ever.
        same.update(state=RenderState.FAILED, error=RenderError.STUCK)
        return _reloaded(row)
    orphaned = orphaned_because(row)
    if orphaned:
        same.update(state=RenderState.FAILED, error=orphaned, finished_at=timezone.now())
        return _reloaded(row)
    return row


def _still_pending(
    *, key: str, committee: Committee, fmt: str, stage: str, language: str
) -> RenderedReport | None:
    """The render of this very report (committee, format, stage, language, this release) under
    `key`, while it is pending and may still finish; None for anything else (ready, failed, stuck,
    orphaned, replaced by the worker, another report's key), which the whole path answers as it
    answers a first request: a ready file is served only after the key is computed again, and a
    dead render is marked failed there. The key's reads are what a look costs otherwise (the
    waiting page asks every few seconds), and a pending render shows the same page whatever
    the data became meanwhile: its worker reads the data as it is when it renders."""
    # By its unique key alone, the rest compared here: the cheapest query of the request.
    row = one_or_none(RenderedReport.objects.defer("content").filter(key=key))
    if row is None or (row.committee_id, row.format, row.stage, row.language, row.renderer, row.state) != (
        committee.pk,
        fmt,
        stage,
        language,
        code_digest(),
        RenderState.PENDING,
    ):
        return None
    if is_stuck(row) or orphaned_because(row):
        return None
    return row


def _reloaded(row: RenderedReport) -> RenderedReport:
    """The row as it is now; as it was if the worker has just replaced it (the page asks again)."""
    return RenderedReport.objects.filter(pk=row.pk).first() or row


def is_stuck(row: RenderedReport) -> bool:
    """Pending for longer than any render may take (the worker died, or none is running)."""
    patience = timedelta(seconds=settings.REPORT_RENDER_PATIENCE)
    return row.state == RenderState.PENDING and row.requested_at < timezone.now() - patience


def orphaned_because(row: RenderedReport) -> str:
    """Why a pending render will never finish, noticed from the workers' heartbeats within
    WORKER_DEAD_AFTER seconds (config.workers), or "" while it may: the worker that took it stopped
    beating (killed mid-render, its machine gone), or no live worker takes renders at all. One query."""
    if row.state != RenderState.PENDING or not uses_database_queue():
        return ""
    if row.worker_id:
        return "" if worker_is_alive(row.worker_id) else RenderError.WORKER
    # Not taken yet: waiting behind other renders is fine while some worker takes the queue; a
    # moment's grace first, for a worker that is just starting.
    if row.requested_at > timezone.now() - timedelta(seconds=settings.WORKER_DEAD_AFTER):
        return ""
    return "" if queue_is_served(REPORT_QUEUE) else RenderError.NO_WORKER


def _queue(row: RenderedReport) -> RenderedReport:
    try:
        render_report.enqueue(row.pk)
    except Exception:  # noqa: BLE001 -- the user gets a retry, never a 500
        logger.exception("could not queue the report render %s", row.pk)
        RenderedReport.objects.filter(pk=row.pk).update(state=RenderState.FAILED, error=RenderError.QUEUE)
    return _reloaded(row)  # an immediate backend (tests) has rendered it already
