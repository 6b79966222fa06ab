"""Reads that may lag go to a streaming replica (DATABASE_REPLICA_URL), everything else to the primary.

Which reads may lag is decided per page, not per query: the pages named in REPLICA_READ_VIEWS
(dashboards, the campaign's tables, exports, the JSON APIs) read from the replica; every other page,
every write and every transaction's read-before-write reads from the primary. A user who has just
written (any POST, PUT, PATCH, DELETE) reads from the primary for REPLICA_PIN_SECONDS afterwards, by
a cookie set on the write's answer: the writer sees their own change at once, whatever the
replica's lag; everybody else sees it once the replica has replayed it (normally well under a
second). Sessions, accounts, login attempts, the task queue, the workers' heartbeats and the report
files always come from the primary: a session written a moment ago must be found, and those tables
are written by the very requests that read them.

A replica that does not answer is skipped for that request (logged), not a 503: the primary can
serve every read. Without DATABASE_REPLICA_URL nothing here runs (no router is installed)."""

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError

logger = logging.getLogger("config.database")

REPLICA = "replica"
PIN_COOKIE = "soket_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Tables read by the requests that write them, or whose lag would lose something: always the primary.
PRIMARY_ONLY_APPS = {"admin", "auth", "axes", "config", "contenttypes", "django_tasks_db", "sessions"}
# Roles too: an access decision never rests on a lagging copy (a role just revoked).
PRIMARY_ONLY_MODELS = {
    "indicators.role",
    "reviews.renderedreport",
    "reviews.checkedworkbook",
    # Written by the worker, read by the waiting page right after the upload's redirect.
    "reviews.workbookimport",
    "reviews.userlanguage",
}

_reads_from: ContextVar[str] = ContextVar("soket_reads_from", default=DEFAULT_DB_ALIAS)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Django's database router (DATABASE_ROUTERS, set only when DATABASE_REPLICA_URL is)."""

    def db_for_read(self, model, **hints):
        if _reads_from.get() != REPLICA:
            return DEFAULT_DB_ALIAS
        meta = model._meta
        if meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica replays the primary's migrations


def pinned_to_primary(request) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


def _replica_answers() -> bool:
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        logger.warning("the replica does not answer: reading from the primary", exc_info=True)
        return False
    return True


class ReplicaReadsMiddleware:
    """Chooses the database a page reads from (after authentication, so a user is known), and pins
    a writer to the primary for REPLICA_PIN_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        request._replica_token = None
        try:
            response = self.get_response(request)
        finally:
            token = request._replica_token
            if token is not None:
                _reads_from.reset(token)
        if request.method not in SAFE_METHODS:
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=max(1, round(seconds)),
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured() or request.method not in SAFE_METHODS:
            return None
        match = request.resolver_match
        if match is None or match.url_name not in settings.REPLICA_READ_VIEWS:
            return None
        if pinned_to_primary(request) or not _replica_answers():
            return None
        request._replica_token = _reads_from.set(REPLICA)
        return None
