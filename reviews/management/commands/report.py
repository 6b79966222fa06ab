"""`report CODE --term T -o FILE.pdf|FILE.docx`: a committee's mid-term review report, PDF or Word."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from indicators.management.lookup import find_committee, review_arguments
from reviews.report import ReportTooLarge
from reviews.report.docx import report_docx
from reviews.report.pdf import report_pdf


class Command(BaseCommand):
    help = "Writes the committee's mid-term review report (báo cáo sơ kết): PDF, or Word for a .docx file."

    def add_arguments(self, parser):
        review_arguments(parser)
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            help="file to write: .docx for Word, else PDF ('-': PDF on stdout)",
        )

    def handle(self, *args, code, term, output, stage="mid", **options):
        committee = find_committee(code=code, term_code=term)
        write = report_docx if output.lower().endswith(".docx") else report_pdf
        try:
            data = write(committee=committee, stage=stage)
        except ReportTooLarge as exc:
            self._fail(str(exc))
        if output == "-":
            sys.stdout.buffer.write(data)
            return
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            self._fail(f"cannot write {output}: {exc.strerror}")
        self.stderr.write(f"{output}: {len(data):,} bytes, {committee.name}")

    def _fail(self, message: str):
        # One line on stderr and exit 1: scripts read the status, people read the line.
        self.stderr.write(message)
        sys.exit(1)
