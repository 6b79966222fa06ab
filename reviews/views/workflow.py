"""The review's workflow steps (POST; sending is confirmed on a page first) and an indicator's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from indicators.access import Action
from indicators.models import AssessmentChange, Indicator

from ..selectors import review_checklist, review_of
from ..services import WorkflowError, review_approve, review_reopen, review_return, review_submit
from .common import committee_from_request

DONE = {
    "submit": gettext_lazy("Đã gửi báo cáo sơ kết lên cấp trên."),
    "approve": gettext_lazy("Đã phê duyệt báo cáo sơ kết."),
    "return": gettext_lazy("Đã trả lại báo cáo sơ kết để sửa."),
    "reopen": gettext_lazy("Đã mở lại báo cáo sơ kết để sửa."),
}


def _step(request, code, action: Action, step: str, service, **kwargs):
    committee = committee_from_request(request, code, action)
    try:
        service(committee=committee, by=request.user, **kwargs)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(DONE[step]))
    return redirect(f"{reverse('dashboard', args=[committee.code])}?term={committee.term.code}")


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, code):
    """GET (or a POST without `confirm`): what sending means and what is still missing; POST confirm=1 sends.

    Sending makes the review read-only, so it is never one click away from a page that holds
    other input: the dashboard links here, the assessment page saves first and then comes here."""
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return _step(request, code, Action.SUBMIT, "submit", review_submit)
    committee = committee_from_request(request, code, Action.SUBMIT)
    review = review_of(committee=committee)
    return render(
        request,
        "reviews/submit_confirm.html",
        {
            "committee": committee,
            "term": committee.term,
            "review": review,
            "checklist": [
                (item.message, item.url(committee))
                for item in (
                    review_checklist(committee=committee, review=review) if review.is_editable else []
                )
            ],
        },
    )


@login_required
@require_POST
def approve(request, code):
    return _step(request, code, Action.APPROVE, "approve", review_approve)


@login_required
@require_POST
def return_(request, code):
    return _step(
        request, code, Action.APPROVE, "return", review_return, reason=request.POST.get("reason", "")
    )


@login_required
@require_POST
def reopen(request, code):
    return _step(
        request, code, Action.APPROVE, "reopen", review_reopen, reason=request.POST.get("reason", "")
    )


@login_required
def indicator_detail(request, code, pk):
    committee = committee_from_request(request, code)
    indicator = get_object_or_404(
        Indicator.objects.of_committee(committee).select_related(
            "resolution", "assessment", "assessment__updated_by__profile"
        ),
        pk=pk,
    )
    changes = AssessmentChange.objects.filter(assessment__indicator=indicator).select_related(
        "changed_by__profile"
    )
    return render(
        request,
        "reviews/indicator_detail.html",
        {
            "committee": committee,
            "term": committee.term,
            "indicator": indicator,
            "assessment": indicator.assessment,
            "changes": changes,
            "review_state": review_of(committee=committee).state,
        },
    )


urlpatterns = [
    path("committees/<str:code>/review/submit/", submit, name="review_submit"),
    path("committees/<str:code>/review/approve/", approve, name="review_approve"),
    path("committees/<str:code>/review/return/", return_, name="review_return"),
    path("committees/<str:code>/review/reopen/", reopen, name="review_reopen"),
    path("committees/<str:code>/indicators/<int:pk>/", indicator_detail, name="indicator_detail"),
]
