"""Login-attempt limiting glue for django-axes: the client address and the backend."""

import math

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str:
    """The address axes counts failures against.

    Only REMOTE_ADDR, or, when CLIENT_IP_HEADER names the header our own proxy sets, that
    header alone. X-Forwarded-For style lists take the right-most entry: the one our proxy
    appended; anything left of it came from the client and may be forged.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        key = header.upper().replace("-", "_")
        if not key.startswith("HTTP_"):
            key = f"HTTP_{key}"
        value = request.META.get(key, "")
        entries = [part.strip() for part in value.split(",") if part.strip()]
        if entries:
            return entries[-1]
    return request.META.get("REMOTE_ADDR", "")


class AxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check; a call without an HTTP request has no address to limit.

    Only the login view authenticates users here, and it always passes the request. Code
    paths without one (the test client's login(), the shell) have nothing to count per
    address, so they fall through to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (429): what happened and when to try again, in the user's language."""
    cooloff = settings.AXES_COOLOFF_TIME
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": math.ceil(cooloff * 60) if cooloff else None,
        },
        status=429,
    )
