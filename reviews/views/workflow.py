"""The review's workflow steps (POST only) and an indicator's page with its history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from indicators.models import AssessmentChange, Indicator

from ..forms.workflow import ReasonForm
from ..models import ReviewAction
from ..selectors import review_of
from ..services import WorkflowError, review_step
from ..workflow import TRANSITIONS
from .common import committee_from_request


@login_required
@require_POST
def step(request, code, step: ReviewAction):
    """One workflow step from the panel; who may take it and from where is TRANSITIONS' business."""
    transition = TRANSITIONS[step]
    committee = committee_from_request(request, code, transition.access)
    form = ReasonForm(request.POST)  # bounds the reason; whether one is needed is the service's rule
    if not form.is_valid():
        for message in form.errors["reason"]:
            messages.error(request, str(message))
    else:
        try:
            review_step(committee=committee, step=step, by=request.user, reason=form.cleaned_data["reason"])
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, str(transition.done))
    return redirect(f"{reverse('dashboard', args=[committee.code])}?term={committee.term.code}")


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
    *(path(f"committees/<str:code>/review/{s}/", step, {"step": s}, name=f"review_{s}") for s in TRANSITIONS),
    path("committees/<str:code>/indicators/<int:pk>/", indicator_detail, name="indicator_detail"),
]
