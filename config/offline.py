"""The phone's offline entry (issue 31): the web app manifest, the service worker, the offline page,
and the header that lets the service worker keep a page for the signed-in user only.

The service worker is a static file (static/js/sw.js) served at /sw.js, so its scope is the whole
site; this module prepends what it must know from the server: the hashed URLs of the static files
a kept page needs, and a version that changes whenever they or the worker do."""

import hashlib
import json
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# The response header naming whose page this is; the service worker keeps a page only with it.
USER_HEADER = "X-Offline-User"

# What every kept page loads: cached when the worker installs, so a page opens offline complete.
PRECACHED_STATIC = ["css/site.css", "css/assess.css", "js/site.js", "favicon.ico", "icons/icon.svg"]


def offline_key(user) -> str:
    """An opaque per-user name for the device's cache: neither the username nor the id shows in it,
    and it is stable across logins (edits kept on the device outlive a session)."""
    return salted_hmac("config.offline.user", str(user.pk)).hexdigest()[:24]


def kept_offline(view):
    """Mark a GET page the service worker may keep on the device for its signed-in user."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200 and request.user.is_authenticated:
            response[USER_HEADER] = offline_key(request.user)
        return response

    return wrapper


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    # start_url "/": it already sends each user to their own committee, and the worker keeps that
    # redirect per user, so the same manifest serves everyone and opens offline too.
    data = {
        "name": "Sơ kết",
        "short_name": "Sơ kết",
        "description": "Sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội",
        "lang": "vi",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#a3161a",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@cache
def _worker_source() -> str:
    found = finders.find("js/sw.js")
    if not isinstance(found, str):
        raise ImproperlyConfigured("static/js/sw.js is missing: the service worker cannot be served")
    return Path(found).read_text(encoding="utf-8")


def worker_config() -> dict[str, object]:
    languages = [code for code, _name in settings.LANGUAGES]
    precache = [static(name) for name in PRECACHED_STATIC]
    offline = {code: f"{reverse('offline_page')}?lang={code}" for code in languages}
    version = hashlib.sha256(
        json.dumps([precache, offline, _worker_source()], sort_keys=True).encode()
    ).hexdigest()[:12]
    return {
        "version": version,
        "precache": precache,
        "offline": offline,
        "language": settings.LANGUAGE_CODE,
        # Hashed names (production's manifest storage) never change content: served from the device.
        "hashedStatic": not precache[0].endswith("/" + PRECACHED_STATIC[0]),
        "userHeader": USER_HEADER,
        "logout": reverse("logout"),
    }


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    body = f"var CONFIG = {json.dumps(worker_config())};\n{_worker_source()}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Always asked again (browsers cap it at a day anyway): a fixed worker reaches every phone.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What a page never opened online shows offline. The same for every user (no name, no form):
    the worker keeps one copy per language at install, shared by whoever uses the phone."""
    supported = {code for code, _name in settings.LANGUAGES}
    language = request.GET.get("lang")
    with translation.override(language if language in supported else translation.get_language()):
        html = render_to_string("offline.html", {"LANGUAGE_CODE": translation.get_language()})
    response = HttpResponse(html)
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns = [
    path("manifest.webmanifest", manifest, name="manifest"),
    path("sw.js", service_worker, name="service_worker"),
    path("offline/", offline_page, name="offline_page"),
]
