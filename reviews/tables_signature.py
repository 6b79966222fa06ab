"""django-tables2 asks `inspect.signature` which arguments a column's render method takes, once for
every cell (`django_tables2.utils.signature`, not cached): about a tenth of a dashboard's CPU
whenever its cached fragments are cold. A function's parameters do not change while the process
runs, so the answer is kept per function, and per whether it came bound (a bound method's first
parameter is not asked for). Other callables are asked every time."""

import inspect

from django_tables2 import utils

_asked = utils.signature
_kept: dict[tuple[object, bool], tuple[tuple[str, ...], str | None]] = {}
# Functions made afresh at run time would each add a key: past this many, start again.
KEPT_AT_MOST = 1024


def signature(fn) -> tuple[tuple[str, ...], str | None]:
    """django-tables2's answer for `fn`: (argument names, the name of its **kwargs or None)."""
    if inspect.ismethod(fn) and inspect.isfunction(fn.__func__):
        key = (fn.__func__, True)
    elif inspect.isfunction(fn):
        key = (fn, False)
    else:
        return _asked(fn)
    found = _kept.get(key)
    if found is None:
        if len(_kept) >= KEPT_AT_MOST:
            _kept.clear()
        found = _kept[key] = _asked(fn)
    return found


def install() -> None:
    """Called once, from the app's ready(): call_with_appropriate looks the name up at each call."""
    utils.signature = signature
