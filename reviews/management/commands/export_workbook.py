"""`export_workbook CODE --term 2020-2025 -o FILE.xlsx`: the workbook of a committee and its subtree."""

from django.core.management.base import BaseCommand, CommandError

from indicators.management.lookup import find_committee
from reviews.workbook.exporter import workbook_export


class Command(BaseCommand):
    help = "Writes the review workbook (.xlsx) of committee CODE and every committee below it."

    def add_arguments(self, parser):
        parser.add_argument("code", help="committee code, e.g. BK-CD")
        parser.add_argument("--term", required=True, help="the term, e.g. 2020-2025")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args, code, term, output, **options):
        committee = find_committee(code=code, term_code=term)
        data = workbook_export(committee=committee)
        try:
            with open(output, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"{output}: {committee.name} ({committee.code}), {len(data):,} bytes")
