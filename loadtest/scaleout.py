"""`make loadtest SCENARIO=twoservers`: the scale-out on the loopback. Two gunicorn app servers on
two ports and two workers (`db_worker --queue-name reports,default` at nice 19, and `db_worker
--queue-name email`, as deploy/systemd's soket-worker and soket-mailer) on one scratch PostgreSQL
database and the shared Redis (a key prefix of this run's own, its keys deleted at the end); the
users of loadtest/twoservers.py send each request to the next server in turn.

Prints one `name: value` line per figure and checks the same accounting as the deadline rush (no
error, history rows = accepted saves, no lost update) plus what only two servers can show: reports
asked for on one server whose waiting page the other served while the worker rendered them, and
sessions made by a login on one server honoured by the other (from each server's own request log,
which names the user of every request). Exit status 1 when a check fails; speed is reported, never
held to a target here (the machine it runs on is rarely quiet).

Defaults: 40 users (3 secretaries for 2 staff) for 60 s, 2 gunicorn workers per server
(LOADTEST_USERS, LOADTEST_SECONDS, LOADTEST_WORKERS, LOADTEST_SPAWN_RATE), the report worker at
nice 19 (LOADTEST_WORKER_NICE); the database
`soket_load_two` (LOADTEST_DB), dropped at the end unless LOADTEST_KEEP_DB=1; Redis at
LOADTEST_REDIS_URL (default redis://127.0.0.1:6379/0).
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from harness.servers import BASE_DIR, free_port, gunicorn, stop
from loadtest.measure import server_times
from loadtest.run import (
    DEMO_TERM,
    _drain,
    accounting_failures,
    deadline_accounts,
    handed_over,
    lowest_priority,
    percentile_rows,
    prepared_site,
    print_kinds,
    scratch_database,
    stored_outcomes,
)

USERS = int(os.environ.get("LOADTEST_USERS", "40"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "2"))
# Every user logs in for real (a password hash, about a second of CPU): a slow ramp keeps the
# logins from holding every gunicorn worker at once.
SPAWN_RATE = float(os.environ.get("LOADTEST_SPAWN_RATE", "2"))
DB_NAME = os.environ.get("LOADTEST_DB", "soket_load_two")
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/0")
KEEP_DB = os.environ.get("LOADTEST_KEEP_DB", "") == "1"
# The report worker's CPU priority: 19 as soket-worker.service runs it. On a machine other work
# saturates, a worker at 19 can take minutes just to start (its imports at ~1 % of a core); the
# test of this scenario runs it at 0, as the accounting, not the priority, is what it checks.
WORKER_NICE = int(os.environ.get("LOADTEST_WORKER_NICE", "19"))
# A user in the middle of a report download when the clock runs out waits for the file (the
# rush's patience is 90 s): its outcome is then known, never cut off.
STOP_TIMEOUT = 100
LOGIN_PATH = "/accounts/login/"


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def redis_keys(url: str, prefix: str, *, delete: bool) -> int:
    """How many keys this run left under its prefix (deleted when `delete`)."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if delete and keys:
        client.delete(*keys)
    return len(keys)


def request_lines(server_log: Path) -> list[dict]:
    """The app's request log lines (LOG_FORMAT=json, logger soket.request) from one server's log."""
    lines = []
    for line in server_log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                if entry.get("logger") == "soket.request":
                    lines.append(entry)
    return lines


def sessions_shared(logs: dict[str, list[dict]]) -> tuple[int, int]:
    """(users who logged in on one server and were then served as themselves by another, users who
    logged in): the login is the POST that answered 302 with the user known; any other request
    naming that user on another server was served from the session the login made."""
    logged_in_on: dict[int, set[str]] = defaultdict(set)
    served_on: dict[int, set[str]] = defaultdict(set)
    for server, lines in logs.items():
        for entry in lines:
            user = entry.get("user_id")
            if user is None:
                continue
            if entry.get("path") == LOGIN_PATH and entry.get("method") == "POST":
                if entry.get("status") == 302:
                    logged_in_on[user].add(server)
            else:
                served_on[user].add(server)
    shared = sum(1 for user, servers in logged_in_on.items() if served_on[user] - servers)
    return shared, len(logged_in_on)


