"""The workbook pages: export of a subtree, the blank template, and the upload page of the import."""

from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.forms import TextField
from indicators.access import Action, may_set_up_terms
from indicators.models import RoleKind, Stage, Term
from indicators.services.terms import term_parse_code
from reviews.models import ImportState
from reviews.selectors import stage_query
from reviews.views.common import committee_from_request, end_is_open, stage_from_request

from .background import (
    ImportQueueFull,
    result_from_json,
    runs_in_background,
    workbook_import_queue,
    workbook_import_retry,
)
from .exporter import draft_export, template_export, workbook_export
from .pending import PENDING_SECONDS, checked_workbook_keep, checked_workbook_take
from .reader import MAX_FILE_BYTES
from .selectors import Orphaned, orphaned_because, workbook_import_of
from .services import workbook_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Seconds between two looks of a background import's waiting page.
REFRESH_SECONDS = 3
QUEUE_FULL_REFRESH_SECONDS = 10


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def workbook_xlsx(request, code):
    """`?stage=end`: the end-of-term judgements, once that review is open (else a message on the
    committee's page: there is nothing of the end to export, and an empty file would mislead)."""
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    if stage == Stage.END and not end_is_open(committee):
        messages.error(
            request,
            _(
                "Đơn vị %(name)s chưa mở tổng kết nhiệm kỳ nên chưa có đánh giá cuối kỳ để xuất; "
                "văn phòng cấp ủy mở tổng kết nhiệm kỳ trước."
            )
            % {"name": committee.name},
        )
        return redirect(reverse("dashboard", args=[committee.code]) + "?" + stage_query(committee, Stage.MID))
    suffix = "-cuoi-ky" if stage == Stage.END else ""
    name = f"so-ket-{slugify(committee.code) or 'don-vi'}-{committee.term.code}{suffix}.xlsx"
    return _xlsx_response(workbook_export(committee=committee, stage=stage), name)


@login_required
def workbook_draft(request, code):
    """Staff: the draft workbook of a new term, made from the predecessors' indicators."""
    committee = committee_from_request(request, code, Action.SET_UP)
    name = f"du-thao-{slugify(committee.code) or 'don-vi'}-{committee.term.code}.xlsx"
    return _xlsx_response(draft_export(committee=committee), name)


