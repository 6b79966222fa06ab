"""Print a committee's own tally sentence, or the rollup as JSON (the API's shape)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from indicators.assignments import assigned_tally
from indicators.management.lookup import find_committee, review_arguments
from indicators.models import Stage
from indicators.selectors import committee_rollup


class Command(BaseCommand):
    help = "Prints the committee's own tally, e.g. 54/66 chỉ tiêu có khả năng đạt và vượt; …"

    def add_arguments(self, parser: CommandParser) -> None:
        review_arguments(parser)
        parser.add_argument("--json", dest="as_json", action="store_true", help="print the rollup as JSON")

    def handle(
        self, *args: Any, code: str, term: str, as_json: bool, stage: str = Stage.MID, **options: Any
    ) -> None:
        committee = find_committee(code=code, term_code=term)
        rollup = committee_rollup(committee=committee, stage=stage)
        assigned = assigned_tally(committee=committee)
        if as_json:
            self.stdout.write(json.dumps(rollup.as_json(assigned=assigned), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(rollup.own.sentence())
            # The indicators assigned from above: a second line, never added to the first.
            if assigned is not None:
                self.stdout.write(assigned.sentence())
