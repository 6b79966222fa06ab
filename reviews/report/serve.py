"""The report as the web serves it (PDF and DOCX): never rendered inside a request, never twice.

A request computes the report's key — a digest of every row the report shows, the language and
the renderer's own files — in a few small queries, and looks the key up among the rendered
files (reviews.report.models.RenderedReport). Found and ready: the file is served. Not found:
one row is inserted under the key (unique: of many requests for the same report one inserts,
the others find it) and one render is queued for the background worker (reviews.report.tasks);
the user gets a page that refreshes itself until the file is there. Any change to the data
changes the key, so a stale file is never served; the worker checks the key again around its
own reads, so a file is always stored under the key of the data it was made from."""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from indicators.models import Assessment, Committee, Indicator, Resolution
from indicators.selectors import subtree_summary
from reviews.code_digest import code_digest
from reviews.selectors import ReviewDocument, review_document

from .html import check_size
from .models import RenderedReport, RenderError, RenderState

logger = logging.getLogger(__name__)

FORMATS = ("pdf", "docx")


def _fields(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def report_key(*, committee: Committee, fmt: str, language: str, document: ReviewDocument) -> str:
    """A digest of everything the report shows: five small queries, whatever the tree.

    Whole rows, not version counters: a row changed outside the services (the admin, a restore,
    a script) changes the key as surely as a save does."""
    review = document.review
    parts: list[object] = [
        fmt,
        language,
        code_digest(),  # what shapes the file besides the data (reviews.code_digest)
        [getattr(committee.term, name) for name in _fields(type(committee.term))],
        [getattr(review, name) for name in _fields(type(review))] if review.pk else None,
        [[getattr(lesson, name) for name in _fields(type(lesson))] for lesson in document.lessons],
        [[getattr(group, name) for name in _fields(type(group))] for group in document.solutions],
        # The committee itself (its counters fresh from the database), its parent (the heading)
        # and its children (the children's table and chart).
        list(
            Committee.objects.filter(Q(pk=committee.pk) | Q(pk=committee.parent_id) | Q(parent=committee))
            .order_by("pk")
            .values_list(*_fields(Committee))
        ),
        list(Resolution.objects.filter(committee=committee).order_by("pk").values_list(*_fields(Resolution))),
        list(
            Indicator.objects.of_committee(committee)
            .order_by("pk")
            .values_list(*_fields(Indicator), *(f"assessment__{name}" for name in _fields(Assessment)))
        ),
        subtree_summary(committee=committee),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def report_request(*, committee: Committee, fmt: str, retry: bool = False) -> RenderedReport:
    """The committee's report file in the active language: ready, pending or failed.

    Queues a render when there is none for the current data (or when `retry` and the last one
    failed). Raises ReportTooLarge before queueing anything."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    document = review_document(committee=committee)
    check_size(committee=committee, document=document)
    key = report_key(committee=committee, fmt=fmt, language=language, document=document)
    row = RenderedReport.objects.filter(key=key).first()
    if row is None:
        try:
            with transaction.atomic():
                row = RenderedReport.objects.create(
                    key=key,
                    committee=committee,
                    format=fmt,
                    language=language,
                    requested_at=timezone.now(),
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
        if same.update(state=RenderState.PENDING, error="", requested_at=timezone.now()):
            return _queue(_reloaded(row))
        return _reloaded(row)
    if is_stuck(row):
        # Shown as a failure with its retry, not as a page that waits for ever.
        same.update(state=RenderState.FAILED, error=RenderError.STUCK)
        return _reloaded(row)
    return row


def _reloaded(row: RenderedReport) -> RenderedReport:
    """The row as it is now; as it was if the worker has just replaced it (the page asks again)."""
    return RenderedReport.objects.filter(pk=row.pk).first() or row


def is_stuck(row: RenderedReport) -> bool:
    """Pending for longer than any render may take (the worker died, or none is running)."""
    patience = timedelta(seconds=settings.REPORT_RENDER_PATIENCE)
    return row.state == RenderState.PENDING and row.requested_at < timezone.now() - patience


def _queue(row: RenderedReport) -> RenderedReport:
    from .tasks import render_report  # the task module imports this one

    try:
        render_report.enqueue(row.pk)
    except Exception:  # noqa: BLE001 -- the user gets a retry, never a 500
        logger.exception("could not queue the report render %s", row.pk)
        RenderedReport.objects.filter(pk=row.pk).update(state=RenderState.FAILED, error=RenderError.QUEUE)
    return _reloaded(row)  # an immediate backend (tests) has rendered it already
