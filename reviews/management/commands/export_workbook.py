"""`export_workbook CODE --term 2020-2025 -o FILE.xlsx`: the workbook of a committee and its subtree."""

from django.core.management.base import BaseCommand, CommandError

from indicators.models import Committee
from indicators.services import term_parse_code
from reviews.workbook.exporter import workbook_export


class Command(BaseCommand):
    help = "Writes the review workbook (.xlsx) of committee CODE and every committee below it."

    def add_arguments(self, parser):
        parser.add_argument("code", help="committee code, e.g. BK-CD")
        parser.add_argument("--term", required=True, help="the term, e.g. 2020-2025")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args, code, term, output, **options):
        try:
            start, end = term_parse_code(term)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        committee = Committee.objects.filter(term__start_year=start, term__end_year=end, code=code).first()
        if committee is None:
            raise CommandError(f"no committee {code!r} in term {start}-{end}")
        data = workbook_export(committee=committee)
        try:
            with open(output, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"{output}: {committee.name} ({committee.code}), {len(data):,} bytes")
