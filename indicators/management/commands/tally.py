"""Print a committee's own tally sentence, or the rollup as JSON (the API's shape)."""

import json

from django.core.management.base import BaseCommand, CommandError

from indicators.models import Committee, Term
from indicators.selectors import committee_by_code, committee_rollup
from indicators.services import term_parse_code


class Command(BaseCommand):
    help = "Prints the committee's own tally, e.g. 54/66 chỉ tiêu có khả năng đạt và vượt; …"

    def add_arguments(self, parser):
        parser.add_argument("code", help="committee code, e.g. BK")
        parser.add_argument("--term", required=True, help="term, e.g. 2020-2025")
        parser.add_argument("--json", action="store_true", help="print the rollup as JSON")

    def handle(self, *args, code, term, json: bool, **options):
        committee = find_committee(code=code, term_code=term)
        rollup = committee_rollup(committee=committee)
        if json:
            self.stdout.write(_dumps(rollup.as_json()))
        else:
            self.stdout.write(rollup.own.sentence())


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def find_committee(*, code: str, term_code: str) -> Committee:
    """Committee by code and term, or a one-line CommandError (exit 1, no traceback)."""
    try:
        start, end = term_parse_code(term_code)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    try:
        term = Term.objects.get(code=f"{start}-{end}")
    except Term.DoesNotExist:
        raise CommandError(f"Không có nhiệm kỳ {start}-{end} (unknown term).") from None
    try:
        return committee_by_code(code=code, term=term)
    except Committee.DoesNotExist:
        raise CommandError(
            f"Không có đơn vị mã {code} trong nhiệm kỳ {term.code} (unknown committee code)."
        ) from None
