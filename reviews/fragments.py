"""Rendered fragments of the dashboards (children table, charts, indicator tables, campaign panel),
cached where the cache is exact.

A fragment's key is a digest of everything it shows, taken from data the page has already loaded
for its own reads: the rows themselves (every column of the committees, indicators, resolutions and
assessments a fragment draws, so a rename, a saved note or a new yearly value changes it), the
review states, the language and time zone, the query string (sorting, filters), what the user may
do on the committee, and the digest of the code that renders it (reviews.code_digest, shared
with the report files). So a hit costs no query the page would not run anyway, and any change shows on the
very next request: nothing is ever invalidated, a changed input simply makes another key. The
timeout only keeps memory in check; correctness never depends on it.

The cache is the `fragments` alias (config/settings.py: local memory, or Redis with CACHE_URL). It
holds nothing that matters: when it fails (Redis down) the page renders the fragment itself, logs
one warning, and leaves the cache alone for a few seconds before trying again.
"""

import dataclasses
import hashlib
import logging
import operator
import time
from collections.abc import Callable
from functools import cache
from typing import Any

from django.core.cache import caches
from django.db.models import Model
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from indicators.access import Action, AnyUser, can
from indicators.models import Committee

from .code_digest import code_digest

log = logging.getLogger(__name__)

ALIAS = "fragments"
# After a cache failure the page stops asking the cache for this many seconds (per process), so a
# Redis that hangs or refuses costs one failed round trip, not one per fragment per request.
RETRY_AFTER = 5.0
_down_until = 0.0


def values(obj: Model) -> tuple:
    """Every stored column of a loaded row, as the fragment's fingerprint of it (no query)."""
    return _columns_of(type(obj))(obj)


@cache
def _columns_of(model: type[Model]) -> Callable[[Model], tuple]:
    # One C-level getter of every column (a page fingerprints some forty rows on every request).
    names = [f.attname for f in model._meta.concrete_fields]
    if len(names) == 1:
        return lambda obj: (getattr(obj, names[0]),)
    return operator.attrgetter(*names)


def fields(obj: Any) -> tuple:
    """A dataclass's field values, shallow (dataclasses.astuple deep-copies each one: 0.3 ms a page)."""
    return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))


def permission_class(user: AnyUser, committee: Committee) -> str:
    """What the user may do on the committee (the access rule on roles already read: no query)."""
    allowed = [action.value for action in Action if can(user, committee, action)]
    return ",".join(allowed) + (":staff" if user.is_staff else "") + (":su" if user.is_superuser else "")


def fragment_key(name: str, *parts: Any) -> str:
    """The cache key of fragment `name` drawn from `parts` in the current language and time zone."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr((get_language(), timezone.get_current_timezone_name(), parts)).encode())
    return f"frag:{code_digest()}:{name}:{digest.hexdigest()}"


def request_parts(request) -> tuple[str, str]:
    """The path and the raw query string: sort links and filters are built from them."""
    return request.path, request.META.get("QUERY_STRING", "")


def _cache_usable() -> bool:
    return time.monotonic() >= _down_until


def _failed(what: str, error: Exception) -> None:
    global _down_until
    _down_until = time.monotonic() + RETRY_AFTER
    log.warning("fragment cache %s failed (%s: %s); rendering without it", what, type(error).__name__, error)


def cached(key: str, render: Callable[[], str]) -> SafeString:
    """The fragment stored under `key`, or `render()` stored there; a failing cache only renders."""
    store = caches[ALIAS]
    if _cache_usable():
        try:
            hit = store.get(key)
        except Exception as error:  # noqa: BLE001 -- any cache failure degrades to rendering
            _failed("read", error)
        else:
            if hit is not None:
                return mark_safe(hit)  # noqa: S308 -- only ever our own rendered, escaped HTML
    html = str(render())
    if _cache_usable():
        try:
            store.set(key, html)
        except Exception as error:  # noqa: BLE001
            _failed("write", error)
    return mark_safe(html)  # noqa: S308 -- rendered by our templates, escaped there
