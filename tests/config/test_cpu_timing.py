"""CPU_TIMING=1: each answer says the CPU the app spent on it (config/cpu_timing.py), for the load
test's per-kind figures; off by default."""

import time

from django.conf import settings

from config.cpu_timing import HEADER, timed


def _call(app):
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": "GET"}, start_response))
    return seen, body


def test_the_answer_carries_the_cpu_the_app_spent_before_answering():
    def busy_app(environ, start_response):
        started = time.thread_time()
        while time.thread_time() - started < 0.03:
            pass
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    seen, body = _call(timed(busy_app))
    assert body == b"ok"
    assert seen["status"] == "200 OK"
    assert seen["headers"]["Content-Type"] == "text/plain"
    assert 30 <= float(seen["headers"][HEADER]) < 1000


def test_waiting_is_not_cpu():
    def sleepy_app(environ, start_response):
        time.sleep(0.05)
        start_response("204 No Content", [])
        return []

    seen, _ = _call(timed(sleepy_app))
    assert float(seen["headers"][HEADER]) < 20


def test_off_unless_asked():
    assert settings.CPU_TIMING is False
