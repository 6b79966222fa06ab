"""The national synthetic term (63 provinces, ~700 districts, ~10,600 communes, 30 indicators each)
and the dashboard, save and consistency figures measured on it."""

import os
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Django is set up by bench.run before any of these exist.
    from django.contrib.auth.models import User

    from indicators.models import Committee, Term

# BENCH_PROVINCES shrinks every term for a quick try or the smoke test (tests/test_bench.py).
N_PROVINCES = int(os.environ.get("BENCH_PROVINCES", "63"))
DISTRICTS_PER_PROVINCE = 11  # 693 districts
COMMUNES_PER_DISTRICT = 15  # plus one more in every third district: 10,626 communes
INDICATORS = int(os.environ.get("BENCH_INDICATORS", "30"))
TERM_CODE = "2020-2025"
# The database holds three terms, as production will after a few years: the measured one, the one
# before it (same three levels), and the one after the 2025 merger (34 provinces, no districts).
OLD_TERM_CODE = "2015-2020"
MERGED_TERM_CODE = "2025-2030"
MERGED_PROVINCES = min(34, N_PROVINCES)
MERGED_COMMUNES_PER_PROVINCE = 97  # plus one more in every other province: 3,315 communes
# Rough national shares of each status at mid-term.
WEIGHTS = {"achieved": 70, "hard": 15, "not_achieved": 7, "not_assessed": 8}
FIELDS = ["economy", "culture_society", "environment", "defence_security", "party_building"]


@dataclass
class Context:
    """What every bench section gets: the scratch database and the synthetic term in it."""

    database_url: str
    # Set by build().
    term: "Term" = field(init=False)
    root: "Committee" = field(init=False)
    province: "Committee" = field(init=False)
    commune_codes: list[str] = field(default_factory=list)
    staff: "User" = field(init=False)
    province_viewer: "User" = field(init=False)
    old_term: "Term" = field(init=False)
    merged_term: "Term" = field(init=False)
    results: dict[str, Any] = field(default_factory=dict)


def three_level_rows(provinces: int = N_PROVINCES) -> list[dict]:
    """The nation, its provinces, their districts and communes (~169 communes a province)."""
    from indicators.models import Level

    rows = [{"code": "VN", "name": "Đảng bộ toàn quốc", "level": Level.PROVINCE}]
    for p in range(1, provinces + 1):
        pc = f"P{p:02d}"
        rows.append(
            {"code": pc, "name": f"Đảng bộ tỉnh Số {p}", "level": Level.PROVINCE, "parent_code": "VN"}
        )
        for d in range(1, DISTRICTS_PER_PROVINCE + 1):
            dc = f"{pc}-H{d:02d}"
            rows.append(
                {"code": dc, "name": f"Đảng bộ huyện Đồng {d}", "level": Level.DISTRICT, "parent_code": pc}
            )
            extra = 1 if (p * DISTRICTS_PER_PROVINCE + d) % 3 == 0 else 0
            rows += [
                {
                    "code": f"{dc}-X{c:02d}",
                    "name": f"Đảng bộ xã Xuân {c}",
                    "level": Level.COMMUNE,
                    "parent_code": dc,
                }
                for c in range(1, COMMUNES_PER_DISTRICT + extra + 1)
            ]
    return rows


def two_level_rows() -> list[dict]:
    """After the 2025 merger: 34 provinces and their communes, no districts."""
    from indicators.models import Level

    rows = [{"code": "VN", "name": "Đảng bộ toàn quốc", "level": Level.PROVINCE}]
    for p in range(1, MERGED_PROVINCES + 1):
        pc = f"P{p:02d}"
        rows.append(
            {"code": pc, "name": f"Đảng bộ tỉnh Số {p}", "level": Level.PROVINCE, "parent_code": "VN"}
        )
        rows += [
            {
                "code": f"{pc}-X{c:03d}",
                "name": f"Đảng bộ xã Xuân {c}",
                "level": Level.COMMUNE,
                "parent_code": pc,
            }
            for c in range(1, MERGED_COMMUNES_PER_PROVINCE + p % 2 + 1)
        ]
    return rows


