"""The load test's server-side figures: gunicorn's access lines read back into request kinds and
milliseconds, and the CPU of each part of the machine."""

# ruff: noqa: E501 -- access lines are long, as gunicorn writes them
import os
import subprocess
import sys

import pytest

from harness.servers import ACCESS_FORMAT
from loadtest.measure import _role, app_cpu_times, cpu_by_role, request_kind, server_times, web_cpu_seconds

LINES = "\n".join(
    [
        '127.0.0.1 - - [27/Nov/2026:18:09:25 +0700] "GET /committees/BK-TP-DX/assess/?term=2020-2025 HTTP/1.1" 200 7789 "-" "python-requests/2.34.2" 84',
        '127.0.0.1 - - [27/Nov/2026:18:09:26 +0700] "POST /committees/BK-TP-DX/assess/?term=2020-2025 HTTP/1.1" 302 0 "-" "python-requests/2.34.2" 46',
        '127.0.0.1 - - [27/Nov/2026:18:09:26 +0700] "POST /committees/BK-TP-DX/assess/?term=2020-2025 HTTP/1.1" 409 91 "-" "python-requests/2.34.2" 97',
        '127.0.0.1 - - [27/Nov/2026:18:09:27 +0700] "GET /committees/BK/?term=2020-2025 HTTP/1.1" 200 96946 "-" "python-requests/2.34.2" 29',
        '127.0.0.1 - - [27/Nov/2026:18:09:27 +0700] "GET /committees/BK/report.pdf?term=2020-2025 HTTP/1.1" 202 900 "-" "x" 12',
        '127.0.0.1 - - [27/Nov/2026:18:09:27 +0700] "GET /committees/BK/report.pdf?term=2020-2025 HTTP/1.1" 200 90000 "-" "x" 20',
        '127.0.0.1 - - [27/Nov/2026:18:09:28 +0700] "GET /healthz HTTP/1.1" 200 2 "-" "Python-urllib/3.11"',
    ]
)


@pytest.mark.parametrize(
    ("method", "path", "status", "kind"),
    [
        ("GET", "/committees/X/assess/?term=T", "200", "assess_form"),
        ("POST", "/committees/X/assess/?term=T", "302", "assess_save"),
        ("POST", "/committees/X/assess/?term=T", "409", "assess_save_conflict"),
        ("GET", "/committees/X/review/submit/?term=T", "200", "submit_page"),
        ("POST", "/committees/X/review/submit/?term=T", "302", "review_submit"),
        ("GET", "/committees/X/campaign/?term=T", "200", "campaign"),
        ("GET", "/committees/X/report.pdf?term=T", "202", "report_pdf_wait"),
        ("GET", "/committees/X/report.pdf?term=T", "200", "report_pdf"),
        ("GET", "/committees/X/?term=T", "200", "dashboard"),
        ("GET", "/committees/X/trouble/?term=T", "200", "other"),
    ],
)
def test_request_kinds_are_the_load_tests_names(method, path, status, kind):
    assert request_kind(method, path, status) == kind


