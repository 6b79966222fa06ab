"""Site-wide error views."""

import sys

from django.views.defaults import server_error as django_server_error

from .middleware import DATABASE_ERRORS, database_unavailable_response


def server_error(request, template_name="500.html"):
    """500, except a lost database (raised outside a view, e.g. in a middleware) gives 503."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response()
    return django_server_error(request, template_name=template_name)
