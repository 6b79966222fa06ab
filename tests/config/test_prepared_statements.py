"""On PostgreSQL the server binds the parameters, and psycopg prepares a statement once a connection
has run it five times, so the database stops planning it on every page; DATABASE_SERVER_BINDING=0
turns both off (a PgBouncer that cannot keep prepared statements)."""

import json

from tests.config.test_database_pool import PG_URL, require_postgresql
from tests.config.test_settings import PRODUCTION_ENV, manage

SHOW = (
    "import json; from django.conf import settings; o = {a: d.get('OPTIONS', {}) for a, d in "
    "settings.DATABASES.items()}; print(json.dumps({a: [v.get('server_side_binding'), "
    "v.get('prepare_threshold')] for a, v in o.items()}))"
)
REPLICA_URL = PG_URL.rsplit("/", 1)[0] + "/replica"


def options_with(**env) -> dict:
    result = manage("shell", "-c", SHOW, env={**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_binds_on_the_server_and_prepares_after_five_runs_replica_included():
    found = options_with(DATABASE_URL=PG_URL, DATABASE_REPLICA_URL=REPLICA_URL)
    assert found == {"default": [True, 5], "replica": [True, 5]}


def test_binding_can_be_turned_off_for_a_pooler_that_cannot_keep_prepared_statements():
    found = options_with(DATABASE_URL=PG_URL, DATABASE_REPLICA_URL=REPLICA_URL, DATABASE_SERVER_BINDING="0")
    assert found == {"default": [None, None], "replica": [None, None]}


def test_sqlite_is_left_as_it_is(tmp_path):
    assert options_with(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}") == {"default": [None, None]}


def test_a_statement_run_five_times_is_prepared_on_the_connection():
    require_postgresql("prepared statements on PostgreSQL")
    code = (
        "from django.db import connection\n"
        "def prepared():\n"
        "    raw = connection.connection  # psycopg's own: its execute can be told not to prepare\n"
        "    return raw.execute('SELECT count(*) FROM pg_prepared_statements', prepare=False).fetchone()[0]\n"
        "seen = []\n"
        "for n in range(7):\n"
        "    with connection.cursor() as c:\n"
        "        c.execute('SELECT relname FROM pg_class WHERE oid = %s', [1259])\n"
        "    seen.append(prepared())\n"
        "print(*seen)\n"
    )
    for binding, expected in (("1", "0 0 0 0 0 1 1"), ("0", "0 0 0 0 0 0 0")):
        env = {**PRODUCTION_ENV, "DATABASE_URL": PG_URL, "DATABASE_SERVER_BINDING": binding}
        result = manage("shell", "-c", code, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == expected, binding
