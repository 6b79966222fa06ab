"""Print a committee's indicators with their results over time and suggested status, or the API's JSON."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from indicators.management.lookup import find_committee
from indicators.models import Status
from indicators.selectors import indicators_json


class Command(BaseCommand):
    help = "Lists the committee's indicators with yearly results and the suggested status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="committee code, e.g. BK")
        parser.add_argument("--term", required=True, help="term, e.g. 2020-2025")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the API's JSON")

    def handle(self, *args: Any, code: str, term: str, as_json: bool, **options: Any) -> None:
        data = indicators_json(committee=find_committee(code=code, term_code=term))
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for row in data["indicators"]:
            years = ", ".join(
                f"{y}{' (ước)' if v['estimate'] else ''}: {v['value']}" for y, v in row["years"].items()
            )
            suggested = row["suggested_status"]
            line = f"{row['resolution']} {row['number']}. {row['text']} — {Status(row['status']).label}"
            if suggested:
                line += f" (gợi ý: {Status(suggested).label}{', cần giải trình' if row['disagrees'] else ''})"
            if years:
                line += f" [{years}]"
            self.stdout.write(line)