@login_required
def workbook_template(request):
    # With ?term=2025-2030 the template has that term's yearly columns (the term need not exist yet).
    return _xlsx_response(template_export(term_code=request.GET.get("term", "")[:20]), "so-ket-mau.xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx)"))
    term = TextField(label=gettext_lazy("Nhiệm kỳ"), max_length=20)

    def __init__(self, *args, terms: list[str], may_create_term: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms, self.may_create_term = terms, may_create_term
        if not may_create_term:
            self.fields["term"] = forms.ChoiceField(
                label=gettext_lazy("Nhiệm kỳ"), choices=[(t, t.replace("-", " – ")) for t in terms]
            )
        if terms:
            self.fields["term"].initial = terms[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn %(size)s MB, vượt giới hạn %(max)s MB. Hãy chia thành nhiều tệp nhỏ hơn.")
                % {"size": f"{upload.size / 1048576:.1f}", "max": MAX_FILE_BYTES // 1048576}
            )
        return upload

    def clean_term(self):
        raw = self.cleaned_data["term"]
        try:
            start, end = term_parse_code(raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        code = f"{start}-{end}"
        if not self.may_create_term and code not in self.terms:
            raise forms.ValidationError(_("Hãy chọn một nhiệm kỳ trong danh sách."))
        return code


def _importable_terms(user) -> tuple[bool, list[str]]:
    """Whether `user` may create terms, and the terms they may import into."""
    may_create_term = may_set_up_terms(user)
    if may_create_term:
        return True, list(Term.objects.order_by("-start_year").values_list("code", flat=True))
    # … and the term before, where their committee continues one there (its end review is theirs
    # to write: indicators.access.can; the rows of other stages are refused row by row).
    own = Q(committees__roles__user=user, committees__roles__role=RoleKind.SECRETARY)
    predecessor = Q(
        committees__successor_links__committee__roles__user=user,
        committees__successor_links__committee__roles__role=RoleKind.SECRETARY,
    )
    return False, list(
        Term.objects.filter(own | predecessor)
        .order_by("-start_year")
        .values_list("code", flat=True)
        .distinct()
    )


def _queued(request, context: dict[str, Any], **job) -> HttpResponse:
    """Queue a big workbook for the worker and send the user to its waiting page (303)."""
    try:
        queued = workbook_import_queue(
            user=request.user, language=translation.get_language() or settings.LANGUAGE_CODE, **job
        )
    except ImportQueueFull as exc:
        context.update(pending=exc.pending, waiting=exc.waiting, refresh_seconds=QUEUE_FULL_REFRESH_SECONDS)
        response = render(request, "reviews/workbook_import_queue_full.html", context, status=429)
        response["Retry-After"] = str(QUEUE_FULL_REFRESH_SECONDS)
        return response
    return redirect(reverse("workbook_import_job", args=[queued.token]), permanent=False)


@login_required
def workbook_import_page(request):
    user = request.user
    may_create_term, terms = _importable_terms(user)
    allowed = may_create_term or bool(terms)
    context: dict[str, Any] = {
        "allowed": allowed,
        "may_create_term": may_create_term,
        "max_mb": MAX_FILE_BYTES // 1048576,
    }
    if not allowed:
        # Nothing about terms or committees for a user who may not import anything.
        return render(request, "reviews/workbook_import.html", context)
    make_form = partial(ImportForm, terms=terms, may_create_term=may_create_term)
    context["pending_minutes"] = PENDING_SECONDS // 60
    if request.method == "POST" and request.POST.get("action") == "import_checked":
        # The file kept by “Chỉ kiểm tra”: imported without a second upload.
        form = make_form()
        pending = checked_workbook_take(user=user, token=request.POST.get("pending", ""))
        if pending is None or (not may_create_term and pending.term_code not in terms):
            context["pending_gone"] = True
        elif runs_in_background(len(pending.data)):
            # Taken from the checked uploads, kept in the queued import until it is applied.
            return _queued(
                request,
                context,
                data=pending.data,
                filename=pending.filename,
                term_code=pending.term_code,
                dry_run=False,
            )
        else:
            result = workbook_import(
                data=pending.data, term_code=pending.term_code, by=user, filename=pending.filename
            )
            context.update(result=result, filename=pending.filename)
            form = make_form(initial={"term": result.term_code})
    elif request.method == "POST":
        form = make_form(request.POST, request.FILES)
        if form.is_valid():
            dry_run = request.POST.get("action") != "import"
            upload = form.cleaned_data["file"]
            data = upload.read()
            if runs_in_background(len(data)):
                return _queued(
                    request,
                    context,
                    data=data,
                    filename=upload.name,
                    term_code=form.cleaned_data["term"],
                    dry_run=dry_run,
                )
            result = workbook_import(
                data=data, term_code=form.cleaned_data["term"], by=user, dry_run=dry_run, filename=upload.name
            )
            context.update(result=result, filename=upload.name)
            if dry_run and result.ok:
                context["pending"] = checked_workbook_keep(
                    user=user, data=data, filename=upload.name, term_code=result.term_code
                )
            if result.stored:
                form = make_form(initial={"term": result.term_code})
    else:
        form = make_form()
    context["form"] = form
    return render(request, "reviews/workbook_import.html", context, status=200)


@login_required
def workbook_import_job(request, token):
    """A background import's page: its progress while it runs, then its result (as the upload page
    shows a small workbook's). Only the user who uploaded it sees it; a GET writes nothing."""
    job = workbook_import_of(user=request.user, token=token)
    if job is None:
        raise Http404
    again = request.path
    if request.method == "POST" and request.POST.get("action") == "retry":
        try:
            workbook_import_retry(user=request.user, job=job)
        except ImportQueueFull as exc:
            full = {
                "pending": exc.pending,
                "waiting": exc.waiting,
                "refresh_seconds": QUEUE_FULL_REFRESH_SECONDS,
            }
            response = render(request, "reviews/workbook_import_queue_full.html", full, status=429)
            response["Retry-After"] = str(QUEUE_FULL_REFRESH_SECONDS)
            return response
        return redirect(again)
    context: dict[str, Any] = {"job": job, "again_url": again, "refresh_seconds": REFRESH_SECONDS}
    orphaned = orphaned_because(job)
    if job.state == ImportState.FAILED or orphaned:
        context.update(orphaned=orphaned, reasons=Orphaned)
        response = render(request, "reviews/workbook_import_failed.html", context, status=503)
        response["Retry-After"] = "60"
        return response
    if job.state == ImportState.PENDING:
        context["percent"] = min(100, job.rows_done * 100 // job.rows_total) if job.rows_total else 0
        return render(request, "reviews/workbook_import_waiting.html", context, status=202)
    may_create_term, terms = _importable_terms(request.user)
    result = result_from_json(job.result or {})
    form = ImportForm(terms=terms, may_create_term=may_create_term, initial={"term": result.term_code})
    context.update(
        allowed=True,
        may_create_term=may_create_term,
        max_mb=MAX_FILE_BYTES // 1048576,
        pending_minutes=PENDING_SECONDS // 60,
        result=result,
        filename=job.filename,
        pending=job.pending_token,
        form=form,
    )
    return render(request, "reviews/workbook_import.html", context)


urlpatterns = [
    path("committees/<str:code>/workbook.xlsx", workbook_xlsx, name="workbook_xlsx"),
    path("committees/<str:code>/workbook/draft.xlsx", workbook_draft, name="workbook_draft"),
    path("import/", workbook_import_page, name="workbook_import"),
    path("import/template.xlsx", workbook_template, name="workbook_template"),
    path("import/jobs/<str:token>/", workbook_import_job, name="workbook_import_job"),
]
