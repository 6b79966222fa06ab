"""`/committees/<CODE>/`: the committee's rollup dashboard."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from indicators.models import Indicator
from indicators.selectors import committee_rollup

from .common import committee_from_request


@login_required
def dashboard(request, code):
    committee = committee_from_request(request, code)
    rollup = committee_rollup(committee=committee)
    indicators = Indicator.objects.of_committee(committee).for_assessment_form()
    return render(
        request,
        "reviews/dashboard.html",
        {"committee": committee, "term": committee.term, "rollup": rollup, "indicators": indicators},
    )


urlpatterns = [path("committees/<str:code>/", dashboard, name="dashboard")]
