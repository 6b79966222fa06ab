"""The review's workflow steps (POST only) and an indicator's page with its history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from indicators.access import Action
from indicators.models import AssessmentChange, Indicator

from ..forms.workflow import ReasonForm
from ..selectors import review_of
from ..services import WorkflowError, review_approve, review_reopen, review_return, review_submit
from .common import committee_from_request

DONE = {
    "submit": gettext_lazy("Đã gửi báo cáo sơ kết lên cấp trên."),
    "approve": gettext_lazy("Đã phê duyệt báo cáo sơ kết."),
    "return": gettext_lazy("Đã trả lại báo cáo sơ kết để sửa."),
    "reopen": gettext_lazy("Đã mở lại báo cáo sơ kết để sửa."),
}


def _step(request, code, action: Action, step: str, service, *, reason: ReasonForm | None = None):
    committee = committee_from_request(request, code, action)
    if reason is not None and not reason.is_valid():
        for message in reason.errors["reason"]:
            messages.error(request, message)
    else:
        kwargs = {"reason": reason.cleaned_data["reason"]} if reason is not None else {}
        try:
            service(committee=committee, by=request.user, **kwargs)
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, str(DONE[step]))
    return redirect(f"{reverse('dashboard', args=[committee.code])}?term={committee.term.code}")


@login_required
@require_POST
def submit(request, code):
    return _step(request, code, Action.SUBMIT, "submit", review_submit)


@login_required
@require_POST
def approve(request, code):
    return _step(request, code, Action.APPROVE, "approve", review_approve)


@login_required
@require_POST
def return_(request, code):
    return _step(request, code, Action.APPROVE, "return", review_return, reason=ReasonForm(request.POST))


@login_required
@require_POST
def reopen(request, code):
    return _step(request, code, Action.APPROVE, "reopen", review_reopen, reason=ReasonForm(request.POST))


@login_required
def indicator_detail(request, code, pk):
    committee = committee_from_request(request, code)
    indicator = get_object_or_404(
        Indicator.objects.of_committee(committee).select_related(
            "resolution", "assessment", "assessment__updated_by"
        ),
        pk=pk,
    )
    changes = AssessmentChange.objects.filter(assessment__indicator=indicator).select_related("changed_by")
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
