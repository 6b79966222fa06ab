"""Open a review stage (the end of term) for a committee and every committee below it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.management.lookup import find_committee, review_arguments
from indicators.models import Stage
from indicators.services.assessments import stage_open


class Command(BaseCommand):
    help = "Opens the end-of-term review of CODE and its subtree: open_stage BK --term 2020-2025 --stage end"

    def add_arguments(self, parser: CommandParser) -> None:
        review_arguments(parser, stages=(Stage.END.value,))

    def handle(self, *args: Any, code: str, term: str, stage: str, **options: Any) -> None:
        committee = find_committee(code=code, term_code=term)
        try:
            opened = stage_open(committee=committee, stage=stage)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{Stage(stage).label}: {committee.code} ({committee.term.code}), "
            f"{opened.committees} đơn vị, {opened.created} chỉ tiêu mới mở"
        )
