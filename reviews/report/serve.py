"""The report as the web serves it (PDF and DOCX): rendered under a deadline, never rendered twice.

The PDF is a pure function of the report's HTML and the report stylesheet, so it is cached
under a hash of both: any change to the data changes the HTML and so the key, and a cached PDF
can never be stale. Rendering runs in a forked process killed at the deadline, so a runaway
render cannot hold a worker (reviews.report.deadline)."""

import hashlib
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from indicators.models import Committee

from .deadline import call_with_deadline
from .docx import context_to_docx, writer_digest
from .html import render_report_html, report_context, report_html
from .pdf import html_to_pdf


@cache
def _stylesheet_digest() -> str:
    path = finders.find("css/report.css")
    if not isinstance(path, str):
        raise ImproperlyConfigured("css/report.css is not among the static files")
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:16]


def report_cache_key(html: str) -> str:
    digest = hashlib.sha256(html.encode()).hexdigest()
    return f"report-pdf:{_stylesheet_digest()}:{digest}"


def report_pdf_for_web(*, committee: Committee) -> bytes:
    """Raises ReportTooLarge before rendering, RenderTimeout when the deadline passes."""
    html = report_html(committee=committee)  # queries the database here, never in the child
    store = caches["reports"]
    key = report_cache_key(html)
    pdf = store.get(key)
    if pdf is None:
        pdf = call_with_deadline(html_to_pdf, html, seconds=settings.PDF_RENDER_TIMEOUT)
        store.set(key, pdf)
    return pdf


def report_docx_for_web(*, committee: Committee) -> bytes:
    """The Word document, cached and bounded like the PDF.

    Its key is the report's HTML too: both are written from the one report_context and the DOCX
    shows nothing the HTML does not, so new data means a new key. The writer's own digest is in
    the key, so a changed writer never serves an old file."""
    context = report_context(committee=committee)  # queries here, never in the child
    html = render_report_html(context)
    store = caches["reports"]
    key = f"report-docx:{writer_digest()}:{hashlib.sha256(html.encode()).hexdigest()}"
    docx = store.get(key)
    if docx is None:
        docx = call_with_deadline(context_to_docx, context, seconds=settings.PDF_RENDER_TIMEOUT)
        store.set(key, docx)
    return docx
