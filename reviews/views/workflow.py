"""The review's workflow steps (POST; sending is confirmed on a page first) and an indicator's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from indicators.access import Action, can, may_set_up_terms
from indicators.lineage import PREDECESSOR_ASSESSMENTS, WITH_PREDECESSOR, baseline_of, term_reference
from indicators.models import Indicator
from indicators.results import Results
from indicators.selectors import indicator_history, indicator_trajectory
from indicators.services.indicators import indicator_adjust_target

from ..forms.workflow import ReasonForm, TargetAdjustmentForm
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


def _indicator_of(committee, pk, stage):
    return get_object_or_404(
        Indicator.objects.of_committee(committee)
        .with_assessment(stage, "updated_by__profile")
        .select_related("resolution__committee__term", *WITH_PREDECESSOR)
        .prefetch_related(PREDECESSOR_ASSESSMENTS),
        pk=pk,
    )


def _indicator_page(request, committee, indicator, *, stage, adjust_form=None, status=200):
    # Every change of its judgement (at this stage) and of what it says (targets, adjusted ones,
    # text …), as lines.
    history = indicator_history(indicator=indicator, stage=stage)
    may_adjust = may_set_up_terms(request.user)
    if may_adjust and adjust_form is None:
        adjust_form = TargetAdjustmentForm(
            initial={
                "target_adjusted": indicator.target_adjusted,
                "target_adjusted_by": indicator.target_adjusted_by,
            }
        )
    return render(
        request,
        "reviews/indicator_detail.html",
        {
            "committee": committee,
            "term": committee.term,
            "indicator": indicator,
            "assessment": indicator.assessment,
            "results": Results.of(indicator.assessment),
            "changes": history.judgements,
            "content_changes": history.content,
            "adjust_form": adjust_form if may_adjust else None,
            "baseline": baseline_of(indicator),
            # The predecessor's years, then its own: the indicator's whole trajectory.
            "trajectory": indicator_trajectory(indicator=indicator),
            "predecessor_ref": term_reference(indicator.predecessor) if indicator.predecessor else "",
            # A link only for those who may open the old committee (the old tree's rule).
            "predecessor_open": indicator.predecessor is not None
            and can(request.user, indicator.predecessor.resolution.committee, Action.VIEW),
            "review_state": review_of(committee=committee, stage=stage).state,
            **stage_context(committee, stage, "dashboard"),
        },
        status=status,
    )


@login_required
def indicator_detail(request, code, pk):
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    return _indicator_page(request, committee, _indicator_of(committee, pk, stage), stage=stage)


@login_required
@require_POST
def indicator_adjust(request, code, pk):
    """Staff set or clear an indicator's adjusted target (indicator_adjust_target refuses others: 403)."""
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    indicator = _indicator_of(committee, pk, stage)
    if not may_set_up_terms(request.user):  # the service refuses too; no form is even read
        raise PermissionDenied(_("Chỉ quản trị viên mới được điều chỉnh mục tiêu."))
    form = TargetAdjustmentForm(request.POST)
    if form.is_valid():
        try:
            indicator_adjust_target(
                indicator=indicator,
                target_adjusted=form.cleaned_data["target_adjusted"],
                adjusted_by=form.cleaned_data["target_adjusted_by"],
                by=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã lưu mục tiêu điều chỉnh."))
            here = reverse("indicator_detail", args=[committee.code, indicator.pk])
            return redirect(f"{here}?term={committee.term.code}#target")
    return _indicator_page(request, committee, indicator, stage=stage, adjust_form=form, status=400)


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
    path("committees/<str:code>/indicators/<int:pk>/target/", indicator_adjust, name="indicator_adjust"),
]
