"""Fault test: a real gunicorn on a throwaway PostgreSQL that goes away and comes back."""

import os

import pytest

from harness.servers import Browser, ThrowawayPostgres, free_port, gunicorn, manage, prepare, server_env

pytestmark = pytest.mark.slow


@pytest.fixture
def throwaway_postgres():
    reason = ThrowawayPostgres.unavailable_reason()
    if reason:
        message = f"NO FAULT TEST: cannot start a throwaway PostgreSQL: {reason}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = ThrowawayPostgres(port=free_port(range(55432, 55500)))
    try:
        yield server.init()
    finally:
        server.destroy()


def test_database_loss_gives_503_and_the_site_recovers(throwaway_postgres, tmp_path):
    env = server_env(throwaway_postgres.url, DB_CONN_MAX_AGE="600")
    prepare(env)
    manage("shell", "-c", "from django.contrib.auth.models import User; "
           "User.objects.create_user('bithu', password='pw-Secret-123')", env=env)  # fmt: skip
    with (
        open(tmp_path / "gunicorn.log", "w") as log,
        gunicorn(env=env, port=free_port(range(8105, 8110)), workers=2, log=log) as base,
    ):
        browser = Browser(base)
        assert browser.login("bithu", "pw-Secret-123")
        assert [browser.request("/")[0] for _ in range(4)] == [200] * 4  # both workers hold a connection

        throwaway_postgres.stop()
        answers = [browser.request("/") for _ in range(4)]
        assert [status for status, _ in answers] == [503] * 4
        page = answers[0][1]
        assert "Hệ thống tạm thời gián đoạn" in page and "The database is not answering" in page
        assert "Traceback" not in page and "psycopg" not in page
        # The server itself answers, and tells a load balancer to send no traffic here.
        assert browser.request("/healthz") == (503, "database unavailable")

        throwaway_postgres.start()
        # No restart of gunicorn: every worker reconnects on its own, and the session survived.
        assert [browser.request("/")[0] for _ in range(6)] == [200] * 6
        assert browser.request("/healthz") == (200, "ok")
