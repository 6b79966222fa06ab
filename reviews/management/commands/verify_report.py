"""`verify_report FILE.pdf [--roots FILE.pem]`: is this a validly signed Sơ kết report? Needs no server.

Prints `valid: <signer>, <signing time>, <committee code>, <term>` (followed by
`, end (báo cáo tổng kết nhiệm kỳ)` for an end-of-term report) and exits 0, or
`invalid: <reason>` and exits 1. It reads the committee and term from the PDF's own metadata and
the trusted roots from --roots or SIGNATURE_TRUST_ROOTS; it never opens the database."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reviews.signing.verify import InvalidSignedReport, load_trust_roots, verify_signed_pdf


class Command(BaseCommand):
    help = "Verify a signed report PDF offline: valid: signer, time, committee, term — or invalid: reason."
    requires_system_checks: list[str] = []  # the checks may touch the database; this command never does

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--roots", help="PEM file of trusted root certificates (default: SIGNATURE_TRUST_ROOTS)"
        )

    def handle(self, *args, **options):
        try:
            with open(options["file"], "rb") as stream:
                data = stream.read()
        except OSError as exc:
            self.stdout.write(f"invalid: {exc}")
            sys.exit(1)
        try:
            roots = load_trust_roots(options["roots"] or settings.SIGNATURE_TRUST_ROOTS)
            verified = verify_signed_pdf(data, roots=roots)
        except InvalidSignedReport as exc:
            self.stdout.write(f"invalid: {exc}")
            sys.exit(1)
        meta = verified.metadata
        if not meta.committee or not meta.term:
            reason = _("Tệp đã ký không phải báo cáo của Sơ kết (không ghi đơn vị, nhiệm kỳ).")
            self.stdout.write(f"invalid: {reason}")
            sys.exit(1)
        when = verified.signed_at.isoformat(timespec="seconds")
        line = f"valid: {verified.signer}, {when}, {meta.committee}, {meta.term}"
        if meta.stage == "end":
            # Which report of the term: the end's says so; a mid-term line stays as it always was
            # (no stage means mid-term, as everywhere), so scripts reading it keep working.
            line += f", end ({_('báo cáo tổng kết nhiệm kỳ')})"
        self.stdout.write(line)