def report_downloads(reports: list[dict]) -> dict[str, int]:
    """The downloads as the users saw them: the waiting page (202) first from one server, then the
    waiting page or the file from another while the worker rendered."""
    crossed = [
        r
        for r in reports
        if r["asked"] and any(s != r["asked"] for s in [*r["waits"], *([r["file"]] if r["file"] else [])])
    ]
    return {
        "downloads": len(reports),
        "files": sum(1 for r in reports if r["file"]),
        "instant": sum(1 for r in reports if r["file"] and not r["asked"]),
        "crossed": len(crossed),
        "crossed_file_from_other": sum(1 for r in crossed if r["file"] and r["file"] != r["asked"]),
    }


def _workers(env: dict, work: Path) -> list[subprocess.Popen]:
    """The report worker at the lowest CPU priority (soket-worker's Nice=19; LOADTEST_WORKER_NICE)
    and the mailer."""
    started = []
    for name, queues in [("reports", "reports,default"), ("email", "email")]:
        log = open(work / f"worker-{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
            + ["--interval", "0.5", "--queue-name", queues],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        if name == "reports":
            lowest_priority(process.pid, WORKER_NICE)
        started.append(process)
    return started


def _wait_for_mail(first_pk: int, longest: float = 60) -> None:
    """Let the mailer send what the last reviews sent queued (a bounded wait)."""
    from reviews.notifications.models import DeliveryState, EmailDelivery

    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        waiting = EmailDelivery.objects.filter(
            pk__gt=first_pk, state__in=[DeliveryState.PENDING, DeliveryState.SENDING]
        )
        if not waiting.exists():
            return
        time.sleep(1)


def _wait_for_workers(longest: float = 180) -> None:
    """Until both workers have beaten: a render asked for before any report worker beats fails at
    once as having no live worker (the site's promise, not this test's subject), and at nice 19 on
    a busy machine the worker takes long to start."""
    from config.workers import unserved_queues

    deadline = time.monotonic() + longest
    while unserved := unserved_queues(within=60):
        if time.monotonic() > deadline:
            raise SystemExit(f"loadtest: FAIL: no worker takes {unserved} after {longest:.0f} s")
        time.sleep(1)


def twoservers_main() -> int:
    prefix = f"soket-loadtwo-{os.getpid()}"
    if not redis_answers(REDIS_URL):
        print(f"loadtest: FAIL: no Redis answers at {REDIS_URL} (LOADTEST_REDIS_URL)")
        return 2
    env = prepared_site(
        database=DB_NAME,
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",  # the mailer sends nowhere
        CACHE_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        # Each server's request log names the user of every request: the sessions' evidence.
        LOG_FORMAT="json",
        LOG_REQUESTS="1",
        LOG_LEVEL="WARNING",
    )
    try:
        return _run(env, prefix)
    finally:
        from django.db import connections

        connections.close_all()
        left = redis_keys(REDIS_URL, prefix, delete=True)
        print(f"loadtest_redis_keys_deleted: {left} (prefix {prefix})")
        if not KEEP_DB and not os.environ.get("LOADTEST_DATABASE_URL"):
            scratch_database(DB_NAME, drop_only=True)
            print(f"loadtest_database_dropped: {DB_NAME}")


def _run(env: dict, prefix: str) -> int:

    from indicators.models import AssessmentChange, Term
    from reviews.notifications.models import DeliveryState, EmailDelivery
    from reviews.report.models import RenderedReport, RenderState

    n_staff = max(1, USERS * 2 // 5)
    term = Term.objects.get(code=DEMO_TERM)  # the demo's campaign term (not the next one it sets up)
    plan = deadline_accounts(term.code, n_secretaries=max(1, USERS - n_staff), n_staff=n_staff)
    work = Path(tempfile.mkdtemp(prefix="soket-two-"))
    (work / "accounts.json").write_text(json.dumps(plan), encoding="utf-8")
    last_change = AssessmentChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_render = RenderedReport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_email = EmailDelivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    handed_over()
    users = len(plan["secretaries"]) + len(plan["staff"])

    ports = [free_port(range(8120, 8130)), free_port(range(8130, 8140))]
    names = ["A", "B"]
    with contextlib.ExitStack() as stack:
        bases = []
        for name, port in zip(names, ports, strict=True):
            log = stack.enter_context(open(work / f"server-{name}.log", "w"))
            bases.append(
                stack.enter_context(
                    gunicorn(
                        env=env, port=port, workers=WORKERS, log=log, access_log=work / f"access-{name}.log"
                    )
                )
            )
        for process in _workers(env, work):
            stack.callback(stop, process, grace=20)  # before the servers stop, however this ends
        _wait_for_workers()
        print(
            f"== locust: {users} users for {SECONDS} s against {' and '.join(bases)} ({WORKERS} gunicorn "
            f"workers each), a report worker (nice {WORKER_NICE}) and a mailer; load average before: "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)",
            flush=True,
        )
        started = time.monotonic()
        locust = [
            str(Path(sys.executable).with_name("locust")),
            *("-f", str(BASE_DIR / "loadtest" / "twoservers.py"), "--headless", "--host", bases[0]),
            *(
                "-u",
                str(users),
                "-r",
                str(SPAWN_RATE),
                "-t",
                f"{SECONDS}s",
                "--stop-timeout",
                str(STOP_TIMEOUT),
            ),
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
                        "LOADTEST_STATS": str(work / "stats.json"),
                        "LOADTEST_SERVERS": ",".join(bases),
                        "LOADTEST_LOGINS": "1",
                    },
                    stdout=subprocess.DEVNULL,
                    stderr=locust_log,
                    check=False,
                    timeout=SECONDS + STOP_TIMEOUT + 120,
                )
        finally:
            load_after = os.getloadavg()
            for name in names:
                _drain(work / f"access-{name}.log")
            _wait_for_mail(last_email)
        elapsed = time.monotonic() - started

    stats = work / "stats.json"
    rows = json.loads(stats.read_text()) if stats.exists() else percentile_rows(work / "load_stats.csv")
    outcomes = json.loads((work / "outcomes.json").read_text(encoding="utf-8"))
    access = {name: (work / f"access-{name}.log").read_text().splitlines() for name in names}
    served = {name: sum('"GET /healthz' not in ln for ln in lines) for name, lines in access.items()}
    statuses = {
        name: [ln.split('"')[2].split()[0] for ln in lines if ln.count('"') >= 2]
        for name, lines in access.items()
    }
    server_errors = sum(s.startswith("5") for st in statuses.values() for s in st)
    answers = [
        line.split('"')[2].split()[0]
        for lines in access.values()
        for line in lines
        if "/assess/" in line and '"POST ' in line
    ]
    saves, conflicts = answers.count("302"), answers.count("409")
    saves_by_server = {
        name: sum(
            1 for ln in lines if "/assess/" in ln and '"POST ' in ln and ln.split('"')[2].split()[0] == "302"
        )
        for name, lines in access.items()
    }
    history, lost, refused_stored, not_submitted = stored_outcomes(
        outcomes, term=term, last_change=last_change
    )
    sent = outcomes["sent"]
    renders = Counter(RenderedReport.objects.filter(pk__gt=last_render).values_list("state", flat=True))
    mail = Counter(EmailDelivery.objects.filter(pk__gt=last_email).values_list("state", flat=True))
    downloads = report_downloads(outcomes["reports"])
    shared, logged_in = sessions_shared({name: request_lines(work / f"server-{name}.log") for name in names})
    cache_keys = redis_keys(REDIS_URL, prefix, delete=False)

    server: dict[str, list[int]] = defaultdict(list)
    for name in names:
        for kind, times in server_times(work / f"access-{name}.log").items():
            server[kind] += times
    print_kinds(rows, server)
    by_name = {row["Name"]: row for row in rows}
    total = by_name["Aggregated"]
    errors = int(total["Failure Count"])
    print(
        f"\nloadtest_scenario: twoservers ({users} users: {len(plan['secretaries'])} secretaries, "
        f"{len(plan['staff'])} staff)"
    )
    print(f"loadtest_seconds: {elapsed:.0f}")
    print(f"loadtest_load_average_at_end: {' '.join(f'{x:.1f}' for x in load_after)} (2 cores, shared)")
    print(
        f"loadtest_requests: {total['Request Count']} ({', '.join(f'server {n} {served[n]}' for n in names)})"
    )
    print(f"loadtest_rps: {float(total['Requests/s']):.1f}")
    print(f"loadtest_errors: {errors} (5xx in the access logs: {server_errors})")
    for row in rows:
        if row["Name"] != "Aggregated":
            print(
                f"loadtest_{row['Name']}_ms: p50 {row['50%']}, p95 {row['95%']} "
                f"({row['Request Count']} requests)"
            )
    print(
        f"loadtest_saves: {saves} (server A {saves_by_server['A']}, server B {saves_by_server['B']}; "
        f"accepted as seen by the users: {len(outcomes['accepted'])})"
    )
    print(f"loadtest_history_rows: {len(history)}")
    print(f"loadtest_save_conflicts_refused: {conflicts}")
    print(
        f"loadtest_lost_updates: {len(lost) + len(refused_stored)} ({len(lost)} accepted values "
        f"missing, {len(refused_stored)} refused stored)"
    )
    print(
        f"loadtest_reviews_sent: {len(sent)} of {len(plan['secretaries'])} "
        f"(not submitted: {len(not_submitted)})"
    )
    print(
        f"loadtest_reports_rendered: {renders[RenderState.READY]} "
        f"({renders[RenderState.FAILED]} failed, {renders[RenderState.PENDING]} pending)"
    )
    print(
        f"loadtest_report_downloads: {downloads['downloads']} ({downloads['files']} files, "
        f"{downloads['instant']} at once; users who gave up waiting: {len(outcomes['pdf_gave_up'])})"
    )
    print(
        f"loadtest_reports_across_servers: {downloads['crossed']} (asked for on one server, waited on or "
        f"served by the other; file from the other: {downloads['crossed_file_from_other']})"
    )
    print(
        f"loadtest_sessions_shared: {shared} of {logged_in} users logged in on one server were served "
        "by the other"
    )
    print(f"loadtest_emails_sent: {mail[DeliveryState.SENT]} of {sum(mail.values())} (by the mailer)")
    print(f"loadtest_redis_keys: {cache_keys} (prefix {prefix})")

    failures = accounting_failures(
        errors=errors, server_errors=server_errors, work=work,
        saves=saves, history=len(history), lost=len(lost), refused_stored=len(refused_stored),
    )  # fmt: skip
    if saves == 0:
        failures.append("no save succeeded")
    if not_submitted:
        failures.append(f"sent but not submitted: {not_submitted[:5]}")
    if outcomes["pdf_gave_up"] or renders[RenderState.FAILED]:
        failures.append(
            f"{len(outcomes['pdf_gave_up'])} downloads never came, "
            f"{renders[RenderState.FAILED]} renders failed"
        )
    if not renders[RenderState.READY] or not downloads["crossed"]:
        failures.append("no report rendered for one server while the other served its waiting page")
    if not shared:
        failures.append("no session made on one server was served by the other")
    print("loadtest: " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    print(f"(logs in {work})")
    return 1 if failures else 0
