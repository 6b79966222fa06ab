"""The README's PostgreSQL set-up and the operator's backup: an ICU database that sorts Vietnamese
names, `deploy/backup.sh` (pg_dump -Fc, files 0600, retention) and `deploy/restore-drill.sh`
(pg_restore into a scratch database the site then reads), on the machine's PostgreSQL with
throwaway databases. Skips loudly without PostgreSQL at 127.0.0.1:5432; fails under CI."""

import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings

from tests.config.test_settings import TEST_ONLY_VARIABLES
from tests.tooling import skip_or_fail_under_ci

ROOT = Path(settings.BASE_DIR)
ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# The README's words, run as written (the database name aside). The SQL below is built from this
# file's own constants only (S608 does not apply).
CREATE_ICU = "CREATE DATABASE {name} LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' TEMPLATE template0"
NAMES = ["Đồng Thắng", "Ea Súp", "Đại Sảo", "Bắc Kạn", "Ân Thi", "Đồng Lạc", "Dương Quang", "Ba Bể"]
VIETNAMESE_ORDER = [
    "Ân Thi",
    "Ba Bể",
    "Bắc Kạn",
    "Dương Quang",
    "Đại Sảo",
    "Đồng Lạc",
    "Đồng Thắng",
    "Ea Súp",
]


def psql(sql: str, database: str = "postgres") -> str:
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + database
    result = subprocess.run(
        ["psql", "--no-psqlrc", "-Atq", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def postgres():
    for tool in ("psql", "pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            skip_or_fail_under_ci(
                "PostgreSQL backup tests", f"{tool} is not installed (apt-get install postgresql-client)"
            )
    probe = subprocess.run(
        ["psql", "--no-psqlrc", "-Atqc", "SELECT 1", "-d", ADMIN_URL],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if probe.returncode != 0:
        reason = f"cannot connect to {ADMIN_URL} (TEST_PG_ADMIN_URL): {probe.stderr.strip()}"
        skip_or_fail_under_ci("PostgreSQL backup tests", reason)


@pytest.fixture
def icu_database(postgres):
    name = f"soket_test_icu_{secrets.token_hex(4)}"
    psql(CREATE_ICU.format(name=name))
    yield name
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_readmes_icu_database_sorts_vietnamese_names(icu_database):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (
        "CREATE DATABASE soket OWNER soket LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' TEMPLATE template0"
        in readme
    )
    values = ", ".join(f"('{n}')" for n in NAMES)
    ordered = psql(f"SELECT string_agg(n, '|' ORDER BY n) FROM (VALUES {values}) v(n)", icu_database)  # noqa: S608
    assert ordered.split("|") == VIETNAMESE_ORDER
    # The byte order (what a C collation gives) puts Â and Đ after E: the collation is what sorts right.
    bytewise = psql(
        f"SELECT string_agg(n, '|' ORDER BY n COLLATE \"C\") FROM (VALUES {values}) v(n)",  # noqa: S608
        icu_database,
    )
    assert bytewise.split("|") != VIETNAMESE_ORDER
    three = psql(
        "SELECT string_agg(n, ', ' ORDER BY n) FROM (VALUES ('Đồng Thắng'), ('Đồng Lạc'), ('Đại Sảo')) v(n)",
        icu_database,
    )
    assert three == "Đại Sảo, Đồng Lạc, Đồng Thắng"


def hostless(url: str) -> str:
    """`url` in the README's shape for the local socket, `postgres:///postgres`: no host between the
    slashes, the connection in the query string (a real socket here would be a different server)."""
    parts = urlsplit(url)
    query = {"host": parts.hostname, "port": parts.port, "user": parts.username, "password": parts.password}
    return f"postgres://{parts.path}?" + urlencode({k: v for k, v in query.items() if v is not None})


def test_hostless_keeps_the_readmes_shape():
    assert hostless("postgres://postgres@127.0.0.1:5432/postgres") == (
        "postgres:///postgres?host=127.0.0.1&port=5432&user=postgres"
    )


def site_env(database: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="soket.example.org",
        DATABASE_URL=ADMIN_URL.rsplit("/", 1)[0] + "/" + database,
        **extra,
    )
    return env


def test_nightly_backup_and_the_restore_drill_bring_the_demo_back(icu_database, tmp_path):
    env = site_env(icu_database)
    for args in (("migrate", "--noinput"), ("load_demo", "--password", "Drill-pass-2023")):
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
    counts = psql(
        "SELECT (SELECT count(*) FROM indicators_committee), (SELECT count(*) FROM indicators_assessment),"
        " (SELECT count(*) FROM auth_user)",
        icu_database,
    ).split("|")
    backups = tmp_path / "backups"
    backups.mkdir()
    stale = backups / "soket-20000101-020000.dump"
    stale.write_bytes(b"old")
    os.utime(stale, (time.time() - 20 * 86400,) * 2)
    kept = backups / "soket-20000102-020000.dump"
    kept.write_bytes(b"recent")

    started = time.monotonic()
    backup = subprocess.run(
        ["bash", str(ROOT / "deploy" / "backup.sh")],
        env={**env, "BACKUP_DIR": str(backups), "BACKUP_KEEP_DAYS": "14"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    backup_seconds = time.monotonic() - started
    assert backup.returncode == 0, backup.stderr
    [dump] = [p for p in backups.glob("soket-*.dump") if p not in (kept,)]
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600  # it holds password hashes
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    assert not stale.exists() and kept.exists()  # retention: older than 14 days go
    assert f"deleted {stale}" in backup.stdout and f"backup: {dump}" in backup.stdout

    drill_db = f"soket_test_drill_{secrets.token_hex(4)}"
    started = time.monotonic()
    # As the README runs it: the dump on stdin, the site's settings not readable (ENV_FILE=/dev/null),
    # the admin URL without a host (`postgres:///postgres`), whose scratch URL once lost its `//`.
    env.pop("DATABASE_URL")
    with dump.open("rb") as stdin:
        drill = subprocess.run(
            ["bash", str(ROOT / "deploy" / "restore-drill.sh"), "-", hostless(ADMIN_URL)],
            stdin=stdin,
            env={**env, "DRILL_DATABASE": drill_db, "PYTHON": sys.executable, "ENV_FILE": "/dev/null"},
            capture_output=True,
            text=True,
            timeout=600,
        )
    restore_seconds = time.monotonic() - started
    assert drill.returncode == 0, drill.stdout + drill.stderr
    line = drill.stdout.strip().splitlines()[-1]
    found = dict(zip(*[iter(line.split())] * 2, strict=True))
    assert [found["committees"], found["assessments"], found["users"]] == counts
    assert int(found["terms"]) == 2  # the demo's 2020–2025 and the next term, 2025–2030
    # The drill's scratch database is gone afterwards.
    assert psql(f"SELECT count(*) FROM pg_database WHERE datname = '{drill_db}'") == "0"  # noqa: S608
    print(
        f"\nbackup_seconds: {backup_seconds:.2f} ({dump.stat().st_size} bytes); "
        f"restore_drill_seconds: {restore_seconds:.2f}\n{drill.stdout}"
    )
    assert re.search(r"restored .* in \d+ s", drill.stdout)
