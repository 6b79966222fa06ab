"""Site-wide views: the login page and the error pages."""

import logging
import sys
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.views.defaults import server_error as django_server_error

from .forms import LoginForm
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


def bad_request(request, exception, template_name="400.html"):
    """400 in the site's own page and the user's language (Django's renders it without the request)."""
    return render(request, template_name, status=400)


def is_site_path(url: str) -> bool:
    """A path on this site ("/committees/BK/?term=…"): never a full URL, never "//host" or "/\\host"."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


class LoginView(auth_views.LoginView):
    """Django's login; the page it returns to after login (?next=) is kept only when it is a path
    of this site. Django already drops other hosts; this also drops full URLs to this host and
    anything that is not a path, so the hidden field never echoes more than a site path."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        url = super().get_redirect_url(*args, **kwargs)
        return url if is_site_path(url) else ""
