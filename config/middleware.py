"""Losing the database gives a 503 page, not a traceback; the connection heals by itself."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

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
