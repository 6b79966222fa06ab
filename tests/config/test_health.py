"""`/healthz`: one database query, 503 when the database is gone, never redirected to https."""

from unittest import mock

from django.db import OperationalError
from django.db.backends.utils import CursorWrapper


def test_healthz_answers_ok_with_one_query_and_no_session(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "sessionid" not in response.cookies


def test_healthz_answers_503_when_the_database_is_gone(client, db):
    def lost(self, sql, params=None):
        raise OperationalError("could not connect to server")

    with mock.patch.object(CursorWrapper, "execute", lost):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.content == b"database unavailable"
    assert b"connect" not in response.content


def test_healthz_over_plain_http_is_not_redirected(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production (HTTPS on)
    assert client.get("/healthz").status_code == 200
    # ...while every other page still goes to https.
    redirected = client.get("/accounts/login/")
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")
    assert client.get("/healthz/").status_code == 301  # only the exact path is exempt


def test_healthz_auth_answers_a_signed_in_user_with_the_session_and_the_user_only(
    client, django_user_model, django_assert_num_queries
):
    user = django_user_model.objects.create_user("probe", password="probe-pass-2023")
    client.force_login(user)
    with django_assert_num_queries(2):  # the session, the user
        response = client.get("/healthz/auth", secure=True)
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_auth_sends_a_stranger_to_the_login_page(client, db):
    response = client.get("/healthz/auth", secure=True)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Answered before the Host check (config.health.HealthCheckMiddleware) --------------------


def test_healthz_answers_a_load_balancer_probing_by_ip_whatever_the_host(client, db, settings):
    settings.ALLOWED_HOSTS = ["soket.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    for host in ("10.0.0.5", "10.0.0.5:8000", "attacker.example"):
        response = client.get("/healthz", HTTP_HOST=host)
        assert response.status_code == 200, host
        assert response.content == b"ok"
        assert not response.cookies
    # Every other path still refuses a host it does not serve.
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.5").status_code == 400


def test_ready_answers_by_ip_too_with_every_part(client, db, settings):
    settings.ALLOWED_HOSTS = ["soket.example.org"]
    response = client.get("/healthz/ready", HTTP_HOST="10.0.0.5")
    assert response.status_code in (200, 503)
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"database", "cache", "worker", "queue"}
    assert not response.cookies
