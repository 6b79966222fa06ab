"""`/api/committees/<CODE>/tally/` and `…/indicators/`: interfaces.md's JSON, from the pages' selectors."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from indicators.assignments import assigned_tally
from indicators.selectors import committee_rollup, indicators_json

from .common import committee_from_request, stage_from_request


@require_GET
@login_required
def api_tally(request, code):
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    shape = committee_rollup(committee=committee, stage=stage).as_json(
        assigned=assigned_tally(committee=committee, stage=stage)
    )
    return JsonResponse(shape, json_dumps_params={"ensure_ascii": False})


@require_GET
@login_required
def api_indicators(request, code):
    committee = committee_from_request(request, code)
    return JsonResponse(
        indicators_json(committee=committee, stage=stage_from_request(request)),
        json_dumps_params={"ensure_ascii": False},
    )


urlpatterns = [
    path("api/committees/<str:code>/tally/", api_tally, name="api_tally"),
    path("api/committees/<str:code>/indicators/", api_indicators, name="api_indicators"),
]
