"""A checked upload kept for a short while, so “Nhập tệp này” imports it without a second upload.

One per user (a new check replaces the previous one), at most the upload limit each, dropped once
taken or past PENDING_SECONDS. In the database, so every app server behind the proxy sees it.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from reviews.models import CheckedWorkbook

PENDING_SECONDS = 30 * 60


@dataclass(frozen=True)
class Pending:
    data: bytes
    filename: str
    term_code: str


@transaction.atomic
def checked_workbook_keep(*, user, data: bytes, filename: str, term_code: str) -> str:
    """Keep this user's checked upload (replacing theirs); returns the token the page sends back."""
    now = timezone.now()
    CheckedWorkbook.objects.filter(created_at__lt=now - timedelta(seconds=PENDING_SECONDS)).delete()
    token = secrets.token_urlsafe(16)
    CheckedWorkbook.objects.update_or_create(
        user=user,
        defaults={
            "token": token,
            "filename": filename[:255],
            "term_code": term_code,
            "data": data,
            "created_at": now,
        },
    )
    return token


@transaction.atomic
def checked_workbook_take(*, user, token: str) -> Pending | None:
    """The kept upload if `token` is this user's latest and still fresh; taking it drops it."""
    kept = CheckedWorkbook.objects.select_for_update().filter(user=user).first()
    if kept is None or not secrets.compare_digest(kept.token, str(token)):
        return None  # none, or an older page: the newer upload stays for its own page
    kept.delete()
    if timezone.now() - kept.created_at > timedelta(seconds=PENDING_SECONDS):
        return None
    return Pending(data=bytes(kept.data), filename=kept.filename, term_code=kept.term_code)
