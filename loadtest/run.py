"""`make loadtest`: demo data on a scratch PostgreSQL database, gunicorn, 50 locust users for 60 s.

Prints requests/s, p50/p95/p99 per kind and errors, and checks that every successful save left
exactly one history row. Exit status 1 when a target is missed. Loopback only.

`make loadtest SCENARIO=deadline` (`--scenario deadline`): the deadline rush of loadtest/deadline.py,
150 users for 120 s, with the report worker (`manage.py db_worker`) running beside gunicorn; see
deadline_main.
"""

import argparse
import contextlib
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.servers import BASE_DIR, free_port, gunicorn, manage, prepare, server_env, stop  # noqa: E402
from harness.yardstick import yardstick_ms  # noqa: E402
from loadtest.measure import app_cpu_times, cpu_by_role, server_times, web_cpu_seconds  # noqa: E402

USERS = int(os.environ.get("LOADTEST_USERS", "50"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "3"))
SECRETARIES = 25
PASSWORD = "Load-test-pass-2023"  # noqa: S105 - scratch database, loopback only
# The demo's campaign term: the demo also sets up the next one (2025–2030), with no campaign.
DEMO_TERM = "2020-2025"
ADMIN_URL = os.environ.get("LOADTEST_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("LOADTEST_DB", "soket_load")


def scratch_database(name: str = DB_NAME, *, drop_only: bool = False) -> str:
    """Drop and create our own database on the server (never anyone else's); `drop_only` drops it."""
    import psycopg

    with psycopg.connect(ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def accounts(term_code: str) -> dict:
    """Secretaries of distinct draft committees (so their saves don't collide) and viewers."""
    from indicators.models import Committee, RoleKind
    from indicators.services.people import role_grant
    from reviews.models import Review, ReviewState

    sent = Review.objects.filter(stage="mid", state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED])
    communes = (
        Committee.objects.filter(term__code=term_code, depth=3)
        .exclude(pk__in=sent.values("committee_id"))
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


def prepared_site(*, database: str = DB_NAME, **extra: str) -> dict[str, str]:
    """The demo on the scratch database, migrated, and Django set up on it in this process; the
    environment the servers run with."""
    url = os.environ.get("LOADTEST_DATABASE_URL") or scratch_database(database)
    # CPU_TIMING: each answer's CPU in the access log, for the per-kind figures (web_cpu_lines).
    env = server_env(url, AXES_ENABLED="1", DB_CONN_MAX_AGE="600", CPU_TIMING="1", **extra)
    cache = env.get("CACHE_URL") or env.get("REDIS_URL") or "local memory (per process)"
    print(f"== preparing {url.rsplit('@', 1)[-1]}; cache: {cache}", flush=True)
    prepare(env)
    manage("load_demo", "--password", PASSWORD, env=env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    return env


def handed_over() -> None:
    """The prepared database handed to the servers: with the planner's statistics, as autovacuum
    keeps them on a database in service (a scratch one has none until autovacuum gets to it, and
    some machines run PostgreSQL with autovacuum off: every committee page's roles query then
    scanned the whole committee table), and with this process's connections closed."""
    from django.db import connection, connections

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connections.close_all()


def main() -> int:
    env = prepared_site()
    from indicators.models import AssessmentChange, Term

    term = Term.objects.get(code=DEMO_TERM)  # the demo's campaign term (not the next one it sets up)
    plan = accounts(term.code)
    work = Path(tempfile.mkdtemp(prefix="soket-load-"))
    (work / "accounts.json").write_text(json.dumps(plan), encoding="utf-8")
    history_before = AssessmentChange.objects.count()
    handed_over()

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


# ---- SCENARIO=deadline ------------------------------------------------------------------------------
DEADLINE_SECRETARIES = int(os.environ.get("LOADTEST_SECRETARIES", "120"))
DEADLINE_STAFF = int(os.environ.get("LOADTEST_STAFF", "30"))
DEADLINE_SECONDS = int(os.environ.get("LOADTEST_SECONDS", "120"))
P95_TARGET_MS = 500
# Kinds that are not a page or a save: logging in hashes the password on purpose (slow by design),
# and the time to a report file is the whole wait through the refreshing page, reported apart.
NOT_PAGES = {"login", "report_pdf_time_to_file", "Aggregated"}


def _heading_fields() -> dict:
    """The heading and every narrative section a report needs before it may be sent (the checklist
    asks for the sections too since the report's narrative came in)."""
    import datetime

    from reviews.selectors import REQUIRED_NARRATIVE_FIELDS

    return {
        "document_number": "15-BC/ĐU",
        "document_date": datetime.date(2023, 6, 1),
        "signer_name": "Nguyễn Văn Thử",
        **{name: f"Nội dung {name} (thử tải)." for name in REQUIRED_NARRATIVE_FIELDS},
    }


def _solutions() -> list:
    from reviews.models import SolutionArea
    from reviews.services import SolutionItem

    return [SolutionItem(area=SolutionArea.SOCIO_ECONOMIC, text="Tập trung chỉ đạo các chỉ tiêu còn chậm.")]


def _copy_commune(template, *, parent, number: int):
    """A commune like `template` (its resolutions, indicators and judgements) under `parent`,
    through the services: the demo has about 100 communes still drafting; the rush needs more."""
    from indicators.models import Level
    from indicators.services.committees import committee_create
    from indicators.services.indicators import indicator_create
    from indicators.services.resolutions import resolution_create

    commune = committee_create(
        term=template.term,
        code=f"{parent.code}-TT{number:03d}",
        name=f"Đảng bộ xã Thử Tải {number}",
        level=Level.COMMUNE,
        parent=parent,
    )
    for resolution in template.resolutions.order_by("pk"):
        copy = resolution_create(
            committee=commune, number=resolution.number, kind=resolution.kind, title=resolution.title
        )
        for indicator in resolution.indicators.at_stage().select_related("assessment").order_by("pk"):
            a = indicator.assessment
            indicator_create(
                resolution=copy,
                number=indicator.number,
                text=indicator.text,
                field=indicator.field,
                unit=indicator.unit,
                target=indicator.target,
                measure=indicator.measure,
                direction=indicator.direction,
                status=a.status,
                value=a.value,
                note=a.note,
            )
    return commune


def _session(user) -> str:
    """A session of `user` in the database, as a login earlier that day left it.

    The rush is about saving and sending, not logging in: 150 logins at once would only measure
    the password hash (PBKDF2, deliberately about a second of CPU each), which on two shared cores
    holds every gunicorn worker for the whole run. LOADTEST_LOGINS=1 logs in for real instead."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value


def stored_outcomes(outcomes: dict, *, term, last_change: int) -> tuple[list[str], list, list, list[str]]:
    """What the database holds after a rush, against what the users saw: the history rows written
    since `last_change`, the accepted values missing from them (lost updates), the refused values
    found in them, and the reviews sent but not submitted."""
    from indicators.models import AssessmentChange
    from reviews.models import Review, ReviewState

    history = list(AssessmentChange.objects.filter(pk__gt=last_change).values_list("new_value", flat=True))
    stored = set(history)
    lost = [v for v in outcomes["accepted"] if v not in stored]
    refused_stored = [v for v in outcomes["refused"] if v in stored]
    not_submitted = list(
        Review.objects.filter(committee__term=term, committee__code__in=outcomes["sent"])
        .exclude(state=ReviewState.SUBMITTED)
        .values_list("committee__code", flat=True)
    )
    return history, lost, refused_stored, not_submitted


def accounting_failures(
    *, errors: int, server_errors: int, work: Path, saves: int, history: int, lost: int, refused_stored: int
) -> list[str]:
    """What every rush scenario refuses: an error, a save without its history row, a lost update."""
    failures = []
    if errors or server_errors:
        failures.append(f"{errors} errors, {server_errors} 5xx (see {work})")
    if history != saves:
        failures.append(f"{saves} successful saves but {history} history rows")
    if lost or refused_stored:
        failures.append(f"lost updates: {lost} accepted missing, {refused_stored} refused stored")
    return failures


def deadline_accounts(
    term_code: str, *, n_secretaries: int = DEADLINE_SECRETARIES, n_staff: int = DEADLINE_STAFF
) -> dict:
    """One secretary per drafting commune (more communes made when the demo has too few), each
    commune's report heading filled so that it may be sent; staff of the province and districts."""
    from indicators.models import Committee, Level, RoleKind
    from indicators.services.people import role_grant
    from reviews.models import Review, ReviewState
    from reviews.selectors import review_checklist, review_of
    from reviews.services import review_document_seed

    drafting = (
        Committee.objects.filter(term__code=term_code, level=Level.COMMUNE)
        .exclude(
            pk__in=Review.objects.filter(
                stage="mid", state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED]
            ).values("committee_id")
        )
        .filter(resolutions__indicators__isnull=False)
        .distinct()
        .order_by("path")
    )
    communes = list(drafting[:n_secretaries])
    districts = list(Committee.objects.filter(term__code=term_code, level=Level.DISTRICT).order_by("path"))
    template = communes[0]
    made = 0
    while len(communes) < n_secretaries:
        made += 1
        communes.append(_copy_commune(template, parent=districts[made % len(districts)], number=made))
    secretaries = []
    for i, commune in enumerate(communes, 1):
        review_document_seed(
            committee=commune,
            fields=_heading_fields(),
            lessons=["Bám sát cơ sở."],
            solutions=_solutions(),
        )
        missing = review_checklist(committee=commune, review=review_of(committee=commune))
        if missing:
            raise SystemExit(f"{commune.code} could not be sent: {[m.message for m in missing]}")
        username = f"rush.sec{i:03d}"
        user = role_grant(
            username=username, committee=commune, role=RoleKind.SECRETARY, password=PASSWORD
        ).user
        # Two browsers, each already logged in (see _session).
        secretaries.append((username, commune.code, _session(user), _session(user)))
    province = districts[0].parent
    assert province is not None, "a district always has its province above it"
    offices = [province] * max(1, n_staff // 5) + districts
    staff = []
    for i in range(n_staff):
        office = offices[i % len(offices)]
        username = f"rush.staff{i:02d}"
        user = role_grant(username=username, committee=office, role=RoleKind.VIEWER, password=PASSWORD).user
        children = list(office.children.order_by("code").values_list("code", flat=True)[:8])
        staff.append((username, office.code, children, _session(user)))
    print(f"== {len(secretaries)} secretaries ({made} communes added), {len(staff)} staff", flush=True)
    return {"term": term_code, "password": PASSWORD, "secretaries": secretaries, "staff": staff}


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def print_kinds(rows: list[dict], server: dict[str, list[int]]) -> None:
    """The table per kind of request: as the users saw it (locust's rows), then the server's own
    time on the same kind (gunicorn's access log); the difference is time queued for a worker or
    for the CPU."""
    print(
        f"\n{'kind':<26}{'count':>7}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}"
        f"{'server p50':>12}{'server p95':>12}"
    )
    for row in rows:
        own = server.get(row["Name"], [])
        print(
            f"{row['Name']:<26}{row['Request Count']:>7}{row['Failure Count']:>8}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}{float(row['Max Response Time']):>8.0f}"
            + (f"{_percentile(own, 0.5):>12.0f}{_percentile(own, 0.95):>12.0f}" if own else "")
        )


def lowest_priority(pid: int, nice: int = 19) -> None:
    """Run the report worker as production should (README, "Deploying"): at the lowest CPU
    priority, so a render only ever takes CPU the pages leave. It is a session of its own, so
    Linux's autogroup scheduler would otherwise give it as much CPU as all of gunicorn's workers."""
    os.setpriority(os.PRIO_PROCESS, pid, nice)
    with contextlib.suppress(OSError):  # no autogroup scheduling here: the nice value alone does it
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))


def _drain(access_log: Path, *, quiet_seconds: float = 5, longest: float = 180) -> None:
    """Wait for the requests still queued in gunicorn when locust stopped (an overloaded server
    answers them late): stopped now, a save committed but not yet logged would be missed."""
    deadline = time.monotonic() + longest
    size, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_size = access_log.stat().st_size if access_log.exists() else 0
        if now_size != size:
            size, since = now_size, time.monotonic()
        elif time.monotonic() - since >= quiet_seconds:
            return
        time.sleep(0.5)


def web_cpu_lines(*, seconds: float, access_log: Path) -> list[str]:
    """`loadtest_web_cpu_ms_per_request`: the web workers' CPU over the run (user and system, from
    the operating system, before locust started and after the last queued request was answered)
    divided by the requests they answered (the access log's lines); it includes gunicorn's own work.
    `loadtest_web_cpu_ms_<kind>`: the mean CPU the app spent on one request of that kind, as each
    answer reported it (X-Cpu-Ms, config/cpu_timing.py, measured inside the worker per request: on
    a shared machine a wall-clock or whole-process figure would count other requests' work);
    `loadtest_web_cpu_ms_outside_app` is what the first figure has on top of the kinds' mean."""
    served = sum(1 for line in access_log.read_text().splitlines() if line.strip())
    by_kind = app_cpu_times(access_log)
    per_request = seconds * 1000 / served if served else 0.0
    in_app = [ms for values in by_kind.values() for ms in values]
    lines = [f"loadtest_web_cpu_ms_per_request: {per_request:.1f} ({seconds:.0f} CPU s, {served} requests)"]
    for kind, values in sorted(by_kind.items()):
        mean = sum(values) / len(values)
        lines.append(
            f"loadtest_web_cpu_ms_{kind}: {mean:.1f} (p50 {_percentile(values, 0.5):.1f}, "
            f"p95 {_percentile(values, 0.95):.1f}, n={len(values)})"
        )
    if in_app:
        lines.append(f"loadtest_web_cpu_ms_outside_app: {per_request - sum(in_app) / len(in_app):.1f}")
    return lines


def deadline_main() -> int:
    """The deadline rush; prints the table and the checks, exit status 1 when a target is missed."""
    # The worker sends the campaign's e-mails too: nowhere, here.
    env = prepared_site(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")

    from indicators.models import AssessmentChange, Term
    from reviews.report.models import RenderedReport, RenderState

    term = Term.objects.get(code=DEMO_TERM)  # the demo's campaign term (not the next one it sets up)
    plan = deadline_accounts(term.code)
    work = Path(tempfile.mkdtemp(prefix="soket-rush-"))
    (work / "accounts.json").write_text(json.dumps(plan), encoding="utf-8")
    last_change = AssessmentChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    handed_over()
    speed = yardstick_ms()  # before the servers start: the machine as quiet as it gets
    users = len(plan["secretaries"]) + len(plan["staff"])

    port = free_port(range(8110, 8120))
    access_log = work / "access.log"
    with (
        open(work / "gunicorn.log", "w") as log,
        open(work / "worker.log", "w") as worker_log,
        gunicorn(env=env, port=port, workers=WORKERS, log=log, access_log=access_log) as base,
    ):
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.5"],
            cwd=BASE_DIR,
            env=env,
            stdout=worker_log,
            stderr=worker_log,
            start_new_session=True,
        )
        lowest_priority(worker.pid)
        print(
            f"== locust: {users} users for {DEADLINE_SECONDS} s against {base} "
            f"({WORKERS} gunicorn workers, 1 report worker at nice 19); "
            f"load average before: {os.getloadavg()}",
            flush=True,
        )
        started = time.monotonic()
        cpu_before = cpu_by_role(port)
        web_before = web_cpu_seconds(port)
        locust = [
            str(Path(sys.executable).with_name("locust")),
            *("-f", str(BASE_DIR / "loadtest" / "deadline.py"), "--headless", "--host", base),
            *("-u", str(users), "-r", "10", "-t", f"{DEADLINE_SECONDS}s", "--stop-timeout", "15"),
            *("--csv", str(work / "load"), "--only-summary", "--loglevel", "WARNING"),
        ]
        try:
            with open(work / "locust.log", "w") as locust_log:
                subprocess.run(
                    locust,
                    env={
                        **os.environ,
                        "LOADTEST_ACCOUNTS": str(work / "accounts.json"),
                        "LOADTEST_OUTCOMES": str(work / "outcomes.json"),
                        "LOADTEST_LOGINS": os.environ.get("LOADTEST_LOGINS", ""),
                    },
                    stdout=subprocess.DEVNULL,
                    stderr=locust_log,
                    check=False,
                    timeout=DEADLINE_SECONDS + 180,
                )
        finally:
            load_after = os.getloadavg()
            _drain(access_log)
            cpu_after = cpu_by_role(port)
            web_after = web_cpu_seconds(port)
            stop(worker, grace=20)
        elapsed = time.monotonic() - started

    rows = percentile_rows(work / "load_stats.csv")
    by_name = {row["Name"]: row for row in rows}
    server = server_times(access_log)
    print_kinds(rows, server)
    outcomes = json.loads((work / "outcomes.json").read_text(encoding="utf-8"))
    log_lines = access_log.read_text().splitlines()
    statuses = [line.split('"')[2].split()[0] for line in log_lines if line.count('"') >= 2]
    server_errors = sum(status.startswith("5") for status in statuses)
    answers = [line.split('"')[2].split()[0] for line in log_lines if "/assess/" in line and '"POST ' in line]
    saves, conflicts = answers.count("302"), answers.count("409")
    history, lost, refused_stored, not_submitted = stored_outcomes(
        outcomes, term=term, last_change=last_change
    )
    sent = outcomes["sent"]
    renders = list(RenderedReport.objects.values_list("state", flat=True))
    total = by_name["Aggregated"]
    errors = int(total["Failure Count"])
    slow = {
        row["Name"]: int(row["95%"] or 0)
        for row in rows
        if row["Name"] not in NOT_PAGES and int(row["95%"] or 0) >= P95_TARGET_MS
    }
    print(f"\nloadtest_seconds: {elapsed:.0f}")
    print(f"loadtest_load_average_at_end: {' '.join(f'{x:.1f}' for x in load_after)} (2 cores)")
    print(f"loadtest_rps: {float(total['Requests/s']):.1f}")
    print(
        f"loadtest_machine_yardstick_ms: {speed:.0f} (harness/yardstick.py, timed before the run; "
        "lower is a faster machine: compare runs of other days by it)"
    )
    used = {role: cpu_after.get(role, 0.0) - cpu_before.get(role, 0.0) for role in cpu_after}
    print(
        "loadtest_cpu_seconds: "
        + ", ".join(f"{role} {seconds:.0f}" for role, seconds in sorted(used.items(), key=lambda x: -x[1]))
        + f" (of {2 * elapsed:.0f} on 2 cores)"
    )
    for line in web_cpu_lines(seconds=web_after - web_before, access_log=access_log):
        print(line)
    print(f"loadtest_errors: {errors} (5xx in the access log: {server_errors})")
    print(f"loadtest_saves: {saves} (accepted as seen by the users: {len(outcomes['accepted'])})")
    print(f"loadtest_history_rows: {len(history)}")
    print(f"loadtest_save_conflicts_refused: {conflicts}")
    print(f"loadtest_lost_updates: {len(lost)} accepted values missing, {len(refused_stored)} refused stored")
    n_secretaries = len(plan["secretaries"])
    print(f"loadtest_reviews_sent: {len(sent)} of {n_secretaries} (not submitted: {len(not_submitted)})")
    print(
        f"loadtest_report_files: {renders.count(RenderState.READY)} ready, "
        f"{renders.count(RenderState.FAILED)} failed, {renders.count(RenderState.PENDING)} pending; "
        f"users who gave up waiting: {len(outcomes['pdf_gave_up'])}"
    )
    failures = accounting_failures(
        errors=errors, server_errors=server_errors, work=work,
        saves=saves, history=len(history), lost=len(lost), refused_stored=len(refused_stored),
    )  # fmt: skip
    if conflicts == 0:
        failures.append("no conflicting save was tried")
    if slow:
        failures.append(f"p95 >= {P95_TARGET_MS} ms: {slow}")
    if not_submitted:
        failures.append(f"sent but not submitted: {not_submitted[:5]}")
    if outcomes["pdf_gave_up"]:
        failures.append(f"{len(outcomes['pdf_gave_up'])} report downloads never came")
    print("loadtest: " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    print(f"(logs in {work})")
    return 1 if failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["default", "deadline", "twoservers"], default="default")
    scenario = parser.parse_args().scenario
    if scenario == "twoservers":
        from loadtest.scaleout import twoservers_main

        sys.exit(twoservers_main())
    sys.exit(deadline_main() if scenario == "deadline" else main())
