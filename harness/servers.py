"""Real servers on the loopback for the fault tests, bench and load test: PostgreSQL, gunicorn."""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def free_port(candidates) -> int:
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port among {list(candidates)}")


def server_env(database_url: str, **extra) -> dict[str, str]:
    """Production settings (DEBUG off) over plain http on 127.0.0.1."""
    test_only = {"PYTEST_VERSION", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or "loopback-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="0",
        DATABASE_URL=database_url,
        STATIC_ROOT=env.get("STATIC_ROOT") or str(Path(tempfile.gettempdir()) / "soket-static"),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(*args, env, check=True, quiet=True):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=check,
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=None,
    )


def prepare(env: dict) -> None:
    """Migrate the database and collect the static files whitenoise serves."""
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", env=env)


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback URL we built
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


# gunicorn's default access line, then the app's CPU on the request (ms, the X-Cpu-Ms header that
# CPU_TIMING=1 adds, "-" without it: config/cpu_timing.py) and the time the server took (ms) at its end.
ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-cpu-ms}o)s %(M)s'


@contextlib.contextmanager
def gunicorn(*, env: dict, port: int, workers: int = 2, timeout: int = 60, log=None, access_log=None):
    """gunicorn serving config.wsgi on 127.0.0.1:port until the block ends."""
    access = ["--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT] if access_log else []
    process = subprocess.Popen(
        [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--timeout", str(timeout), "--graceful-timeout", "5", "--log-level", "warning", *access],
        cwd=BASE_DIR, env=env, stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process, grace=15)


def stop(process: subprocess.Popen, *, grace: float) -> None:
    """SIGTERM, `grace` seconds to finish what it is doing, then SIGKILL; reaped either way."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def find_initdb() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return found[-1] if found else shutil.which("initdb")


class ThrowawayPostgres:
    """A private PostgreSQL cluster in a temporary folder on its own port (never the shared one)."""

    def __init__(self, port: int):
        self.port = port
        self.bindir = Path(find_initdb() or "initdb").parent
        self.dir = Path(tempfile.mkdtemp(prefix="soket-pg-"))
        self.data = self.dir / "data"
        self.user = None if os.geteuid() != 0 else "postgres"  # initdb refuses to run as root

    @classmethod
    def unavailable_reason(cls) -> str | None:
        if not find_initdb():
            return "initdb not found (install postgresql)"
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root and there is no 'postgres' user to run initdb as"
        return None

    def _run(self, *args, check=True):
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/soket"

    def init(self):
        if self.user:
            shutil.chown(self.dir, self.user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "soket")
        return self

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def destroy(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A tiny cookie-keeping HTTP client for the loopback server (no redirects followed)."""

    def __init__(self, base: str):
        import http.cookiejar

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def request(self, path: str, data: dict | None = None, timeout: float = 30) -> tuple[int, str]:
        body = None
        headers = {}
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.cookie("csrftoken"), **data}).encode()
            headers = {"Referer": self.base + path, "Content-Type": "application/x-www-form-urlencoded"}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def login(self, username: str, password: str) -> bool:
        self.request("/accounts/login/")
        status, _ = self.request("/accounts/login/", {"username": username, "password": password})
        return status == 302
