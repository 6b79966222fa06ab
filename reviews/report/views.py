"""`/committees/<CODE>/report.pdf` and `report.docx`: the mid-term review report as a download.

The file is rendered by the background worker (reviews.report.services); until it is ready the user
sees a page that refreshes itself, then the download."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from reviews.selectors import stage_query
from reviews.signing.archive import ARCHIVE_FORMAT, archive_filename
from reviews.signing.selectors import review_is_approved
from reviews.views.common import committee_from_request, stage_from_request

from . import ReportTooLarge
from .models import RenderError, RenderState
from .names import report_filename
from .services import RenderQueueFull, report_request

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "pdfa": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Seconds between two looks of the waiting page: a commune's report renders in one or two.
REFRESH_SECONDS = 3
# The waiting page's own parameter: the key of the render it waits for.
RENDER_PARAMETER = "render"
# A user at their bound of pending renders looks again after this long (theirs finish meanwhile).
QUEUE_FULL_REFRESH_SECONDS = 10


@login_required
@require_GET
def report_download(request, code):
    return _download(request, code, fmt="pdf")


@login_required
@require_GET
def report_docx_download(request, code):
    return _download(request, code, fmt="docx")


def _download(request, code, *, fmt: str):
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    filename = report_filename(committee, fmt, stage)
    if fmt == "pdf" and request.GET.get("archive") == "1":
        # The archive rendition (PDF/A-2b), the file a signer signs: of an approved review only,
        # at the stage asked for (each stage's report is signed and archived on its own).
        if not review_is_approved(committee=committee, stage=stage):
            return render(
                request,
                "reviews/signing/not_approved.html",
                {
                    "committee": committee,
                    "term": committee.term,
                    "stage": stage,
                    "signing_query": stage_query(committee, stage),
                },
                status=409,
            )
        fmt, filename = ARCHIVE_FORMAT, archive_filename(committee, stage)
    try:
        row = report_request(
            committee=committee,
            fmt=fmt,
            retry="retry" in request.GET,
            user=request.user,
            stage=stage,
            waiting_for=request.GET.get(RENDER_PARAMETER, ""),
        )
    except RenderQueueFull as exc:
        # 429: this user's own renders first; the page asks again by itself, as the waiting page does.
        response = render(
            request,
            "reviews/report/queue_full.html",
            {
                "committee": committee,
                "term": committee.term,
                "pending": exc.pending,
                "refresh_seconds": QUEUE_FULL_REFRESH_SECONDS,
                "again_url": request.get_full_path(),
            },
            status=429,
        )
        response["Retry-After"] = str(QUEUE_FULL_REFRESH_SECONDS)
        return response
    except ReportTooLarge as exc:
        return render(
            request,
            "reviews/report/too_large.html",
            {"committee": committee, "term": committee.term, "message": str(exc)},
            status=413,
        )
    if row.state == RenderState.READY:
        response = HttpResponse(bytes(row.content), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
    # The page's own parameters go; the rest of the query (term, stage, archive) is kept.
    query = request.GET.copy()
    query.pop("retry", None)
    query.pop(RENDER_PARAMETER, None)
    context = {
        "committee": committee,
        "term": committee.term,
        "format": "PDF/A" if fmt == ARCHIVE_FORMAT else fmt.upper(),
        "again_url": _with(request.path, query),
        "retry_url": _with(request.path, query, retry="1"),
    }
    if row.state == RenderState.FAILED:
        context.update(error=row.error, errors=RenderError, seconds=round(settings.PDF_RENDER_TIMEOUT))
        response = render(request, "reviews/report/render_failed.html", context, status=503)
        response["Retry-After"] = "60"
        return response
    # 202 Accepted: the render is queued; the page asks again by itself (no script needed), after
    # this render by its key: a look then spares the key's reads (services._still_pending).
    context["again_url"] = _with(request.path, query, **{RENDER_PARAMETER: row.key})
    context["refresh_seconds"] = REFRESH_SECONDS
    return render(request, "reviews/report/rendering.html", context, status=202)


def _with(path: str, query, **extra: str) -> str:
    query = query.copy()
    for name, value in extra.items():
        query[name] = value
    return f"{path}?{query.urlencode()}" if query else path


urlpatterns = [
    path("committees/<str:code>/report.pdf", report_download, name="report_pdf"),
    path("committees/<str:code>/report.docx", report_docx_download, name="report_docx"),
]
