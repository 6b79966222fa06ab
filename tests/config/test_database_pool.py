"""DATABASE_POOL=1: psycopg's pool in each process, on PostgreSQL only; persistent connections off."""

import json
import os
import shutil
import subprocess

from tests.config.test_settings import PRODUCTION_ENV, manage
from tests.tooling import skip_or_fail_under_ci

PG_URL = os.environ.get("TEST_PG_POOL_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SHOW = (
    "import json; from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps({'pool': d.get('OPTIONS', {}).get('pool'), 'age': d['CONN_MAX_AGE']}))"
)


def settings_with(show: str = SHOW, **env) -> dict:
    """What `show` prints (one JSON line) of the settings a production start makes with `env`."""
    result = manage("shell", "-c", show, env={**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_pool_is_off_by_default_and_sized_from_the_environment():
    assert settings_with(DATABASE_URL=PG_URL) == {"pool": None, "age": 60}
    pooled = settings_with(DATABASE_URL=PG_URL, DATABASE_POOL="1", DATABASE_POOL_MAX_SIZE="6")
    assert pooled == {"pool": {"min_size": 1, "max_size": 6, "timeout": 10.0}, "age": 0}


def test_sqlite_ignores_the_pool_setting(tmp_path):
    found = settings_with(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DATABASE_POOL="1")
    assert found["pool"] is None


def require_postgresql(what: str) -> None:
    """Skip (fail under CI) a test of `what` when PostgreSQL does not answer at PG_URL."""
    probe = ["psql", "--no-psqlrc", "-Atqc", "SELECT 1", "-d", PG_URL]
    if shutil.which("psql") is None or subprocess.run(probe, capture_output=True, timeout=30).returncode != 0:
        skip_or_fail_under_ci(what, f"cannot connect to {PG_URL}")


def test_a_pooled_connection_answers_on_postgresql():
    require_postgresql("the connection pool on PostgreSQL")
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c: c.execute('SELECT 1'); print(c.fetchone()[0])\n"
        "print(type(connection.pool).__name__)"
    )
    result = manage("shell", "-c", code, env={**PRODUCTION_ENV, "DATABASE_URL": PG_URL, "DATABASE_POOL": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["1", "ConnectionPool"]
