"""The site's own middleware: a lost database gives a 503 page; what a user sees is never cached."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import has_vary_header, patch_cache_control

logger = logging.getLogger("config.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response() -> HttpResponse:
    # Rendered without the request: no context processor may touch the missing database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 when a view (or its template) hits a database that has gone away.

    Recovery needs nothing here: Django closes an unusable connection at the end of the
    request, and CONN_HEALTH_CHECKS makes the next request open a fresh one once the
    server is back. config.views.server_error covers errors raised outside views.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable on %s", request.path, exc_info=exception)
            return database_unavailable_response()
        return None


class PrivateResponseMiddleware:
    """`Cache-Control: private, no-store` on every answer that depends on who asks.

    Such an answer is one whose request read the session (every page behind the login, the
    login page itself, JSON, workbooks, PDFs, exports) or that varies on the cookie (a CSRF
    token): no shared proxy may keep it, and no browser may show it again from its history on
    a shared office computer after its user logged out. Static files and /healthz are left
    cacheable. Placed outside SessionMiddleware, so it sees the session's own Vary header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (session is not None and session.accessed) or has_vary_header(response, "Cookie"):
            patch_cache_control(response, private=True, no_store=True)
        return response
