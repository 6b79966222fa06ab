"""`manage.py check_migrations`: exit 4 with one line when the database lacks a migration.

Run before the web server and the worker start (the systemd units' ExecStartPre, `make serve`):
new code on the old schema must not serve (a login would fail with a 500), and the line says the
one thing to do. config/wsgi.py runs the same check when gunicorn loads the app."""

from django.core.management.base import BaseCommand

from config.startup import unapplied_migrations_message


class Command(BaseCommand):
    help = "Exits with code 4 and one line when migrations are not applied (`migrate` first)."
    requires_system_checks: list = []

    def handle(self, *args, **options) -> None:
        message = unapplied_migrations_message()
        if message:
            self.stderr.write(message)
            raise SystemExit(4)
        if options["verbosity"] > 1:
            self.stdout.write("every migration is applied")
