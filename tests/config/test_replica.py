"""A real streaming replica: the reads that may lag come from it, a writer's own pages from the primary.

A throwaway primary is made with initdb on a free loopback port, a replica of it with
`pg_basebackup -R` on another, both in a temporary directory, torn down afterwards (the shared
server on 5432 is never touched). Replay on the replica is paused, so the two differ for as long as
the test needs: a page in REPLICA_READ_VIEWS shows the replica's (older) data to everyone but a
user who has just written, and the primary's once replay resumes."""

import glob
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.config.test_settings import TEST_ONLY_VARIABLES
from tests.test_version_skew import DATA
from tests.tooling import skip_or_fail_under_ci

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*cmd: str, check: bool = True) -> None:
    """PostgreSQL's tools refuse to run as root: as the postgres user then."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 or not check, f"{cmd}: {done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def cluster():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found or not shutil.which("runuser") and os.geteuid() == 0:
        skip_or_fail_under_ci("the replica test", "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    bin_dir = Path(found[-1]).parent
    base = Path(tempfile.mkdtemp(prefix="soket-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")  # as root the tools run as postgres, who writes here
    primary, replica = base / "primary", base / "replica"
    ports = {"primary": free_port(), "replica": free_port()}

    def start(data: Path, port: int) -> None:
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={base} -c fsync=off"
        log = f"{data}.log"
        as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "start")

    started = []
    try:
        as_postgres(
            str(bin_dir / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF-8"
        )
        start(primary, ports["primary"])
        started.append(primary)
        as_postgres(
            str(bin_dir / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(ports["primary"]), "-U", "postgres"),
            *("-D", str(replica), "-R", "-X", "stream", "-c", "fast"),
        )
        start(replica, ports["replica"])
        started.append(replica)
        for name in ("soket", "soket_down"):
            as_postgres(
                str(bin_dir / "psql"),
                *("-h", "127.0.0.1", "-p", str(ports["primary"]), "-U", "postgres"),
                *("-c", f"CREATE DATABASE {name}"),
            )
        yield {
            **{name: f"postgres://postgres@127.0.0.1:{port}/soket" for name, port in ports.items()},
            "stop_replica": lambda: as_postgres(
                str(bin_dir / "pg_ctl"), "-D", str(replica), "-m", "immediate", "-w", "stop"
            ),
        }
    finally:
        for data in reversed(started):  # one a test stopped already: check=False
            as_postgres(
                str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop", check=False
            )
        shutil.rmtree(base, ignore_errors=True)


SCRIPT = (
    DATA
    + """
import json, time
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from indicators.models import Assessment, Role
from tests.conftest import assess_one

users = {}
for name, role in (("writer", "secretary"), ("reader", "viewer")):
    users[name] = get_user_model().objects.create_user(username=name, password="pw-Secret-123")
    Role.objects.create(user=users[name], committee=province, role=role)

def replica(sql):
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]

def caught_up():
    for _ in range(200):
        lsn = connections["default"].cursor()
        lsn.execute("SELECT pg_current_wal_lsn()::text")
        if replica(f"SELECT pg_last_wal_replay_lsn() >= '{lsn.fetchone()[0]}'::pg_lsn"):
            return
        time.sleep(0.05)
    raise AssertionError("the replica never caught up")

clients = {}
for name, user in users.items():
    clients[name] = Client()
    clients[name].force_login(user)  # no request: nobody is pinned yet
url = "/api/committees/P/tally/?term=2020-2025"
tally = lambda name: clients[name].get(url, secure=True).json()
seen = {}
caught_up()
seen["before"] = tally("reader")
replica("SELECT pg_wal_replay_pause()::text")
from indicators.models import Indicator
own = Indicator.objects.of_committee(province)
assessment = Assessment.objects.filter(indicator__in=own).order_by("pk").last()
assess_one(assessment=assessment, status="achieved", by=users["writer"])
# The writer's own write through the site (any POST pins the writer's browser to the primary).
posted = clients["writer"].post("/i18n/setlang/", {"language": "vi", "next": "/"}, secure=True)
seen["post"] = posted.status_code
seen["writer"] = tally("writer")
seen["reader"] = tally("reader")
time.sleep(float(__import__("django.conf").conf.settings.REPLICA_PIN_SECONDS) + 0.5)
seen["writer_later"] = tally("writer")
replica("SELECT pg_wal_replay_resume()::text")
caught_up()
seen["reader_after_replay"] = tally("reader")
print(json.dumps(seen))
"""
)


def site(primary: str, replica: str, script: str) -> dict:
    """Migrate the primary, then run `script` in a process of this tree; what it printed last."""
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=primary,
        DATABASE_REPLICA_URL=replica,
        REPLICA_PIN_SECONDS="2",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        AXES_ENABLED="0",
    )
    for name in ("CACHE_URL", "REDIS_URL"):
        env.pop(name, None)  # each process's own memory: no shared cache answers for the database
    for args in (["migrate", "--noinput"], ["shell", "--no-imports", "-c", script]):
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_lagging_reads_come_from_the_replica_and_a_writers_own_from_the_primary(cluster):
    seen = site(cluster["primary"], cluster["replica"], SCRIPT)

    assert seen["post"] == 302
    assert seen["before"] != seen["writer"]  # the change shows in the tally
    assert seen["writer"] == seen["reader_after_replay"]  # the writer, pinned: the primary at once
    assert seen["reader"] == seen["before"]  # anyone else, on a lag-tolerant page: the replica
    assert seen["writer_later"] == seen["before"]  # the pin ends: the replica (still paused) again
    assert seen["reader_after_replay"] != seen["before"]  # replay resumed: everybody sees it


DOWN = (
    DATA
    + """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from indicators.models import Role
reader = get_user_model().objects.create_user(username="reader", password="pw-Secret-123")
Role.objects.create(user=reader, committee=province, role="viewer")
client = Client()
client.force_login(reader)
answer = client.get("/api/committees/P/tally/?term=2020-2025", secure=True)
print(json.dumps({"status": answer.status_code, "tally": answer.json()}))
"""
)


@pytest.mark.slow
def test_a_replica_that_does_not_answer_is_skipped_and_the_primary_serves(cluster):
    cluster["stop_replica"]()
    primary = cluster["primary"].rsplit("/", 1)[0] + "/soket_down"
    seen = site(primary, cluster["replica"].rsplit("/", 1)[0] + "/soket_down", DOWN)
    assert seen["status"] == 200 and seen["tally"]  # read from the primary, not a 503
