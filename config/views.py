"""Site-wide error views."""

import logging
import sys

from django.http import HttpResponseServerError
from django.views.defaults import server_error as django_server_error

from .middleware import DATABASE_ERRORS, database_unavailable_response

logger = logging.getLogger(__name__)

# Served when even the 500 template cannot render (a missing static manifest, a broken
# template): the last answer must never be a traceback.
BARE_500 = (
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi máy chủ</title></head>'
    "<body><h1>Đã có lỗi xảy ra</h1><p>Máy chủ gặp lỗi khi xử lý yêu cầu; vui lòng thử lại sau.</p>"
    '<p lang="en">Something went wrong on the server; please try again later.</p></body></html>'
)


def server_error(request, template_name="500.html"):
    """500, except a lost database (raised outside a view, e.g. in a middleware) gives 503."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response()
    try:
        return django_server_error(request, template_name=template_name)
    except Exception:
        logger.exception("the 500 page itself failed to render")
        return HttpResponseServerError(BARE_500)
