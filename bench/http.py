"""`make bench` section: the province dashboard against the cheapest signed-in page, on one real
gunicorn server in the same run.

`auth_page_rps` is /healthz/auth (session and user, nothing else); `dashboard_over_auth_page_rps`
is how much of that rate the dashboard keeps with its cache warm (target >= 0.5). `hello_rps`
(/healthz: no session, one query) is kept for comparison. The load generator is a few threads on
127.0.0.1, bounded in time.
"""

import http.client
import threading
import time

from harness.servers import Browser, free_port, gunicorn, manage, server_env

SECONDS = 5.0
CONCURRENCY = 4
WORKERS = 2
PASSWORD = "bench-http-pass-2023"  # noqa: S105 - scratch database, loopback only


def _measure(port: int, path: str, cookie: str, seconds: float = SECONDS) -> tuple[float, int]:
    """Requests per second answered 200 by `CONCURRENCY` clients for `seconds`; and the errors."""
    ok = errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        nonlocal ok, errors
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                response.read()
                good = response.status == 200
            except OSError:
                good = False
            finally:
                connection.close()
            with lock:
                ok, errors = (ok + 1, errors) if good else (ok, errors + 1)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ok / (time.monotonic() - started), errors


def run(ctx) -> dict:
    from django.db import connections

    viewer = ctx.province_viewer
    viewer.set_password(PASSWORD)
    viewer.save(update_fields=["password"])
    connections.close_all()  # the server's processes open their own

    env = server_env(ctx.database_url, AXES_ENABLED="0", DB_CONN_MAX_AGE="600")
    manage("collectstatic", "--noinput", env=env)
    port = free_port(range(8105, 8110))
    dashboard = f"/committees/{ctx.province.code}/?term={ctx.term.code}"
    with gunicorn(env=env, port=port, workers=WORKERS) as base:
        browser = Browser(base)
        if not browser.login(viewer.username, PASSWORD):
            raise RuntimeError("bench viewer could not log in")
        cookie = f"sessionid={browser.cookie('sessionid')}"
        status, _ = browser.request(dashboard)
        if status != 200:
            raise RuntimeError(f"dashboard answered {status}")
        status, _ = browser.request("/healthz/auth")
        if status != 200:
            raise RuntimeError(f"/healthz/auth answered {status}")
        # Warm every worker (templates, connections, each process's own dashboard cache).
        _measure(port, dashboard, cookie, seconds=1.0)
        hello_rps, hello_errors = _measure(port, "/healthz", "")
        auth_rps, auth_errors = _measure(port, "/healthz/auth", cookie)
        dashboard_rps, dashboard_errors = _measure(port, dashboard, cookie)
    return {
        "hello_rps": round(hello_rps, 1),
        "auth_page_rps": round(auth_rps, 1),
        "dashboard_rps": round(dashboard_rps, 1),
        "dashboard_over_hello_rps": round(dashboard_rps / hello_rps, 2) if hello_rps else 0,
        "dashboard_over_auth_page_rps": round(dashboard_rps / auth_rps, 2) if auth_rps else 0,
        "http_errors": hello_errors + auth_errors + dashboard_errors,
    }
