"""`export_workbook CODE --term 2020-2025 [--stage end] -o FILE.xlsx`: the workbook of a committee and
its subtree, with the judgements of the mid-term review (default) or of the end of the term."""

from django.core.management.base import BaseCommand, CommandError

from indicators.management.lookup import find_committee, review_arguments
from indicators.models import Stage
from indicators.tally import Tally
from reviews.workbook.exporter import workbook_export


class Command(BaseCommand):
    help = "Writes the review workbook (.xlsx) of committee CODE and every committee below it."

    def add_arguments(self, parser):
        review_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args, code, term, output, stage=Stage.MID, **options):
        committee = find_committee(code=code, term_code=term)
        if stage == Stage.END and not Tally.of_committee(committee, Stage.END).total:
            raise CommandError(f"{committee.code}: the end-of-term review is not open (open_stage first)")
        data = workbook_export(committee=committee, stage=stage)
        try:
            with open(output, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(f"{output}: {committee.name} ({committee.code}), {len(data):,} bytes")
