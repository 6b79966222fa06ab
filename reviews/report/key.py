"""The key a report file is stored under: a digest of the data it shows and of the renderer.

Computed by a request (to look the file up) and by the worker (around its reads, so a file is
stored under the key of the data it was made from): its own module, below both."""

import hashlib

from django.db.models import Q

from indicators.models import Assessment, Committee, Indicator, Resolution
from indicators.selectors import subtree_summary
from reviews.code_digest import code_digest
from reviews.selectors import ReviewDocument
from reviews.signing.archive import ARCHIVE_FORMAT, archive_settings_digest


def _fields(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def report_key(*, committee: Committee, fmt: str, language: str, document: ReviewDocument) -> str:
    """A digest of everything the report shows: five small queries, whatever the tree.

    Whole rows, not version counters: a row changed outside the services (the admin, a restore,
    a script) changes the key as surely as a save does."""
    review = document.review
    # The plain value: an enum member and its string repr differently, and the key is a repr.
    stage = str(review.stage)
    parts: list[object] = [
        stage,
        fmt,
        language,
        code_digest(),  # what shapes the file besides the data (reviews.code_digest)
        # The archive rendition also shows the site's address (its QR code) and may carry the
        # organisation's signature: a new address or certificate makes a new file.
        archive_settings_digest() if fmt == ARCHIVE_FORMAT else None,
        [getattr(committee.term, name) for name in _fields(type(committee.term))],
        [getattr(review, name) for name in _fields(type(review))] if review.pk else None,
        [[getattr(lesson, name) for name in _fields(type(lesson))] for lesson in document.lessons],
        [[getattr(group, name) for name in _fields(type(group))] for group in document.solutions],
        # The committee itself (its counters fresh from the database), its parent (the heading)
        # and its children (the children's table and chart).
        list(
            Committee.objects.filter(Q(pk=committee.pk) | Q(pk=committee.parent_id) | Q(parent=committee))
            .order_by("pk")
            .values_list(*_fields(Committee))
        ),
        list(Resolution.objects.filter(committee=committee).order_by("pk").values_list(*_fields(Resolution))),
        # Every stage's assessment of each indicator: the end report sets the mid-term's beside its own.
        list(
            Indicator.objects.of_committee(committee)
            .order_by("pk", "assessments__stage")
            .values_list(*_fields(Indicator), *(f"assessments__{name}" for name in _fields(Assessment)))
        ),
        subtree_summary(committee=committee, stage=stage),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()
