"""`set_deadlines CODE --term T [--stage mid|end] --level commune=2023-05-30 [--level district=…]
[--only CHILD=YYYY-MM-DD]`."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from indicators.management.lookup import find_committee
from indicators.models import Stage
from reviews.campaign.services import DeadlineError, deadlines_set


def _pairs(values: list[str], what: str) -> dict[str, date]:
    pairs = {}
    for value in values:
        key, sep, raw = value.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"--{what} {value}: expected NAME=YYYY-MM-DD")
        try:
            pairs[key.strip()] = date.fromisoformat(raw.strip())
        except ValueError:
            raise CommandError(f"--{what} {value}: “{raw}” is not a date YYYY-MM-DD") from None
    return pairs


class Command(BaseCommand):
    help = (
        "Sets the deadlines by which the committees below CODE must send their review: by level for "
        "the whole subtree, and for single committees with --only. A deadline later than one set above "
        "is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="the committee setting the deadlines, e.g. BK")
        parser.add_argument("--term", required=True, help="term, e.g. 2020-2025")
        parser.add_argument("--stage", choices=Stage.values, default=Stage.MID, help="the review's stage")
        parser.add_argument("--level", action="append", default=[], metavar="LEVEL=YYYY-MM-DD")
        parser.add_argument("--only", action="append", default=[], metavar="CODE=YYYY-MM-DD")

    def handle(self, *args, code, term, level, only, stage=Stage.MID, **options):
        levels = _pairs(level, "level")
        overrides = _pairs(only, "only")
        if not levels and not overrides:
            raise CommandError("nothing to set: give --level LEVEL=YYYY-MM-DD or --only CODE=YYYY-MM-DD")
        committee = find_committee(code=code, term_code=term)
        with translation.override("vi"):
            try:
                changes = deadlines_set(
                    committee=committee, levels=levels, only=overrides, by=None, stage=stage
                )
            except DeadlineError as exc:
                raise CommandError(str(exc)) from None
        for change in changes:
            target = change.level or (change.committee.code if change.committee else "")
            self.stdout.write(f"{committee.code}: {target} {change.old_due or '-'} -> {change.new_due}")
        if not changes:
            self.stdout.write(f"{committee.code}: nothing changed.")
