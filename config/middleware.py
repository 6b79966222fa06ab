"""The site's own middleware: a lost database gives a 503 page; what a user sees is never cached;
a form too big to read gets the site's own page."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
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


class FormRefusedMiddleware:
    """Answers a POST Django refuses to read (more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS, a body
    over DATA_UPLOAD_MAX_MEMORY_SIZE) with the site's own page, in the user's language, saying what
    happened and that nothing was saved, instead of a bare English "Bad Request (400)".

    The body is read here, after the session, the user and the language are known and before the
    CSRF check reads it anyway; nothing is read for other methods."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 — parsed now, so a refusal is answered here
            except (TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig) as exc:
                logging.getLogger("config.forms").warning("Form refused on %s: %s", request.path, exc)
                return render(
                    request,
                    "400.html",
                    {"too_large": True, "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS},
                    status=400,
                )
        return self.get_response(request)
