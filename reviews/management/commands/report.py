"""`report CODE --term T -o FILE.pdf`: write a committee's mid-term review report as PDF."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from indicators.management.lookup import find_committee
from reviews.report import ReportTooLarge
from reviews.report.pdf import report_pdf


class Command(BaseCommand):
    help = "Writes the committee's mid-term review report (báo cáo sơ kết) as a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("code", help="committee code, e.g. BK")
        parser.add_argument("--term", required=True, help="term, e.g. 2020-2025")
        parser.add_argument("-o", "--output", required=True, help="PDF file to write ('-' for stdout)")

    def handle(self, *args, code, term, output, **options):
        committee = find_committee(code=code, term_code=term)
        try:
            pdf = report_pdf(committee=committee)
        except ReportTooLarge as exc:
            self._fail(str(exc))
        if output == "-":
            sys.stdout.buffer.write(pdf)
            return
        try:
            Path(output).write_bytes(pdf)
        except OSError as exc:
            self._fail(f"cannot write {output}: {exc.strerror}")
        self.stderr.write(f"{output}: {len(pdf):,} bytes, {committee.name}")

    def _fail(self, message: str):
        # One line on stderr and exit 1: scripts read the status, people read the line.
        self.stderr.write(message)
        sys.exit(1)