def build_term(*, code: str, rows: list[dict], rng: random.Random, results: bool) -> tuple["Term", list]:
    """One term: its committees, a Congress resolution each with INDICATORS assessed indicators
    (with five years of values each when `results`). Inside the caller's transaction."""
    from indicators.models import Resolution
    from indicators.services.committees import committees_bulk_create
    from indicators.services.indicators import indicators_bulk_create
    from indicators.services.terms import term_get_or_create

    statuses, weights = list(WEIGHTS), list(WEIGHTS.values())
    term, _created = term_get_or_create(code=code)
    committees = committees_bulk_create(term=term, rows=rows)
    resolutions = Resolution.objects.bulk_create(
        [Resolution(committee=c, number="01-NQ/ĐH") for c in committees], batch_size=2000
    )
    indicator_rows = [
        (
            resolution,
            {
                "number": str(n),
                "text": f"Chỉ tiêu số {n}: tỷ lệ hộ nghèo giảm bình quân hằng năm",
                "field": FIELDS[n % len(FIELDS)],
                "target": "1,5",
                "unit": "%",
                "measure": "average",
                "status": status,
                "note": "" if status == "achieved" else "Do ảnh hưởng của dịch bệnh",
                # Results over time for every indicator, five years each (issue 17).
                **({"results": _results(rng, term.start_year)} if results else {}),
            },
        )
        for resolution in resolutions
        for n, status in enumerate(rng.choices(statuses, weights, k=INDICATORS), start=1)
    ]
    indicators_bulk_create(rows=indicator_rows)
    return term, committees


def build(ctx: Context) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from indicators.models import Assessment, Committee, Role

    rng = random.Random(2025)
    started = time.perf_counter()
    rows = three_level_rows()
    terms = {}
    with transaction.atomic():
        # Oldest first, as the rows would have been written over the years.
        terms[OLD_TERM_CODE], _ = build_term(code=OLD_TERM_CODE, rows=rows, rng=rng, results=False)
        term, committees = build_term(code=TERM_CODE, rows=rows, rng=rng, results=True)
        terms[MERGED_TERM_CODE], _ = build_term(
            code=MERGED_TERM_CODE, rows=two_level_rows(), rng=rng, results=False
        )
        User = get_user_model()
        ctx.staff = User.objects.create_user("bench.staff", is_staff=True, is_superuser=True)
        ctx.province_viewer = User.objects.create_user("bench.province")
        ctx.term = term
        ctx.root = committees[0]
        ctx.province = Committee.objects.get(term=term, code=f"P{min(31, N_PROVINCES):02d}")
        Role.objects.create(user=ctx.province_viewer, committee=ctx.province, role="viewer")
    ctx.old_term = terms[OLD_TERM_CODE]
    ctx.merged_term = terms[MERGED_TERM_CODE]
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have gathered on a database that old.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from indicators.models import Level

    ctx.commune_codes = [r["code"] for r in rows if r["level"] == Level.COMMUNE]
    return {
        "build_seconds": round(time.perf_counter() - started, 1),
        "terms": 3,
        "committees_all_terms": Committee.objects.count(),
        "indicators_all_terms": Assessment.objects.count(),
        "committees": sum(1 for _r in rows),
        "indicators": len(rows) * INDICATORS,
    }


def _results(rng, start_year: int):
    from indicators.results import Results

    return Results.build(
        baseline="2,0",
        years={
            year: (f"{rng.uniform(0.8, 2.2):.1f}".replace(".", ","), year >= start_year + 4)
            for year in range(start_year + 1, start_year + 6)
        },
    )


RUNS = int(os.environ.get("BENCH_RUNS", "9"))  # the smoke test runs each figure once


# Runs before a figure is timed. A web worker's connection serves thousands of requests, so the
# figures are of a warm one: templates loaded, caches filled, and, on PostgreSQL, each prepared
# read past the five runs it is planned with its values before it keeps one plan (a province
# dashboard: 20 ms on those first five, 11 ms after; with one warm-up the median of nine fell
# among them).
WARM_UPS = 5


def _median_ms(fn, runs: int = RUNS) -> float:
    runs = min(runs, RUNS)
    for _ in range(min(WARM_UPS, runs)):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _get(client, url):
    # secure: production settings redirect plain HTTP to HTTPS.
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} -> {response.status_code}")
    return response


