"""The signed report's pages: the upload, the archived file's download, the public verification page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from indicators.models import Stage
from reviews.selectors import stage_query
from reviews.views.common import committee_from_request, stage_from_request
from reviews.workbook.reader import MAX_FILE_BYTES

from .metadata import normalise_code
from .models import SignedReport
from .selectors import signed_report_by_code, signed_report_latest
from .services import ArchiveNotReady, may_upload_signed, signed_report_accept
from .verify import InvalidSignedReport


class SignedUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp PDF đã ký số"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The project's one upload bound (the workbook's): checked before a byte is read.
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn %(size)s MB, vượt giới hạn %(max)s MB.")
                % {"size": f"{upload.size / 1048576:.1f}", "max": MAX_FILE_BYTES // 1048576}
            )
        return upload


def _review_url(committee, stage: str) -> str:
    return f"{reverse('review_edit', args=[committee.code])}?{stage_query(committee, stage)}"


@login_required
@require_POST
def signed_upload(request, code):
    committee = committee_from_request(request, code)
    # `?stage=end` on the form's action (the end-of-term page's card), else the mid-term's.
    stage = stage_from_request(request)
    if not may_upload_signed(request.user, committee):
        raise PermissionDenied(_("Bạn không có quyền tải lên báo cáo đã ký của đơn vị này."))
    form = SignedUploadForm(request.POST, request.FILES)
    error, status = "", 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            signed = signed_report_accept(
                committee=committee,
                by=request.user,
                data=upload.read(),
                filename=upload.name or "",
                stage=stage,
            )
        except InvalidSignedReport as exc:
            error = str(exc)
        except ArchiveNotReady as exc:
            error, status = str(exc), 503
        else:
            messages.success(
                request,
                _("Đã nhận báo cáo đã ký số của %(signer)s và lưu trữ nguyên vẹn.")
                % {"signer": signed.signer},
            )
            return redirect(_review_url(committee, stage))
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    context = {
        "committee": committee,
        "term": committee.term,
        "error": error,
        "form": SignedUploadForm(),
        "review_url": _review_url(committee, stage),
        "max_mb": MAX_FILE_BYTES // 1048576,
        "stage": stage,
        "signing_query": stage_query(committee, stage),
    }
    return render(request, "reviews/signing/refused.html", context, status=status)


@login_required
@require_GET
def signed_download(request, code):
    """The archived signed file, byte for byte, to whoever may view the committee."""
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    latest = signed_report_latest(committee=committee, stage=stage)
    if latest is None:
        return render(
            request,
            "reviews/signing/not_signed.html",
            {
                "committee": committee,
                "term": committee.term,
                "stage": stage,
                "signing_query": stage_query(committee, stage),
            },
            status=404,
        )
    content = SignedReport.objects.values_list("content", flat=True).get(pk=latest.pk)
    response = HttpResponse(bytes(content), content_type="application/pdf")
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in committee.code)
    kind = "so-ket" if stage == Stage.MID else "tong-ket"
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-{kind}-{safe}-{committee.term.code}-da-ky.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = latest.sha256
    return response


@require_GET
def report_verify(request, code):
    """Public, no login: what the code printed on a report stands for, and nothing more."""
    normal = normalise_code(code)
    signed = signed_report_by_code(code=normal) if normal else None
    status = 200 if signed else 404
    return render(
        request, "reviews/signing/verify.html", {"code": normal or code[:32], "signed": signed}, status=status
    )


urlpatterns = [
    path("committees/<str:code>/report/signed/", signed_upload, name="report_signed_upload"),
    path("committees/<str:code>/report/signed.pdf", signed_download, name="report_signed_pdf"),
    path("verify/<str:code>/", report_verify, name="report_verify"),
]
