"""What the server side of a load test did: its time per request kind (from gunicorn's access log,
which ends each line with the milliseconds the server took) and the CPU each part of the machine
used. Set beside what the users saw, they tell a slow page from a queue on a busy machine."""

import os
import re
from collections import defaultdict
from pathlib import Path

# "GET /committees/BK/assess/?term=… HTTP/1.1" 302 0 "-" "python-requests/…" 12.5 87
_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) .* (?P<ms>\d+)$')
# The app's own CPU on the request (X-Cpu-Ms, config/cpu_timing.py) just before the milliseconds.
_CPU = re.compile(r" (?P<cpu>\d+\.\d+) \d+$")
_TICK = os.sysconf("SC_CLK_TCK")


def request_kind(method: str, path: str, status: str) -> str:
    """The load test's name for a request, from what the server saw of it."""
    path = path.split("?", 1)[0]
    if path.endswith("/assess/"):
        if method == "POST":
            return "assess_save_conflict" if status == "409" else "assess_save"
        return "assess_form"
    if path.endswith("/review/submit/"):
        return "review_submit" if method == "POST" else "submit_page"
    if path.endswith("/campaign/"):
        return "campaign"
    if path.endswith("/report.pdf"):
        return "report_pdf" if status == "200" else "report_pdf_wait"
    if re.fullmatch(r"/committees/[^/]+/", path):
        return "dashboard"
    return "other"


def server_times(access_log: Path) -> dict[str, list[int]]:
    """Milliseconds the server took, by request kind."""
    times: dict[str, list[int]] = defaultdict(list)
    for line in access_log.read_text().splitlines():
        match = _LINE.search(line)
        if match:
            kind = request_kind(match["method"], match["path"], match["status"])
            times[kind].append(int(match["ms"]))
    return dict(times)


def app_cpu_times(access_log: Path) -> dict[str, list[float]]:
    """The app's CPU milliseconds by request kind, from the lines that carry them (CPU_TIMING=1)."""
    times: dict[str, list[float]] = defaultdict(list)
    for line in access_log.read_text().splitlines():
        match, cpu = _LINE.search(line), _CPU.search(line)
        if match and cpu:
            times[request_kind(match["method"], match["path"], match["status"])].append(float(cpu["cpu"]))
    return dict(times)


def web_cpu_seconds(port: int) -> float:
    """CPU seconds used so far by the gunicorn serving `port`: its master and its workers, found as
    the gunicorn processes listening on that port (so another gunicorn on the machine, also named
    "gunicorn: worker [config.wsgi]", is never counted), user and system, with the children each
    has reaped (a worker that was replaced counts in its master)."""
    import psutil

    total = 0.0
    for process in psutil.process_iter(["cmdline"]):
        try:
            if "gunicorn" not in " ".join(process.info["cmdline"] or []):
                continue
            if not any(c.laddr and c.laddr.port == port and c.status == psutil.CONN_LISTEN
                       for c in process.net_connections("tcp")):  # fmt: skip
                continue
            cpu = process.cpu_times()
            total += cpu.user + cpu.system + cpu.children_user + cpu.children_system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue  # ended meanwhile, or not ours
    return total


def _role(cmdline: str, port: int) -> str | None:
    # gunicorn renames its processes ("gunicorn: worker [config.wsgi]") when setproctitle is there.
    if cmdline.startswith("gunicorn:") or ("gunicorn" in cmdline and f":{port}" in cmdline):
        return "web"
    if "db_worker" in cmdline:
        return "report worker"
    # locust, and this script, whose reaped children (locust once it has ended) count as its own.
    if "locust" in cmdline or "loadtest/run.py" in cmdline:
        return "load generator"
    if cmdline.startswith("postgres"):
        return "postgresql"
    return None


def cpu_by_role(port: int) -> dict[str, float]:
    """CPU seconds used so far by each part (its processes, and the children they have reaped)."""
    used: dict[str, float] = defaultdict(float)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        role = _role(cmdline, port)
        if role:
            fields = stat.rsplit(")", 1)[1].split()
            # utime, stime, cutime, cstime: fields 14-17 of proc(5), counted after the name.
            used[role] += sum(int(x) for x in fields[11:15]) / _TICK
    return dict(used)
