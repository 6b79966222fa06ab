"""The review's workflow steps (POST; sending is confirmed on a page first) and an indicator's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from indicators.models import AssessmentChange, Indicator

from ..forms.workflow import ReasonForm
from ..models import ReviewAction
from ..selectors import review_checklist, review_of, stage_query
from ..services import WorkflowError, review_step
from ..workflow import TRANSITIONS
from .common import committee_from_request, stage_context, stage_from_request


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
            review_step(
                committee=committee,
                step=step,
                by=request.user,
                reason=form.cleaned_data["reason"],
                stage=stage_from_request(request),
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, str(transition.done))
    return redirect(
        f"{reverse('dashboard', args=[committee.code])}?{stage_query(committee, stage_from_request(request))}"
    )


_take_step = step  # the views below name their URL argument `step` too


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, code, step: ReviewAction = ReviewAction.SUBMIT):
    """GET (or a POST without `confirm`): what sending means and what is still missing; POST confirm=1 sends.

    Sending makes the review read-only, so it is never one click away from a page that holds
    other input: the dashboard links here, the assessment page saves first and then comes here."""
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return _take_step(request, code, step)
    committee = committee_from_request(request, code, TRANSITIONS[step].access)
    stage = stage_from_request(request)
    review = review_of(committee=committee, stage=stage)
    missing = review_checklist(committee=committee, review=review) if review.is_editable else []
    return render(
        request,
        "reviews/submit_confirm.html",
        {
            "committee": committee,
            "term": committee.term,
            "review": review,
            "checklist": [(item.message, item.url(committee, stage)) for item in missing],
            **stage_context(committee, stage, "review_submit"),
        },
    )


@login_required
def indicator_detail(request, code, pk):
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    indicator = get_object_or_404(
        Indicator.objects.of_committee(committee)
        .with_assessment(stage, "updated_by__profile")
        .select_related("resolution"),
        pk=pk,
    )
    changes = AssessmentChange.objects.filter(
        assessment__indicator=indicator, assessment__stage=stage
    ).select_related("changed_by__profile")
    return render(
        request,
        "reviews/indicator_detail.html",
        {
            "committee": committee,
            "term": committee.term,
            "indicator": indicator,
            "assessment": indicator.assessment,
            "changes": changes,
            "review_state": review_of(committee=committee, stage=stage).state,
            **stage_context(committee, stage, "dashboard"),
        },
    )


urlpatterns = [
    *(
        path(
            f"committees/<str:code>/review/{s}/",
            submit if s == ReviewAction.SUBMIT else step,
            {"step": s},
            name=f"review_{s}",
        )
        for s in TRANSITIONS
    ),
    path("committees/<str:code>/indicators/<int:pk>/", indicator_detail, name="indicator_detail"),
]
