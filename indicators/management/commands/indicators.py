"""Print a committee's indicators with their results over time and suggested status, or the API's JSON."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from indicators.lineage import carried_note
from indicators.management.lookup import find_committee, review_arguments
from indicators.models import Stage, Status
from indicators.selectors import indicators_json, term_by_code


class Command(BaseCommand):
    help = "Lists the committee's indicators with yearly results and the suggested status."

    def add_arguments(self, parser: CommandParser) -> None:
        review_arguments(parser)
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the API's JSON")

    def handle(
        self, *args: Any, code: str, term: str, as_json: bool, stage: str = Stage.MID, **options: Any
    ) -> None:
        committee = find_committee(code=code, term_code=term)
        data = indicators_json(committee=committee, stage=stage)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        start, end = committee.term.start_year, committee.term.end_year
        for row in data["indicators"]:
            self.stdout.write(_line(row, start=start, end=end))
            # A group's parts, indented under it: their own numbers and suggestion, no status.
            for part in row["parts"]:
                self.stdout.write("    " + _line(part, start=start, end=end, part=True))


def _line(row: dict[str, Any], *, start: int, end: int, part: bool = False) -> str:
    """One indicator as a line; a part has no status of its own (the committee judges its group)."""
    # Everything the suggestion reads: the baseline and the forecast too, not only the years.
    results = [f"{start} (đầu kỳ): {row['baseline']}"] if row["baseline"] else []
    if row["baseline_carried_from"]:  # "(theo số liệu nhiệm kỳ 2020–2025)"
        results[0] += " " + carried_note(term_by_code(code=row["baseline_carried_from"]))
    for year, v in row["years"].items():
        results.append(f"{year}{' (ước)' if v['estimate'] else ''}: {v['value']}")
    if row["forecast"]:
        results.append(f"dự báo {end}: {row['forecast']}")
    years = ", ".join(results)
    suggested = row["suggested_status"]
    status = "" if part else f" — {Status(row['status']).label}"
    line = f"{row['resolution']} {row['number']}. {row['text']}{status}"
    if suggested:
        line += f" (gợi ý: {Status(suggested).label}{', cần giải trình' if row['disagrees'] else ''})"
    if years:
        line += f" [{years}]"
    if row["predecessor"]:
        line += f" ← {row['predecessor']}"
    return line
