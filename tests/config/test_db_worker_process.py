"""A real `db_worker` process: its heartbeat thread makes /healthz/ready's worker "ok", and the row
goes when the worker is stopped with SIGTERM (as systemd stops it)."""

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time

from config.settings import BASE_DIR
from tests.config.test_settings import TEST_ONLY_VARIABLES


def heartbeats(db_path) -> list[tuple[str, int]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT worker_id, pid FROM config_workerheartbeat").fetchall()


def test_a_running_worker_beats_and_its_row_goes_when_it_stops(tmp_path):
    db_path = tmp_path / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=f"sqlite:///{db_path}",
        WORKER_HEARTBEAT_SECONDS="0.5",
    )
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--worker-id", "w-process"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not heartbeats(db_path) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert heartbeats(db_path) == [("w-process", worker.pid)]
        with sqlite3.connect(db_path) as connection:
            first = connection.execute("SELECT seen_at FROM config_workerheartbeat").fetchone()[0]
        time.sleep(1.5)
        with sqlite3.connect(db_path) as connection:
            later = connection.execute("SELECT seen_at FROM config_workerheartbeat").fetchone()[0]
        assert later > first  # it keeps beating
    finally:
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    assert heartbeats(db_path) == []
