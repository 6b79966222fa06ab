"""`restore FILE`: brings a `backup` file back into an empty, migrated database (reviews.backup)."""

from django.core.management.base import BaseCommand

from reviews.backup import restore


class Command(BaseCommand):
    help = "Restores a file written by `backup` into an EMPTY database (refuses a non-empty one)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        counts = restore(file)
        self.stdout.write(
            f"Restored from {file}: " + ", ".join(f"{n} {label}" for label, n in counts.items())
        )
