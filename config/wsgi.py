"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def _refuse_unapplied_migrations() -> None:
    # New code on the old schema would answer a login with a 500: refuse to serve instead, with one
    # line and the code gunicorn reads as "App failed to load" (its master stops, no boot loop).
    from django.conf import settings

    from config.startup import unapplied_migrations_message

    if not settings.MIGRATION_CHECK:
        return
    message = unapplied_migrations_message()
    if message:
        print(message, file=sys.stderr)
        raise SystemExit(settings.SETTINGS_ERROR_EXIT)


_refuse_unapplied_migrations()
