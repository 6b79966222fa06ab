"""`/healthz`: a trivial liveness answer for load balancers (no session, no database)."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