def test_server_times_by_kind_skip_lines_without_a_time(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(LINES)
    assert server_times(log) == {
        "assess_form": [84],
        "assess_save": [46],
        "assess_save_conflict": [97],
        "dashboard": [29],
        "report_pdf_wait": [12],
        "report_pdf": [20],
    }


def test_the_access_format_ends_with_the_apps_cpu_then_the_milliseconds():
    assert ACCESS_FORMAT.endswith(" %({x-cpu-ms}o)s %(M)s")


def test_the_apps_cpu_by_kind_is_read_from_the_lines_that_carry_it(tmp_path):
    """CPU_TIMING=1 puts X-Cpu-Ms before the milliseconds; gunicorn writes "-" without the header,
    and a line of the old format has neither: only the first kind of line counts."""
    log = tmp_path / "access.log"
    log.write_text(
        LINES
        + "\n"
        + "\n".join(
            [
                '127.0.0.1 - - [27/Nov/2026:18:09:29 +0700] "GET /committees/BK-X/assess/?term=2020-2025 HTTP/1.1" 200 7789 "-" "python-requests/2.34.2" 31.5 84',
                '127.0.0.1 - - [27/Nov/2026:18:09:29 +0700] "GET /committees/BK-X/assess/?term=2020-2025 HTTP/1.1" 200 7789 "-" "python-requests/2.34.2" 12.0 40',
                '127.0.0.1 - - [27/Nov/2026:18:09:30 +0700] "POST /committees/BK-X/assess/?term=2020-2025 HTTP/1.1" 302 0 "-" "python-requests/2.34.2" 20.2 46',
                '127.0.0.1 - - [27/Nov/2026:18:09:30 +0700] "GET /static/site.css HTTP/1.1" 200 0 "-" "x" - 3',
            ]
        )
    )
    assert app_cpu_times(log) == {"assess_form": [31.5, 12.0], "assess_save": [20.2]}
    # The milliseconds of the lines with a CPU figure are still read as before.
    assert server_times(log)["assess_form"] == [84, 84, 40]


def test_the_web_cpu_is_that_of_the_gunicorn_listening_on_the_port():
    """Two processes named gunicorn burn CPU; only the one listening on the port is counted (another
    helper's gunicorn on the machine is not ours), to what it says it used."""
    import socket

    spin = "import time\nstart = time.process_time()\nwhile time.process_time() - start < %s: pass\n"
    listen = (
        "import os, socket, sys, time\n"
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
        "print(s.getsockname()[1], flush=True)\n"
        f"{spin % 0.5}"
        "print(sum(os.times()[:4]), flush=True)\n"
        "sys.stdin.read()\n"
    )
    other = f"import sys\n{spin % 0.5}print(1, flush=True)\nsys.stdin.read()\n"
    ours = subprocess.Popen(
        [sys.executable, "-c", listen, "gunicorn"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    theirs = subprocess.Popen(
        [sys.executable, "-c", other, "gunicorn"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert ours.stdout is not None and theirs.stdout is not None
        port = int(ours.stdout.readline())
        own = float(ours.stdout.readline())
        theirs.stdout.readline()
        measured = web_cpu_seconds(port)
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            nobody = web_cpu_seconds(unused.getsockname()[1])
    finally:
        ours.communicate("")
        theirs.communicate("")
    assert own >= 0.45
    assert measured == pytest.approx(own, abs=0.05)
    assert nobody == 0.0


@pytest.mark.parametrize(
    ("cmdline", "role"),
    [
        ("gunicorn: worker [config.wsgi]", "web"),
        ("/venv/bin/python /venv/bin/gunicorn config.wsgi -b 127.0.0.1:8765", "web"),
        ("/venv/bin/python /venv/bin/gunicorn config.wsgi -b 127.0.0.1:9999", None),  # another port
        ("/venv/bin/python manage.py db_worker", "report worker"),
        ("/venv/bin/python /venv/bin/locust -f loadtest/locustfile.py", "load generator"),
        ("/venv/bin/python loadtest/run.py", "load generator"),
        ("postgres: 16/main: postgres soket 127.0.0.1(5432) idle", "postgresql"),
        ("/venv/bin/python -m pytest", None),
    ],
)
def test_each_process_is_counted_in_its_part(cmdline, role):
    assert _role(cmdline, 8765) == role


def test_the_cpu_seconds_of_a_part_are_those_its_processes_used():
    """A child named like the load generator burns CPU, and so does a grandchild it has reaped (as
    locust ends inside loadtest/run.py); the load generator's count grows by what the child says it
    used, its own user and system time and its reaped children's, to the kernel's clock tick."""
    spin = "import time\nstart = time.process_time()\nwhile time.process_time() - start < %s: pass\n"
    burn = (
        "import os, subprocess, sys, time\n"
        f"subprocess.run([sys.executable, '-c', {spin % 0.25!r}], check=True)\n"
        f"{spin % 0.6}"
        "print(sum(os.times()[:4]), flush=True)\n"
        "sys.stdin.read()\n"
    )
    before = cpu_by_role(port=1).get("load generator", 0.0)
    child = subprocess.Popen(
        [sys.executable, "-c", burn, "loadtest/run.py"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        own = float(child.stdout.readline())
        during = cpu_by_role(port=1).get("load generator", 0.0)
    finally:
        child.communicate("")
    assert own >= 0.85
    tick = 1 / os.sysconf("SC_CLK_TCK")
    assert during - before == pytest.approx(own, abs=3 * tick + 0.05)
