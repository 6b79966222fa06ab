"""`/healthz`: for load balancers, over plain http too; "ok" when the database answers one query.
`/healthz/auth`: the same for a signed-in session."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from .middleware import DATABASE_ERRORS, RETRY_AFTER_SECONDS

logger = logging.getLogger("config.database")


@never_cache
def healthz(request):
    # No session, no template: one query, so a probe every few seconds costs nothing.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS:
        logger.warning("healthz: the database does not answer", exc_info=True)
        response = HttpResponse("database unavailable", content_type="text/plain", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@login_required
def healthz_auth(request):
    """`/healthz/auth`: "ok" for a signed-in user, the login page otherwise. The cheapest signed-in
    request: the session and the user, nothing else (two queries, no template) — for a monitor
    signed in with a probe account to check the session store and the user lookup every page
    stands on, and the bench's yardstick for the dashboard's throughput."""
    return HttpResponse("ok", content_type="text/plain")
