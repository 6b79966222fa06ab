"""The one write of the signed report: accept an uploaded signed file, or refuse it saying why."""

import hashlib
import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.access import Action, can
from indicators.models import Committee, Stage
from reviews.models import Review, ReviewState
from reviews.report import ReportTooLarge
from reviews.report.models import RenderState
from reviews.report.services import report_request

from .archive import ARCHIVE_FORMAT, approved_content
from .models import SignedReport
from .verify import InvalidSignedReport, Refusal, VerifiedReport, load_trust_roots, verify_signed_pdf

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ArchiveNotReady(Exception):
    """The approved report's archive rendition is still being rendered: compare once it is there."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Bản PDF/A của báo cáo đã phê duyệt đang được tạo để đối chiếu. "
                "Hãy tải tệp đã ký lên lại sau ít phút."
            )
        )


def may_upload_signed(user: "User", committee: Committee) -> bool:
    """The committee's secretary, or whoever approves it (a role on the committee above)."""
    return can(user, committee, Action.SUBMIT) or can(user, committee, Action.APPROVE)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, as a PDF reader extracts it: what "renders identically" compares."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _check_is_approved_report(*, committee: Committee, verified: VerifiedReport, stage: str) -> None:
    """What was signed must be this committee's currently approved report at `stage`, read from
    the signed revision itself: its metadata names the committee, the term, the stage and the
    digest of the approved content, and its pages read exactly as the archive rendition of the
    approved report."""
    meta = verified.metadata
    if (meta.committee, meta.term) != (committee.code, committee.term.code):
        named = f"{meta.committee_name or meta.committee}, {meta.term}" if meta.committee else _("không rõ")
        values = {"name": committee.name, "term": committee.term.code, "named": named}
        if stage == Stage.MID:
            message = _(
                "Nội dung đã ký không phải báo cáo sơ kết của %(name)s, nhiệm kỳ %(term)s "
                "(tệp ghi: %(named)s). Hãy tải bản PDF/A của đúng báo cáo đã phê duyệt, ký rồi tải lên."
            )
        else:
            message = _(
                "Nội dung đã ký không phải báo cáo tổng kết nhiệm kỳ của %(name)s, nhiệm kỳ %(term)s "
                "(tệp ghi: %(named)s). Hãy tải bản PDF/A của đúng báo cáo đã phê duyệt, ký rồi tải lên."
            )
        raise InvalidSignedReport(Refusal.NOT_THIS_REPORT, message % values)
    # A file of the other stage names it: said as such, not as "an older version". A file with no
    # stage written is a mid-term one (the mid-term's archive was the only one before).
    if (meta.stage or Stage.MID) != stage:
        if stage == Stage.MID:
            message = _(
                "Tệp đã ký là báo cáo tổng kết nhiệm kỳ của %(name)s, không phải báo cáo sơ kết giữa "
                "nhiệm kỳ. Hãy tải lên ở mục báo cáo tổng kết."
            )
        else:
            message = _(
                "Tệp đã ký là báo cáo sơ kết giữa nhiệm kỳ của %(name)s, không phải báo cáo tổng kết "
                "nhiệm kỳ. Hãy tải lên ở mục báo cáo sơ kết."
            )
        raise InvalidSignedReport(Refusal.NOT_THIS_REPORT, message % {"name": committee.name})
    _context, digest = approved_content(committee, stage)
    if meta.content_digest != digest:
        raise InvalidSignedReport(
            Refusal.OLDER_VERSION,
            _(
                "Nội dung đã ký khác báo cáo đã phê duyệt hiện hành của %(name)s (có thể là bản trước khi "
                "báo cáo bị trả lại và sửa). Hãy tải lại bản PDF/A hiện hành, ký rồi tải lên."
            )
            % {"name": committee.name},
        )
    try:
        row = report_request(committee=committee, fmt=ARCHIVE_FORMAT, stage=stage)
    except ReportTooLarge as exc:  # no PDF/A of it was ever made, so none can have been signed
        raise InvalidSignedReport(Refusal.NOT_THIS_REPORT, str(exc)) from exc
    if row.state != RenderState.READY:
        raise ArchiveNotReady()
    if page_texts(verified.signed_revision) != page_texts(bytes(row.content)):
        raise InvalidSignedReport(
            Refusal.OLDER_VERSION,
            _(
                "Các trang đã ký không trùng với bản PDF/A của báo cáo đã phê duyệt hiện hành của "
                "%(name)s. Hãy tải lại bản PDF/A hiện hành, ký rồi tải lên."
            )
            % {"name": committee.name},
        )


def _not_approved(committee: Committee, stage: str) -> InvalidSignedReport:
    if stage == Stage.MID:
        message = _("Báo cáo sơ kết của %(name)s chưa được phê duyệt: chưa thể nhận bản đã ký.")
    else:
        message = _("Báo cáo tổng kết của %(name)s chưa được phê duyệt: chưa thể nhận bản đã ký.")
    return InvalidSignedReport(Refusal.NOT_THIS_REPORT, message % {"name": committee.name})


def _reopened(committee: Committee, stage: str) -> InvalidSignedReport:
    if stage == Stage.MID:
        message = _("Báo cáo sơ kết của %(name)s vừa được mở lại: chưa thể nhận bản đã ký.")
    else:
        message = _("Báo cáo tổng kết của %(name)s vừa được mở lại: chưa thể nhận bản đã ký.")
    return InvalidSignedReport(Refusal.NOT_THIS_REPORT, message % {"name": committee.name})


def signed_report_accept(
    *, committee: Committee, by: "User", data: bytes, filename: str = "", stage: str = Stage.MID
) -> SignedReport:
    """Check an uploaded signed report of the review at `stage` and keep it for good;
    InvalidSignedReport naming why not.

    PermissionDenied unless the user is the committee's secretary or approves it; refused unless
    that stage's review is approved, the signatures verify against SIGNATURE_TRUST_ROOTS and what
    was signed is that approved report. The bytes are kept exactly as uploaded, with the stage."""
    stage = Stage(stage).value
    if not may_upload_signed(by, committee):
        raise PermissionDenied(_("Bạn không có quyền tải lên báo cáo đã ký của đơn vị này."))
    if not Review.objects.filter(committee=committee, stage=stage, state=ReviewState.APPROVED).exists():
        raise _not_approved(committee, stage)
    roots = load_trust_roots(settings.SIGNATURE_TRUST_ROOTS)
    verified = verify_signed_pdf(data, roots=roots)
    _check_is_approved_report(committee=committee, verified=verified, stage=stage)
    with transaction.atomic():
        # Held while the row is written: an approval taken back meanwhile refuses the upload.
        review = Review.objects.select_for_update().get(committee=committee, stage=stage)
        if review.state != ReviewState.APPROVED:
            raise _reopened(committee, stage)
        return SignedReport.objects.create(
            committee=committee,
            stage=stage,
            content=data,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            filename=filename[:255],
            signer=verified.signer[:255],
            signer_certificate_sha256=verified.signatures[-1].certificate_sha256,
            signed_at=verified.signed_at,
            signatures=[
                {
                    "signer": s.signer,
                    "signed_at": s.signed_at.isoformat(),
                    "certificate_sha256": s.certificate_sha256,
                    "field": s.field_name,
                }
                for s in verified.signatures
            ],
            verification_code=verified.metadata.verification_code,
            content_digest=verified.metadata.content_digest,
            uploaded_by=by,
            uploaded_at=timezone.now(),
        )
