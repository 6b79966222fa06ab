"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from config.collector import tune_for_serving
from config.warmup import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def _timed_when_asked() -> None:
    # CPU_TIMING=1 (the load test): each answer says the CPU it cost (config/cpu_timing.py).
    global application
    from django.conf import settings

    if settings.CPU_TIMING:
        from config.cpu_timing import timed

        application = timed(application)  # type: ignore[assignment] # a WSGI app as good as Django's


def _refuse_to_serve_a_broken_release() -> None:
    # New code on the old schema would answer a login with a 500, and uncollected static files every
    # page: refuse to serve instead, with one line and the code gunicorn reads as "App failed to
    # load" (its master stops, no boot loop).
    from django.conf import settings

    from config.startup import missing_static_manifest_message, unapplied_migrations_message

    messages = [missing_static_manifest_message()]
    if settings.MIGRATION_CHECK:
        messages.append(unapplied_migrations_message())
    for message in filter(None, messages):
        print(message, file=sys.stderr)
        raise SystemExit(settings.SETTINGS_ERROR_EXIT)


_refuse_to_serve_a_broken_release()
_timed_when_asked()
warm_up()
tune_for_serving()
