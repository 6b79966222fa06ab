#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

# `make run` leaves this file in a developer's checkout: there, commands run with DEBUG=1 (and so
# the development key) unless the environment says otherwise. A production machine never runs
# `make run`, so it never has the file, and there a missing SECRET_KEY still stops every command.
DEV_MARKER = Path(__file__).resolve().parent / "var" / "DEVELOPMENT"


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if DEV_MARKER.exists() and "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DEBUG", "1")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.SECRET_KEY  # noqa: B018 -- reads the settings: a configuration error is one line, not a traceback
    except ImproperlyConfigured as exc:
        sys.exit(f"manage.py: {exc}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
