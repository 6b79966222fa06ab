"""Logs: one line per request with status, duration, user and committee; JSON on request; lock-outs."""

import json
import logging

import pytest

from config.logs import JsonFormatter


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="soket.request")
    return caplog


def lines(caplog, logger="soket.request"):
    return [r for r in caplog.records if r.name == logger]


def test_one_line_per_request_with_status_duration_user_and_committee(client, tree, make_user, request_log):
    commune = tree["P-D1-C1"]
    user = make_user("sec", commune, role="secretary")
    client.force_login(user)
    client.get(f"/committees/{commune.code}/", secure=True)
    [record] = lines(request_log)
    assert record.levelno == logging.INFO
    assert record.status == 200 and record.method == "GET"
    assert record.path == f"/committees/{commune.code}/"
    assert record.user_id == user.pk and record.committee == commune.code
    assert record.duration_ms > 0
    assert f"GET /committees/{commune.code}/ 200 " in record.getMessage()
    assert f"user={user.pk} committee={commune.code}" in record.getMessage()


def test_an_anonymous_request_without_a_committee_logs_dashes(client, db, request_log):
    client.get("/accounts/login/", secure=True)
    [record] = lines(request_log)
    assert record.getMessage().endswith("user=- committee=-")


def test_health_probes_are_not_logged(client, db, request_log):
    client.get("/healthz")
    assert lines(request_log) == []


def test_json_format_writes_one_object_per_line_with_the_request_fields():
    record = logging.LogRecord("soket.request", logging.INFO, __file__, 1, "GET / %s", (200,), None)
    record.status = 200
    record.user_id = 7
    record.committee = "BK-CM"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO" and entry["logger"] == "soket.request"
    assert entry["message"] == "GET / 200" and entry["status"] == 200
    assert entry["user_id"] == 7 and entry["committee"] == "BK-CM"


def test_log_format_json_switches_the_handler():
    from tests.config.test_settings import PRODUCTION_ENV, manage

    code = "import logging; logging.getLogger('soket.security').warning('x: %s', 'Đồng Lạc')"
    result = manage("shell", "-c", code, env={**PRODUCTION_ENV, "LOG_FORMAT": "json"})
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["message"] == "x: Đồng Lạc" and entry["level"] == "WARNING"


def test_weasyprint_is_held_to_warning(settings):
    assert settings.LOGGING["loggers"]["weasyprint"]["level"] == "WARNING"
    assert not logging.getLogger("weasyprint").isEnabledFor(logging.INFO)


def test_a_lock_out_logs_the_username_and_the_address(client, db, caplog, settings, django_user_model):
    settings.AXES_FAILURE_LIMIT = 2
    django_user_model.objects.create_user("locked", password="right-Pass-2023")
    caplog.set_level(logging.WARNING, logger="soket.security")
    for _ in range(2):  # the second failure locks out
        client.post(
            "/accounts/login/",
            {"username": "locked", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
            secure=True,
        )
    [record] = lines(caplog, "soket.security")
    assert record.getMessage() == "login locked out: username=locked address=203.0.113.9"


def test_a_path_cannot_forge_a_second_log_line(client, db, request_log):
    client.get("/no-such-page%0A2026-01-01 INFO soket.request GET / 200", secure=True)
    [record] = lines(request_log)
    assert "\n" not in record.getMessage() and "\\x0a" in record.getMessage()
