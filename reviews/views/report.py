"""`/committees/<CODE>/report.pdf`: the mid-term review report as a PDF download."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from reviews.report import ReportTooLarge
from reviews.report.deadline import RenderTimeout, render_timeout_response
from reviews.report.pdf import report_filename
from reviews.report.serve import report_pdf_for_web

from .common import committee_from_request


@login_required
@require_GET
def report_download(request, code):
    committee = committee_from_request(request, code)
    try:
        pdf = report_pdf_for_web(committee=committee)
    except RenderTimeout:
        return render_timeout_response(request, seconds=settings.PDF_RENDER_TIMEOUT)
    except ReportTooLarge as exc:
        return render(
            request,
            "reviews/report/too_large.html",
            {"committee": committee, "term": committee.term, "message": str(exc)},
            status=413,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(committee)}"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [path("committees/<str:code>/report.pdf", report_download, name="report_pdf")]
