"""`/committees/<CODE>/report.pdf` and `report.docx`: the mid-term review report as a download."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render as render_page
from django.urls import path
from django.views.decorators.http import require_GET

from reviews.report import ReportTooLarge
from reviews.report.deadline import RenderTimeout, render_timeout_response
from reviews.report.pdf import report_filename
from reviews.report.serve import report_docx_for_web, report_pdf_for_web

from .common import committee_from_request

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def report_download(request, code):
    return _download(
        request, code, render=report_pdf_for_web, content_type="application/pdf", extension="pdf"
    )


@login_required
@require_GET
def report_docx_download(request, code):
    return _download(request, code, render=report_docx_for_web, content_type=DOCX_TYPE, extension="docx")


def _download(request, code, *, render, content_type: str, extension: str):
    committee = committee_from_request(request, code)
    try:
        body = render(committee=committee)
    except RenderTimeout:
        return render_timeout_response(request, seconds=settings.PDF_RENDER_TIMEOUT)
    except ReportTooLarge as exc:
        return render_page(
            request,
            "reviews/report/too_large.html",
            {"committee": committee, "term": committee.term, "message": str(exc)},
            status=413,
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(committee, extension)}"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("committees/<str:code>/report.pdf", report_download, name="report_pdf"),
    path("committees/<str:code>/report.docx", report_docx_download, name="report_docx"),
]
