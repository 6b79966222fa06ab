"""What the review page shows of the signed report: the latest signed file, the PDF/A, the upload.

Of the page's own stage: the end-of-term page shows the end report's signed file and upload, the
mid-term page the mid-term's, each with links that carry the stage."""

from indicators.models import Stage
from reviews.models import ReviewState
from reviews.selectors import stage_query
from reviews.workbook.reader import MAX_FILE_BYTES

from .archive import approved_content
from .selectors import signed_report_latest
from .services import may_upload_signed


def signed_card(user, committee, review) -> dict:
    stage = Stage(review.stage).value
    approved = review.pk is not None and review.state == ReviewState.APPROVED
    signed = signed_report_latest(committee=committee, stage=stage)
    current = False
    if signed is not None and approved:
        # A file signed over an earlier approval stays archived, but is said to be that.
        current = signed.content_digest == approved_content(committee, stage)[1]
    return {
        "approved": approved,
        "signed": signed,
        "signed_is_current": current,
        "may_upload": approved and may_upload_signed(user, committee),
        "max_mb": MAX_FILE_BYTES // 1048576,
        # "term=…", plus "&stage=end" at the end: every mid-term link stays as it was.
        "signing_query": stage_query(committee, stage),
    }