def _floor_sql(term_id: int, stage: str = "mid") -> dict:
    """The subtree counts at `stage` by one hand-written GROUP BY over all assessments: the floor
    a request-time count could never beat."""
    from django.db import connection

    sql = """
        SELECT a.status, COUNT(*)
        FROM indicators_assessment a
        JOIN indicators_indicator i ON i.id = a.indicator_id
        JOIN indicators_resolution r ON r.id = i.resolution_id
        JOIN indicators_committee c ON c.id = r.committee_id
        WHERE c.term_id = %s AND r.kind = 'congress' AND a.stage = %s
        GROUP BY a.status
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [term_id, stage])
        return dict(cursor.fetchall())


def counter_floor_sql(committee) -> tuple[int, ...]:
    """The true floor of the subtree numbers: one hand-written SUM of the committee counters over
    the committee's path range (what subtree_summary reads, without anything else)."""
    from django.db import connection

    from indicators.models import STATUS_COUNTER, Committee, Status, subtree_upper_bound

    # One SUM per status, in the order of Status (what the caller compares it with).
    sums = ", ".join(f"SUM({STATUS_COUNTER[status]})" for status in Status)
    sql = f"""
        SELECT {sums}
        FROM {Committee._meta.db_table}
        WHERE term_id = %s AND path >= %s AND path < %s
    """  # noqa: S608 - the table name is ours, the values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [committee.term_id, committee.path, subtree_upper_bound(committee.path)])
        return tuple(cursor.fetchone())


def db_time_ms(fn) -> float:
    """Milliseconds `fn` spends inside the database driver (every query's execute)."""
    from django.db import connection

    spent = 0.0

    def timed(execute, sql, params, many, context):
        nonlocal spent
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent += time.perf_counter() - started

    with connection.execute_wrapper(timed):
        fn()
    return spent * 1000


def reads_ms(fn) -> float:
    """Milliseconds of `fn` (a dashboard request) outside the dashboard's template rendering."""
    from reviews.views import dashboard

    rendering = 0.0
    real = dashboard.render

    def timed(*args, **kwargs):
        nonlocal rendering
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            rendering += time.perf_counter() - started

    dashboard.render = timed
    try:
        started = time.perf_counter()
        fn()
        return (time.perf_counter() - started - rendering) * 1000
    finally:
        dashboard.render = real


