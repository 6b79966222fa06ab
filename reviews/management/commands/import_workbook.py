"""`import_workbook FILE.xlsx --term 2020-2025 [--dry-run]`: the workbook import from the command line."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reviews.workbook.services import workbook_import


class Command(BaseCommand):
    help = (
        "Imports a review workbook (.xlsx) into a term; all or nothing. A new term is created from its years."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--term", required=True, help="the term, e.g. 2020-2025")
        parser.add_argument("--dry-run", action="store_true", help="check and report, store nothing")
        parser.add_argument("--user", help="username recorded in the history as the importer (optional)")

    def handle(self, *args, file, term, dry_run, user, **options):
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"no user named {user!r}")
        try:
            with open(file, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        result = workbook_import(data=data, term_code=term, by=by, dry_run=dry_run, filename=file)
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if result.errors:
            for problem in result.errors:
                self.stderr.write(str(problem))
            if result.errors_more:
                self.stderr.write(result.more_errors())
            raise CommandError(f"{result.error_count} error(s); nothing was stored.", returncode=1)
        self.stdout.write(result.summary())
