"""`/api/committees/<CODE>/tally/`: the rollup as JSON (interfaces.md), from the same selector as the page."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from indicators.selectors import committee_rollup

from .common import committee_from_request


@require_GET
@login_required
def api_tally(request, code):
    committee = committee_from_request(request, code)
    return JsonResponse(
        committee_rollup(committee=committee).as_json(), json_dumps_params={"ensure_ascii": False}
    )


urlpatterns = [path("api/committees/<str:code>/tally/", api_tally, name="api_tally")]
