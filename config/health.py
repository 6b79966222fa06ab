"""Health for load balancers and monitors (../shared/spec/interfaces.md, "Health").

`/healthz`: "ok" when the database answers one query, 503 otherwise.
`/healthz/ready`: JSON with the database, the cache, the worker and the queue; 503 when a part is down
or the oldest queued task has waited longer than HEALTH_QUEUE_MAX_WAIT.
`/healthz/auth`: the same as `/healthz` for a signed-in session.

The first two are answered by HealthCheckMiddleware, the first middleware of all: before
ALLOWED_HOSTS is checked (a load balancer probes by IP, and Django would answer 400 and log a
traceback per probe), before the https redirect (probes speak plain http), with no session."""

import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

from .middleware import DATABASE_ERRORS, RETRY_AFTER_SECONDS
from .workers import unserved_queues, uses_database_queue

logger = logging.getLogger("config.database")

OK = "ok"
DOWN = "down"


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


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS:
        logger.warning("healthz/ready: the database does not answer", exc_info=True)
        return DOWN
    return OK


def _cache() -> str:
    # A write and a read back: a Redis that accepts connections but refuses writes (out of memory
    # with noeviction, a read-only replica) is down for us too.
    cache = caches["default"]
    token = timezone.now().isoformat()
    try:
        cache.set("healthz:probe", token, timeout=60)
        if cache.get("healthz:probe") != token:
            return DOWN
    except Exception:  # any backend's connection error: the cache is down, the probe says so
        logger.warning("healthz/ready: the cache does not answer", exc_info=True)
        return DOWN
    return OK


def _worker() -> str:
    """ "ok" when, for every queue (reports, e-mails), some worker's heartbeat row
    (config.models.WorkerHeartbeat) is recent (config.workers)."""
    if not uses_database_queue():
        return OK  # tasks run in the request (tests, a dummy backend): there is no worker to miss
    try:
        return DOWN if unserved_queues(within=settings.WORKER_HEARTBEAT_STALE) else OK
    except DATABASE_ERRORS:
        return DOWN


def _queue() -> dict | None:
    """Tasks ready to run now (not scheduled for later) and how long the oldest has waited."""
    if not uses_database_queue():
        return {"pending": 0, "oldest_s": 0}
    from django.db.models import Count, Min
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    try:
        # The library's own "ready": queued, and not held back by a run_after still to come.
        found = DBTaskResult.objects.ready().aggregate(pending=Count("id"), oldest=Min("enqueued_at"))
    except DATABASE_ERRORS:
        return None
    oldest = found["oldest"]
    return {
        "pending": found["pending"],
        "oldest_s": max(0, round((now - oldest).total_seconds())) if oldest else 0,
    }


def healthz_ready(request):
    database = _database()
    body: dict = {
        "database": database,
        "cache": _cache(),
        "worker": _worker() if database == OK else DOWN,
        "queue": _queue() if database == OK else None,
    }
    queue = body["queue"]
    healthy = (
        all(body[part] == OK for part in ("database", "cache", "worker"))
        and queue is not None
        and queue["oldest_s"] <= settings.HEALTH_QUEUE_MAX_WAIT
    )
    response = HttpResponse(json.dumps(body), content_type="application/json", status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


# The paths answered before anything else (exact: /healthz/ still goes through the site, and is
# redirected to https like every other page).
HEALTH_VIEWS = {"/healthz": healthz, "/healthz/ready": healthz_ready}


class HealthCheckMiddleware:
    """Answers /healthz and /healthz/ready before any other middleware runs: no Host check, no
    https redirect, no session, no request log line (a probe every few seconds would drown it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = HEALTH_VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)


@never_cache
@login_required
def healthz_auth(request):
    """`/healthz/auth`: "ok" for a signed-in user, the login page otherwise. The cheapest signed-in
    request: the session and the user, nothing else (two queries, no template) — for a monitor
    signed in with a probe account to check the session store and the user lookup every page
    stands on, and the bench's yardstick for the dashboard's throughput."""
    return HttpResponse("ok", content_type="text/plain")