def query_count(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def measure(ctx: Context) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from indicators.models import Assessment, Committee, Status
    from indicators.selectors import counters_drift, counts_from_assessments
    from indicators.services.assessments import AssessmentEdit
    from reviews.services import review_assess

    out = {}
    staff = Client()
    staff.force_login(ctx.staff)
    national_url = f"{reverse('dashboard', args=[ctx.root.code])}?term={ctx.term.code}"
    out["national_dashboard_ms"] = _median_ms(lambda: _get(staff, national_url))
    out["raw_sql_floor_ms"] = _median_ms(lambda: _floor_sql(ctx.term.pk), runs=3)
    out["dashboard_over_floor"] = round(out["national_dashboard_ms"] / out["raw_sql_floor_ms"], 3)
    out["counter_sum_floor_ms"] = _median_ms(lambda: counter_floor_sql(ctx.root))
    out["dashboard_over_counter_floor"] = round(
        out["national_dashboard_ms"] / max(out["counter_sum_floor_ms"], 0.1), 1
    )

    viewer = Client()
    viewer.force_login(ctx.province_viewer)
    province_url = f"{reverse('dashboard', args=[ctx.province.code])}?term={ctx.term.code}"
    out["province_dashboard_ms"] = _median_ms(lambda: _get(viewer, province_url))
    out["queries_per_province_dashboard"] = query_count(lambda: _get(viewer, province_url))
    # What bounds dashboard_over_auth_page_rps (bench/http.py): the cheapest signed-in page against
    # the province dashboard's queries alone, and against everything it does but its template
    # (the reads its cache keys are made of, which no cache keyed by the page's data can save).
    out["auth_page_ms"] = _median_ms(lambda: _get(viewer, reverse("healthz_auth")))
    db_times = [db_time_ms(lambda: _get(viewer, province_url)) for _ in range(RUNS)]
    out["province_dashboard_db_ms"] = round(statistics.median(db_times), 2)
    read_times = [reads_ms(lambda: _get(viewer, province_url)) for _ in range(RUNS)]
    out["province_dashboard_reads_ms"] = round(statistics.median(read_times), 2)
    out["auth_page_over_dashboard_reads"] = round(
        out["auth_page_ms"] / max(out["province_dashboard_reads_ms"], 0.01), 2
    )
    trouble_url = f"{reverse('trouble', args=[ctx.province.code])}?term={ctx.term.code}"
    out["province_trouble_ms"] = _median_ms(lambda: _get(viewer, trouble_url))
    out["queries_per_province_trouble"] = query_count(lambda: _get(viewer, trouble_url))
    api_url = f"{reverse('api_tally', args=[ctx.root.code])}?term={ctx.term.code}"
    out["national_api_tally_ms"] = _median_ms(lambda: _get(staff, api_url))
    out["queries_per_dashboard"] = query_count(lambda: _get(staff, national_url))
    # The other terms in the same database: the one after the merger (two levels) and the one before.
    for label, term in (("2025_2030", ctx.merged_term), ("2015_2020", ctx.old_term)):
        url = f"{reverse('dashboard', args=[ctx.root.code])}?term={term.code}"
        out[f"national_dashboard_{label}_ms"] = _median_ms(lambda url=url: _get(staff, url), runs=3)
        out[f"queries_per_dashboard_{label}"] = query_count(lambda url=url: _get(staff, url))
    # The tally selector alone (no HTTP, no template): what `tally` and the API stand on.
    from indicators.selectors import committee_rollup

    out["tally_national_ms"] = _median_ms(lambda: committee_rollup(committee=ctx.root))
    out["tally_province_ms"] = _median_ms(lambda: committee_rollup(committee=ctx.province))

    # One commune indicator's status saved through the review service, history and counters.
    rng = random.Random(7)
    sample = rng.sample(ctx.commune_codes, min(25, len(ctx.commune_codes)))
    communes = {
        c.code: c for c in Committee.objects.filter(term=ctx.term, code__in=sample).select_related("term")
    }
    for committee in communes.values():
        # The review row exists after a secretary's first save: time the steady state, not the first.
        review_assess(committee=committee, edits=[], by=ctx.staff, source="form")
    cycle = [Status.HARD, Status.NOT_ACHIEVED, Status.ACHIEVED, Status.NOT_ASSESSED]
    times, counts = [], []
    for i, code in enumerate(sample):
        committee = communes[code]
        assessment = Assessment.objects.filter(indicator__resolution__committee=committee).earliest("pk")
        status = next(s for s in cycle[i % 4 :] + cycle if s != assessment.status)
        edit = AssessmentEdit(
            assessment_id=assessment.pk, status=status, note="Bench", expected_version=assessment.version
        )
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            review_assess(committee=committee, edits=[edit], by=ctx.staff, source="form")
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries))
    out["assessment_save_ms"] = round(statistics.median(times[1:]), 1)
    out["queries_per_save"] = max(counts)

    # The numbers shown equal a fresh count: no committee's counters drift, and the national
    # subtree and every province's figures as the API shows them (the page's own selector;
    # tests pin page == API) match a fresh GROUP BY.
    fresh = counts_from_assessments(term=ctx.term)
    drift = counters_drift(term=ctx.term)
    shown = _get(staff, api_url).json()
    fresh_total = {s: sum(getattr(t, s) for t in fresh.values()) for s in Status.values}
    floor = _floor_sql(ctx.term.pk)
    by_code = {c.code: c.pk for c in Committee.objects.filter(term=ctx.term, depth=2)}
    consistent = (
        not drift
        and all(shown["subtree"][s] == fresh_total[s] == floor.get(s, 0) for s in Status.values)
        and all(child["own"] == fresh[by_code[child["code"]]].as_dict() for child in shown["children"])
        and counter_floor_sql(ctx.root) == tuple(floor.get(s, 0) for s in Status.values)
    )
    out["rollup_consistent"] = int(consistent)
    out |= _end_stage(ctx, staff)
    return out


def _end_stage(ctx: Context, staff) -> dict:
    """The end-of-term review of the whole country: opening it (one service call: every indicator's
    end assessment from its mid-term one) and its national dashboard, which reads the end counters
    as the mid-term dashboard reads its own (the same queries, whatever the tree). Measured last:
    the sections after this one read the mid-term stage, which opening leaves as it was."""
    from django.urls import reverse

    from indicators.models import Stage, Status
    from indicators.selectors import counters_drift
    from indicators.services.assessments import stage_open

    out: dict = {}
    started = time.perf_counter()
    opened = stage_open(committee=ctx.root, stage=Stage.END)
    out["end_stage_open_s"] = round(time.perf_counter() - started, 1)
    out["end_stage_assessments_opened"] = opened.created
    url = f"{reverse('dashboard', args=[ctx.root.code])}?term={ctx.term.code}&stage=end"
    out["national_dashboard_end_ms"] = _median_ms(lambda: _get(staff, url))
    out["queries_per_dashboard_end"] = query_count(lambda: _get(staff, url))
    shown = _get(staff, f"{reverse('api_tally', args=[ctx.root.code])}?term={ctx.term.code}&stage=end").json()
    floor = _floor_sql(ctx.term.pk, Stage.END)
    out["end_rollup_consistent"] = int(
        not counters_drift(term=ctx.term)
        and shown["stage"] == "end"
        and all(shown["subtree"][s] == floor.get(s, 0) for s in Status.values)
    )
    return out
