"""The archive rendition: the approved report as PDF/A-2b, with its metadata, code and QR code.

It is rendered by the background worker like the other report files (reviews.report.tasks, the
format "pdfa", always in Vietnamese: the document filed is the Vietnamese one, whatever the
reader's language), and it is the file a signer signs."""

from dataclasses import replace

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from indicators.models import Committee, Stage
from reviews.report.html import render_report_html
from reviews.report.names import report_filename
from reviews.report.selectors import ArchiveMarks, ReportContext, report_context

from .metadata import ArchiveMetadata, content_digest, verification_code

ARCHIVE_FORMAT = "pdfa"
ARCHIVE_LANGUAGE = "vi"


def verify_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("report_verify", args=[code])


def qr_svg(text: str) -> SafeString:
    """The QR code of `text` as inline SVG (no script, no external file: within the site's CSP and
    the report fetcher's rule)."""
    svg = segno.make(text, error="m").svg_inline(scale=3, border=2, omitsize=False)
    return mark_safe(svg)  # noqa: S308 -- segno's own SVG of a URL we built


def approved_content(committee: Committee, stage: str = Stage.MID) -> tuple[ReportContext, str]:
    """The report's context at `stage` and the digest of what it prints (the plain report's HTML)."""
    context = report_context(committee=committee, stage=stage)
    return context, content_digest(render_report_html(context))


def archive_metadata(committee: Committee, context: ReportContext, digest: str) -> ArchiveMetadata:
    review = context.review
    stage = Stage(review.stage).value  # the plain value: it is written into the PDF as text
    return ArchiveMetadata(
        committee=committee.code,
        committee_name=committee.name,
        term=committee.term.code,
        stage=stage,
        document_number=str(context.number).strip(),
        document_date=review.document_date.isoformat() if review.document_date else "",
        verification_code=verification_code(committee_pk=committee.pk, digest=digest, stage=stage),
        content_digest=digest,
    )


def archive_context(*, committee: Committee, stage: str = Stage.MID) -> ReportContext:
    """The report's context at `stage` plus the archive's metadata, code, link and QR code."""
    context, digest = approved_content(committee, stage)
    meta = archive_metadata(committee, context, digest)
    url = verify_url(meta.verification_code)
    marks = ArchiveMarks(
        committee_name=meta.committee_name,
        term=meta.term,
        verification_code=meta.verification_code,
        meta=meta.as_meta(),
        keywords=", ".join(
            part
            for part in (meta.committee, meta.term, meta.stage, meta.document_number, meta.document_date)
            if part
        ),
        verify_url=url,
        verify_qr=qr_svg(url),
    )
    return replace(context, archive=marks)


def archive_settings_digest() -> str:
    """What shapes the archive file besides the report: the link's site and the organisation's
    signature configured (a new certificate makes new files)."""
    from .orgsign import org_signer_fingerprint

    return f"{settings.SITE_URL}|{org_signer_fingerprint()}"


def archive_filename(committee: Committee, stage: str = Stage.MID) -> str:
    """ "bao-cao-so-ket-BK-CM-NH-2020-2025-pdfa.pdf" ("bao-cao-tong-ket-…" at the end): beside the
    plain PDF's name, told apart."""
    return report_filename(committee, "pdf", stage).removesuffix(".pdf") + "-pdfa.pdf"
