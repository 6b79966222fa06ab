"""Bench section: the Bắc Kạn report as PDF, against WeasyPrint alone on the same HTML (the floor).

`make bench` calls run(ctx) with its scratch database; `python -m bench.report` runs it alone on a
scratch SQLite file of its own."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5


def _median_s(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class _Rollback(Exception):
    pass


def run(ctx=None) -> dict:
    """Loads the demo inside a transaction that is rolled back: the national term (same code,
    2020-2025) that other sections measure stays exactly as they built it."""
    from django.db import transaction

    results: dict = {}
    try:
        with transaction.atomic():
            results = _measure()
            raise _Rollback
    except _Rollback:
        pass
    return results


def _measure() -> dict:
    from django.core.management import call_command

    from indicators.models import Committee
    from reviews.report.html import report_html
    from reviews.report.pdf import html_to_pdf, report_pdf

    with open(os.devnull, "w") as devnull:
        call_command("load_demo", "--no-accounts", verbosity=0, stdout=devnull)
    province = Committee.objects.select_related("term", "parent").get(term__code="2020-2025", code="BK")
    html = report_html(committee=province)
    html_to_pdf(html)  # warm-up: fonts found and loaded once per process, as in a long-running worker
    report_s = _median_s(lambda: report_pdf(committee=province))
    floor_s = _median_s(lambda: html_to_pdf(html))
    from indicators.selectors import committee_rollup

    tally_s = _median_s(lambda: committee_rollup(committee=province))
    return {
        "tally_demo_ms": round(tally_s * 1000, 2),
        "province_report_pdf_s": round(report_s, 3),
        "weasyprint_floor_s": round(floor_s, 3),
        # A ratio like dashboard_over_floor: 1.0 = no overhead; the target is at most 1.2.
        "report_over_floor": round(report_s / floor_s, 3),
    }


def main() -> int:
    scratch = tempfile.mkdtemp(prefix="soket-bench-report-")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    for name, value in run().items():
        print(f"{name}: {value}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
