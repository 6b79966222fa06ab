"""`make loadtest`: demo data on a scratch PostgreSQL database, gunicorn, 50 locust users for 60 s.

Prints requests/s, p50/p95/p99 per kind and errors, and checks that every successful save left
exactly one history row. Exit status 1 when a target is missed. Loopback only.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.servers import BASE_DIR, free_port, gunicorn, manage, prepare, server_env  # noqa: E402

USERS = int(os.environ.get("LOADTEST_USERS", "50"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "3"))
SECRETARIES = 25
PASSWORD = "Load-test-pass-2023"  # noqa: S105 - scratch database, loopback only
ADMIN_URL = os.environ.get("LOADTEST_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("LOADTEST_DB", "soket_load")


def scratch_database() -> str:
    """Drop and create our own database on the server (never anyone else's)."""
    import psycopg

    with psycopg.connect(ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"


def accounts(term_code: str) -> dict:
    """Secretaries of distinct draft committees (so their saves don't collide) and viewers."""
    from indicators.models import Committee, RoleKind
    from indicators.services import role_grant
    from reviews.models import ReviewState

    communes = (
        Committee.objects.filter(term__code=term_code, depth=3)
        .exclude(review__state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED])
        .filter(resolutions__indicators__isnull=False)
        .distinct()
        .order_by("path")[:SECRETARIES]
    )
    secretaries = []
    for i, committee in enumerate(communes, 1):
        username = f"load.sec{i:02d}"
        role_grant(username=username, committee=committee, role=RoleKind.SECRETARY, password=PASSWORD)
        secretaries.append((username, committee.code))
    viewers = []
    for username, code in [
        ("vanphong.tinhuy", "BK"),
        ("vanphong.chodon", "BK-CD"),
        ("vanphong.chomoi", "BK-CM"),
    ]:
        committee = Committee.objects.get(term__code=term_code, code=code)
        children = list(committee.children.order_by("code").values_list("code", flat=True)[:6])
        viewers.append((username, code, children))
    return {"term": term_code, "password": PASSWORD, "secretaries": secretaries, "viewers": viewers}


def percentile_rows(stats_csv: Path) -> list[dict]:
    with open(stats_csv, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def main() -> int:
    url = os.environ.get("LOADTEST_DATABASE_URL") or scratch_database()
    env = server_env(url, AXES_ENABLED="1", DB_CONN_MAX_AGE="600")
    print(f"== preparing {url.rsplit('@', 1)[-1]}", flush=True)
    prepare(env)
    manage("load_demo", "--password", PASSWORD, env=env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from indicators.models import AssessmentChange, Term

    term = Term.objects.latest("start_year")
    plan = accounts(term.code)
    work = Path(tempfile.mkdtemp(prefix="soket-load-"))
    (work / "accounts.json").write_text(json.dumps(plan), encoding="utf-8")
    history_before = AssessmentChange.objects.count()
    from django.db import connections

    connections.close_all()

    port = free_port(range(8105, 8110))
    access_log = work / "access.log"
    with (
        open(work / "gunicorn.log", "w") as log,
        gunicorn(env=env, port=port, workers=WORKERS, log=log, access_log=access_log) as base,
    ):
        print(
            f"== locust: {USERS} users for {SECONDS} s against {base} ({WORKERS} gunicorn workers)",
            flush=True,
        )
        started = time.monotonic()
        locust = [
            str(Path(sys.executable).with_name("locust")),
            *("-f", str(BASE_DIR / "loadtest" / "locustfile.py"), "--headless", "--host", base),
            *("-u", str(USERS), "-r", "5", "-t", f"{SECONDS}s", "--reset-stats", "--stop-timeout", "10"),
            *("--csv", str(work / "load"), "--only-summary", "--loglevel", "WARNING"),
        ]
        with open(work / "locust.log", "w") as locust_log:
            subprocess.run(
                locust,
                env={**os.environ, "LOADTEST_ACCOUNTS": str(work / "accounts.json")},
                stdout=subprocess.DEVNULL,
                stderr=locust_log,
                check=False,
                timeout=SECONDS + 120,
            )
        elapsed = time.monotonic() - started

    rows = percentile_rows(work / "load_stats.csv")
    by_name = {row["Name"]: row for row in rows}
    print(f"\n{'kind':<22}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for row in rows:
        print(
            f"{row['Name']:<22}{row['Request Count']:>9}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )
    total = by_name["Aggregated"]
    errors = int(total["Failure Count"])
    # Saves over the whole run, ramp-up included, as the server answered them (a request cut
    # off client-side when the clock ran out may still have been saved): 302 = saved, 409 = refused.
    answers = [
        line.split('"')[2].split()[0]
        for line in access_log.read_text().splitlines()
        if "/assess/" in line and '"POST ' in line
    ]
    saves, conflicts = answers.count("302"), answers.count("409")
    history = AssessmentChange.objects.count() - history_before
    dashboard_p95 = int(by_name.get("dashboard", {}).get("95%", 0) or 0)
    print(f"\nloadtest_seconds: {elapsed:.0f}")
    print(f"loadtest_rps: {float(total['Requests/s']):.1f}")
    print(f"loadtest_errors: {errors}")
    print(f"loadtest_saves: {saves}")
    print(f"loadtest_save_conflicts: {conflicts}")
    print(f"loadtest_history_rows: {history}")
    print(f"loadtest_save_other_answers: {len(answers) - saves - conflicts}")
    print(f"loadtest_dashboard_p95_ms: {dashboard_p95}")
    failures = []
    if len(answers) - saves - conflicts:
        failures.append("saves answered with neither 302 (saved) nor 409 (conflict)")
    if errors:
        failures.append(f"{errors} errors (see {work}/load_failures.csv, {work}/gunicorn.log)")
    if dashboard_p95 >= 500:
        failures.append(f"dashboard p95 {dashboard_p95} ms >= 500 ms")
    if history != saves:
        failures.append(f"{saves} successful saves but {history} history rows")
    if saves == 0:
        failures.append("no save succeeded")
    print("loadtest: " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
