"""`backup -o FILE [--term T]`: every row needed to rebuild the terms, as Django JSON (reviews.backup)."""

from django.core.management.base import BaseCommand

from reviews.backup import backup_write


class Command(BaseCommand):
    help = (
        "Writes every term (or --term T) with its committees, resolutions, indicators, assessments, "
        "history, reviews and roles, and the users they name, to FILE (JSON; `restore FILE` reads it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="file to write")
        parser.add_argument("--term", action="append", help="only this term, e.g. 2020-2025 (repeatable)")

    def handle(self, *args, output, term, **options):
        counts = backup_write(path=output, term_codes=term)
        self.stdout.write(f"Backup written to {output}: " + ", ".join(f"{n} {label}" for label, n in counts))
