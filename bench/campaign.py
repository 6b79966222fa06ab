"""Bench section: the review campaign's reporting numbers on the national term.

Deadlines by level from the root, an earlier one set by every province, and a campaign in
mid-flight (a third of the communes sent, a fifth of those approved) are written in bulk inside a
transaction that is rolled back, so the other sections measure the term exactly as built.
`make bench` calls run(ctx); `python -m bench.campaign [PROVINCES]` builds the national tree's shape
with fewer provinces (default 6; committees only) in a scratch SQLite file and runs this section alone."""

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path


class _Rollback(Exception):
    pass


def run(ctx) -> dict:
    from django.db import transaction

    results: dict = {}
    try:
        with transaction.atomic():
            results = _measure(ctx)
            raise _Rollback
    except _Rollback:
        pass
    return results


def _campaign_rows(ctx) -> None:
    from django.utils import timezone

    from indicators.models import Committee, Level
    from reviews.campaign.models import Deadline
    from reviews.models import Review, ReviewAction, ReviewEvent, ReviewState

    now = timezone.now()
    today = timezone.localdate()
    deadlines = [
        Deadline(set_by=ctx.root, level=Level.COMMUNE, due=today + timedelta(days=7), updated_at=now),
        Deadline(set_by=ctx.root, level=Level.DISTRICT, due=today + timedelta(days=21), updated_at=now),
    ]
    provinces = Committee.objects.filter(term=ctx.term, parent=ctx.root)
    deadlines += [
        Deadline(set_by=p, level=Level.COMMUNE, due=today - timedelta(days=i % 5), updated_at=now)
        for i, p in enumerate(provinces)
    ]
    Deadline.objects.bulk_create(deadlines)
    # Communes the other sections left without a review (the save figures wrote a few).
    communes = list(
        Committee.objects.filter(term=ctx.term, level=Level.COMMUNE)
        .exclude(reviews__stage="mid")
        .values_list("pk", flat=True)
    )
    sent = communes[::3]
    approved = set(sent[::5])
    reviews = Review.objects.bulk_create(
        [
            Review(committee_id=pk, state=ReviewState.APPROVED if pk in approved else ReviewState.SUBMITTED)
            for pk in sent
        ],
        batch_size=2000,
    )
    ReviewEvent.objects.bulk_create(
        [
            ReviewEvent(
                review=r,
                at=now - timedelta(days=i % 9),
                action=ReviewAction.SUBMIT,
                from_state=ReviewState.DRAFT,
                to_state=ReviewState.SUBMITTED,
            )
            for i, r in enumerate(reviews)
        ],
        batch_size=2000,
    )


def _measure(ctx) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.national import _get, _median_ms
    from reviews.campaign.selectors import committee_reporting

    _campaign_rows(ctx)
    staff = Client()
    staff.force_login(ctx.staff)
    url = f"{reverse('api_reporting', args=[ctx.root.code])}?term={ctx.term.code}"
    out = {"national_reporting_ms": _median_ms(lambda: _get(staff, url))}
    out["national_reporting_selector_ms"] = _median_ms(lambda: committee_reporting(committee=ctx.root))
    with CaptureQueriesContext(connection) as queries:
        _get(staff, url)
    out["queries_per_reporting"] = len(queries)
    reporting = committee_reporting(committee=ctx.root)
    out["reporting_committees"] = sum(s.expected for s in reporting.levels.values())
    return out


def main() -> int:
    scratch = tempfile.mkdtemp(prefix="soket-bench-campaign-")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("AXES_ENABLED", "0")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    from bench import national

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()
    call_command("migrate", verbosity=0, interactive=False)
    ctx = national.Context(database_url=os.environ["DATABASE_URL"])
    _small_tree(ctx, provinces=int(sys.argv[1]) if len(sys.argv) > 1 else 6)
    for name, value in run(ctx).items():
        print(f"{name}: {value}", flush=True)
    return 0


def _small_tree(ctx, *, provinces: int) -> None:
    """The national tree's shape with fewer provinces, committees only (the reporting reads counters)."""
    from django.contrib.auth import get_user_model

    from bench import national
    from indicators.models import Level
    from indicators.services.committees import committees_bulk_create
    from indicators.services.terms import term_get_or_create

    rows = [{"code": "VN", "name": "Đảng bộ toàn quốc", "level": Level.PROVINCE}]
    for p in range(1, provinces + 1):
        pc = f"P{p:02d}"
        rows.append({"code": pc, "name": f"Tỉnh {p}", "level": Level.PROVINCE, "parent_code": "VN"})
        for d in range(1, national.DISTRICTS_PER_PROVINCE + 1):
            dc = f"{pc}-H{d:02d}"
            rows.append({"code": dc, "name": f"Huyện {d}", "level": Level.DISTRICT, "parent_code": pc})
            rows += [
                {"code": f"{dc}-X{c:02d}", "name": f"Xã {c}", "level": Level.COMMUNE, "parent_code": dc}
                for c in range(1, national.COMMUNES_PER_DISTRICT + 1)
            ]
    ctx.term, _created = term_get_or_create(code=national.TERM_CODE)
    ctx.root = committees_bulk_create(term=ctx.term, rows=rows)[0]
    ctx.staff = get_user_model().objects.create_user("bench.staff", is_staff=True, is_superuser=True)


if __name__ == "__main__":
    sys.exit(main())
