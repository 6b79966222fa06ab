"""On PostgreSQL the server binds the parameters (replica included) and nothing is prepared unless
asked (indicators.rows.prepared); DATABASE_SERVER_BINDING=0 binds on the client as Django does (a
PgBouncer that cannot keep prepared statements); SQLite is left as it is."""

from tests.config.test_database_pool import PG_URL, settings_with

REPLICA_URL = PG_URL.rsplit("/", 1)[0] + "/replica"
# Each database's (server_side_binding, whether prepare_threshold is set, its value).
SHOW = (
    "import json; from django.conf import settings; o = {a: d.get('OPTIONS', {}) for a, d in "
    "settings.DATABASES.items()}; print(json.dumps({a: [v.get('server_side_binding'), "
    "'prepare_threshold' in v, v.get('prepare_threshold')] for a, v in o.items()}))"
)


def options_with(**env) -> dict:
    return settings_with(SHOW, **env)


def test_postgresql_binds_on_the_server_and_prepares_nothing_unasked_replica_included():
    found = options_with(DATABASE_URL=PG_URL, DATABASE_REPLICA_URL=REPLICA_URL)
    assert found == {"default": [True, True, None], "replica": [True, True, None]}


def test_binding_on_the_client_for_a_pooler_that_cannot_keep_prepared_statements():
    found = options_with(DATABASE_URL=PG_URL, DATABASE_REPLICA_URL=REPLICA_URL, DATABASE_SERVER_BINDING="0")
    assert found == {"default": [None, False, None], "replica": [None, False, None]}


def test_sqlite_is_left_as_it_is(tmp_path):
    found = options_with(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert found == {"default": [None, False, None]}
