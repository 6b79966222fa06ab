"""Reads of the signed reports."""

from indicators.models import Committee, Stage
from reviews.models import Review, ReviewState

from .models import SignedReport


def review_is_approved(*, committee: Committee, stage: str = Stage.MID) -> bool:
    return Review.objects.filter(committee=committee, stage=stage, state=ReviewState.APPROVED).exists()


def signed_report_latest(*, committee: Committee, stage: str = "mid") -> SignedReport | None:
    """The latest accepted signed file of the committee's report (without its bytes)."""
    return (
        SignedReport.objects.filter(committee=committee, stage=stage)
        .defer("content")
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
        .first()
    )


def signed_report_by_code(*, code: str) -> SignedReport | None:
    """The latest accepted signed file carrying this verification code (without its bytes)."""
    return (
        SignedReport.objects.filter(verification_code=code)
        .defer("content")
        .select_related("committee__term")
        .order_by("-uploaded_at", "-pk")
        .first()
    )
