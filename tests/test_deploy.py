"""The deployment files in deploy/, the dependency lock and the Makefile's production targets.

Tools (systemd-analyze, nginx, openssl) skip loudly when absent and fail under CI=true."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

from reviews.workbook.reader import MAX_FILE_BYTES
from tests.tooling import skip_or_fail_under_ci

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("soket-*.*"))
SERVICES = [u for u in UNITS if u.suffix == ".service"]
TIMERS = [u for u in UNITS if u.suffix == ".timer"]
ENV_FILE = "/etc/soket/soket.env"


def need(tool: str, what: str) -> str:
    found = shutil.which(tool) or next(
        (p for p in (f"/usr/sbin/{tool}", f"/usr/bin/{tool}") if Path(p).exists()), None
    )
    if found is None:
        skip_or_fail_under_ci(what, f"{tool} is not installed (apt-get install {tool})")
    return str(found)


# --- systemd ---------------------------------------------------------------------------------


def test_there_are_units_for_the_web_the_worker_and_every_scheduled_job():
    names = {u.name for u in UNITS}
    assert {"soket-web.service", "soket-worker.service"} <= names
    for job in ("reminders", "deliveries", "cleanup", "backup"):
        assert {f"soket-{job}.service", f"soket-{job}.timer"} <= names, job


def test_every_unit_reads_the_one_environment_file_and_states_the_time_zone():
    for unit in SERVICES:
        text = unit.read_text(encoding="utf-8")
        assert f"EnvironmentFile={ENV_FILE}" in text, unit.name
        assert "TZ=Asia/Ho_Chi_Minh" in text, unit.name
    for timer in TIMERS:
        calendar = re.search(r"^OnCalendar=(.+)$", timer.read_text(encoding="utf-8"), re.M)
        assert calendar, timer.name
        daily = re.search(r"\d\d:\d\d:\d\d", calendar.group(1))
        assert not daily or calendar.group(1).endswith("Asia/Ho_Chi_Minh"), timer.name


def test_the_worker_runs_below_the_web_server_and_both_refuse_an_unmigrated_database():
    worker = (DEPLOY / "systemd" / "soket-worker.service").read_text(encoding="utf-8")
    web = (DEPLOY / "systemd" / "soket-web.service").read_text(encoding="utf-8")
    assert "manage.py db_worker" in worker
    assert int(re.search(r"^CPUWeight=(\d+)", worker, re.M).group(1)) < 100  # systemd's default
    assert int(re.search(r"^Nice=(\d+)", worker, re.M).group(1)) >= 10
    for text in (web, worker):
        assert "ExecStartPre=/srv/soket/.venv/bin/python manage.py check_migrations" in text
    assert "gunicorn config.wsgi" in web and "RestartPreventExitStatus=4" in web


def test_systemd_analyze_verifies_every_unit(tmp_path):
    tool = need("systemd-analyze", "systemd unit verification")
    # The units name /srv/soket and /etc/soket: verify copies pointing at a stand-in tree.
    srv = tmp_path / "srv" / "soket"
    (srv / ".venv" / "bin").mkdir(parents=True)
    (srv / "deploy").mkdir()
    for name, target in (
        ("python", sys.executable),
        ("gunicorn", Path(sys.executable).with_name("gunicorn")),
    ):
        (srv / ".venv" / "bin" / name).symlink_to(target)
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "soket.env").write_text("SECRET_KEY=x\n")
    units = tmp_path / "units"
    units.mkdir()
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace("/srv/soket", str(srv))
        (units / unit.name).write_text(text.replace(ENV_FILE, str(tmp_path / "etc" / "soket.env")))
    result = subprocess.run(
        [tool, "verify", "--man=no", *sorted(p.name for p in units.iterdir())],
        cwd=units,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # Unknown keys and unparsable calendars are only warnings: none may appear.
    assert result.stderr.strip() == "", result.stderr


# --- nginx -----------------------------------------------------------------------------------

NGINX_SITE = DEPLOY / "nginx" / "soket.conf"


def test_nginx_accepts_the_apps_upload_limit_and_never_retries_a_post():
    text = NGINX_SITE.read_text(encoding="utf-8")
    size = re.search(r"client_max_body_size\s+(\d+)([km]?);", text)
    assert size
    factor = {"": 1, "k": 1024, "m": 1024 * 1024}[size.group(2)]
    assert int(size.group(1)) * factor > MAX_FILE_BYTES  # the file plus its multipart wrapping
    nexts = re.findall(r"proxy_next_upstream\s+([^;]+);", text)
    assert nexts and all("non_idempotent" not in n and "timeout" not in n for n in nexts)
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_set_header X-Real-IP $remote_addr;" in text
    assert re.search(r"proxy_read_timeout\s+(\d+)s;", text)
    assert int(re.search(r"proxy_read_timeout\s+(\d+)s;", text).group(1)) > 60  # above gunicorn's


def nginx_prefix(tmp_path, site: str) -> Path:
    """A throwaway nginx prefix: the site with a self-signed certificate, temp paths inside."""
    openssl = need("openssl", "nginx TLS test certificate")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=soket.test",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = site.replace("/etc/ssl/certs/soket.example.org.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/ssl/private/soket.example.org.key", str(tmp_path / "key.pem"))
    (tmp_path / "soket.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{ access_log off; {temp} include {tmp_path / 'soket.conf'}; }}\n"
    )
    return tmp_path / "nginx.conf"


def test_nginx_t_accepts_the_site(tmp_path):
    nginx = need("nginx", "nginx configuration test")
    conf = nginx_prefix(tmp_path, NGINX_SITE.read_text(encoding="utf-8"))
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr, result.stderr


# --- the environment file --------------------------------------------------------------------


def test_the_environment_template_lists_every_setting_the_settings_read():
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list|os\.environ\[)\(?"([A-Z_]+)"', source))
    read.add("DATABASE_URL")  # read by dj_database_url.config()
    assert {"SECRET_KEY", "DATABASE_URL", "SITE_URL", "EMAIL_USE_SSL", "LOG_FORMAT"} <= read
    template = (DEPLOY / "soket.env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", template, re.M))
    missing = read - listed
    assert not missing, f"add to deploy/soket.env.example: {sorted(missing)}"
    for line in template.splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r'[A-Z_]+=("[^"]*"|\S*)', line), f"systemd and sh both read this: {line!r}"


# --- the dependency lock ---------------------------------------------------------------------


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(requirements: list[str]) -> set[str]:
    names = (re.match(r"[A-Za-z0-9_.-]+", r) for r in requirements)
    return {normalized(name.group(0)) for name in names if name}


def locked(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {normalized(m.group(1)): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)}


def test_the_locks_cover_every_dependency_of_pyproject_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = requirement_names(project["dependencies"])
    test_extra = requirement_names(project["optional-dependencies"]["test"])
    runtime_lock, test_lock = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-test.lock")
    hint = "run `make lock` after changing pyproject.toml"
    assert not runtime - set(runtime_lock), (
        f"{sorted(runtime - set(runtime_lock))} not in requirements.lock: {hint}"
    )
    missing = (runtime | test_extra) - set(test_lock)
    assert not missing, f"{sorted(missing)} not in requirements-test.lock: {hint}"
    # The runtime pins are the test pins: what is tested is what runs.
    assert {k: test_lock[k] for k in runtime_lock} == runtime_lock
    for path in (ROOT / "requirements.lock", ROOT / "requirements-test.lock"):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", path.read_text(encoding="utf-8"))
        for block in blocks[1:]:
            assert "--hash=sha256:" in block, block.splitlines()[0]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_installs_from_the_lock_and_serve_installs_and_collects_nothing():
    def planned(target: str) -> str:
        return subprocess.run(
            ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=60
        ).stdout

    run, test, serve = planned("run"), planned("test"), planned("serve")
    assert "--require-hashes -r requirements.lock" in run and "--no-deps -e ." in run
    assert "--require-hashes -r requirements-test.lock" in test
    assert "pip" not in serve and "collectstatic" not in serve
    assert "check_migrations" in serve
    assert "collectstatic" in planned("release")
    assert "uv pip compile" in planned("lock")


# --- nginx, running: uploads pass, a POST is never sent twice ---------------------------------


class _Upstream:
    """A stand-in app server on a loopback port: records what reached it; if it `dies`, /die reads
    the request and closes the connection without answering (an app server dying mid-request)."""

    def __init__(self, *, dies: bool) -> None:
        import http.server
        import threading

        seen: list[tuple[str, str, int, dict[str, str]]] = []
        self.seen = seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 -- http.server's hook name
                self.answer()

            def do_POST(self):  # noqa: N802
                self.answer()

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen.append((self.command, self.path, len(body), dict(self.headers)))
                if dies and self.path == "/die":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nginx_running_passes_a_10_mb_upload_and_never_retries_a_post(tmp_path):
    import http.client
    import ssl
    import time

    nginx = need("nginx", "nginx running test")
    first, second = _Upstream(dies=True), _Upstream(dies=False)
    http_port, https_port = _free_port(), _free_port()
    site = NGINX_SITE.read_text(encoding="utf-8")
    # The same site on loopback ports, with two app servers: the second only when the first fails.
    site = re.sub(
        r"upstream soket_app \{.*?\n\}",
        f"upstream soket_app {{ server 127.0.0.1:{first.port} max_fails=0; "
        f"server 127.0.0.1:{second.port} backup; keepalive 4; }}",
        site,
        flags=re.S,
    )
    site = site.replace("listen [::]:80;", "").replace("listen [::]:443 ssl;", "")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    conf = nginx_prefix(tmp_path, site)
    if os.geteuid() == 0:  # nginx's workers would otherwise run as nobody, locked out of tmp_path
        conf.write_text("user root;\n" + conf.read_text())
    process = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    context = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))
    context.check_hostname = False

    def request(method: str, path: str, body: bytes | None = None) -> int:
        connection = http.client.HTTPSConnection("127.0.0.1", https_port, context=context, timeout=30)
        try:
            connection.request(method, path, body=body, headers={"Host": "soket.example.org"})
            return connection.getresponse().status
        finally:
            connection.close()

    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                request("GET", "/ready")
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.2)
        first.seen.clear()

        upload = b"x" * (MAX_FILE_BYTES + 200_000)  # a 10 MB workbook and its form around it
        assert request("POST", "/upload", upload) == 200
        [(method, _path, size, headers)] = first.seen
        assert method == "POST" and size == len(upload)
        assert headers["X-Forwarded-Proto"] == "https" and headers["X-Real-IP"] == "127.0.0.1"
        assert request("POST", "/upload", b"x" * (13 * 1024 * 1024)) == 413  # past the bound

        # The first app server dies mid-request: a GET moves on to the second, a POST does not.
        first.seen.clear()
        assert request("GET", "/die") == 200
        assert [s[:2] for s in second.seen] == [("GET", "/die")]
        second.seen.clear()
        assert request("POST", "/die", b"assessment=1") == 502
        assert [s[:2] for s in first.seen[-1:]] == [("POST", "/die")]
        assert second.seen == []  # never applied twice
        assert request("GET", "/healthz") == 200  # and the site still answers
    finally:
        process.terminate()
        process.wait(timeout=20)
        first.server.shutdown()
        second.server.shutdown()


def test_manage_sh_runs_manage_py_with_the_environment_template_as_written(tmp_path):
    # The template itself, with its two placeholders filled: every line must read in a shell too.
    template = (DEPLOY / "soket.env.example").read_text(encoding="utf-8")
    env_file = tmp_path / "soket.env"
    env_file.write_text(
        template.replace("SECRET_KEY=change-me", "SECRET_KEY=" + "k" * 60).replace(
            "DATABASE_URL=postgres://soket:change-me@127.0.0.1:5432/soket",
            f"DATABASE_URL=sqlite:///{tmp_path / 'db.sqlite3'}",
        )
    )
    code = "from django.conf import settings; print(settings.SITE_URL, '|', settings.DEFAULT_FROM_EMAIL)"
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "TESTING"}}
    env.pop("PYTEST_VERSION", None)
    result = subprocess.run(
        ["bash", str(DEPLOY / "manage.sh"), "shell", "--no-imports", "-c", code],
        env={**env, "ENV_FILE": str(env_file), "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://soket.example.org | Sơ kết <no-reply@soket.example.org>"
