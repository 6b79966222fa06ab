"""A render whose worker died, or that no live worker takes, fails with its retry within seconds
(WORKER_DEAD_AFTER, from the workers' heartbeats), not after REPORT_RENDER_PATIENCE (600 s)."""

import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from config.models import WorkerHeartbeat
from reviews.models import Review
from reviews.report.key import report_key
from reviews.report.models import RenderedReport, RenderError, RenderState
from reviews.selectors import review_document
from tests.config.test_settings import TEST_ONLY_VARIABLES
from tests.test_version_skew import DATA, ROOT, manage

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports", "email"]}
}
DIED = "Tiến trình nền đang tạo báo cáo này đã dừng giữa chừng."
NOBODY = "Hiện không có tiến trình nền nào chạy để tạo báo cáo."


@pytest.fixture
def page(client, tree, make_user, settings):
    settings.TASKS = DATABASE_QUEUE
    settings.WORKER_DEAD_AFTER = 15
    commune = tree["P-D1-C1"]
    Review.objects.create(committee=commune)
    client.force_login(make_user("sec", commune, role="secretary"))
    url = f"{reverse('report_pdf', args=[commune.code])}?term={commune.term.code}"
    return client, commune, url


def pending_render(commune, *, worker_id="", asked_seconds_ago=0.0) -> RenderedReport:
    from reviews.code_digest import code_digest

    key = report_key(committee=commune, fmt="pdf", language="vi", document=review_document(committee=commune))
    return RenderedReport.objects.create(
        key=key,
        committee=commune,
        format="pdf",
        language="vi",
        requested_at=timezone.now() - timedelta(seconds=asked_seconds_ago),
        renderer=code_digest(),
        worker_id=worker_id,
    )


def beat(worker_id, *, seconds_ago, queues="reports,default"):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        host="h",
        pid=1,
        started_at=now - timedelta(hours=1),
        seen_at=now - timedelta(seconds=seconds_ago),
        queues=queues,
    )


def test_a_render_whose_worker_stopped_beating_fails_with_a_retry(page):
    client, commune, url = page
    row = pending_render(commune, worker_id="w-dead", asked_seconds_ago=20)
    beat("w-dead", seconds_ago=20)  # killed 20 s ago: three beats missed
    beat("w-other", seconds_ago=1)  # another worker lives: the render is lost all the same

    response = client.get(url)

    assert response.status_code == 503
    assert DIED in response.content.decode()
    row.refresh_from_db()
    assert (row.state, row.error) == (RenderState.FAILED, RenderError.WORKER)
    again = client.get(url + "&retry=1")  # queued again, for whichever worker lives
    assert again.status_code == 202
    row.refresh_from_db()
    assert (row.state, row.worker_id) == (RenderState.PENDING, "")


def test_a_render_whose_worker_beats_keeps_waiting(page):
    client, commune, url = page
    pending_render(commune, worker_id="w-busy", asked_seconds_ago=120)
    beat("w-busy", seconds_ago=2)
    assert client.get(url).status_code == 202


@pytest.mark.parametrize(
    ("heartbeat", "waits"),
    [
        (None, False),  # no worker at all
        ({"queues": "email", "seconds_ago": 1}, False),  # a mail worker only: nobody renders
        ({"queues": "reports,default", "seconds_ago": 60}, False),  # the render worker died
        ({"queues": "reports,default", "seconds_ago": 1}, True),
        ({"queues": "*", "seconds_ago": 1}, True),
        ({"queues": "", "seconds_ago": 1}, False),  # a worker of an older release: "default" only
    ],
)
def test_a_render_no_live_worker_takes_fails_after_a_moments_grace(page, heartbeat, waits):
    client, commune, url = page
    if heartbeat:
        beat("w", **heartbeat)
    row = pending_render(commune, asked_seconds_ago=5)
    assert client.get(url).status_code == 202  # a worker may be starting: a moment's grace
    RenderedReport.objects.filter(pk=row.pk).update(requested_at=timezone.now() - timedelta(seconds=20))

    response = client.get(url)

    if waits:
        assert response.status_code == 202
    else:
        assert response.status_code == 503 and NOBODY in response.content.decode()
        row.refresh_from_db()
        assert row.error == RenderError.NO_WORKER


ASK = """
import json, sys
from django.utils import translation
from indicators.models import Committee
from reviews.report.services import report_request
translation.activate("vi")
row = report_request(committee=Committee.objects.get(code="P"), fmt="pdf", retry="retry" in sys.argv)
print(json.dumps({"state": row.state, "error": row.error, "worker_id": row.worker_id}))
"""


def ask(env, *extra) -> dict:
    done = manage(ROOT, env, "shell", "--no-imports", "-c", ASK.replace("sys.argv", repr(list(extra))))
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_worker_killed_mid_render_is_noticed_in_seconds_and_the_retry_renders(tmp_path):
    db_path = tmp_path / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=f"sqlite:///{db_path}",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        WORKER_HEARTBEAT_SECONDS="0.5",
        WORKER_DEAD_AFTER="2",
    )
    manage(ROOT, env, "migrate", "--noinput")
    manage(ROOT, env, "shell", "--no-imports", "-c", DATA)
    assert ask(env)["state"] == "pending"

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--queue-name", "reports,default"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its forked renderer too goes with the group
    )
    try:
        deadline = time.monotonic() + 60
        claimed = None
        while claimed is None and time.monotonic() < deadline:
            with sqlite3.connect(db_path) as connection:
                claimed = connection.execute(
                    "SELECT worker_id FROM reviews_renderedreport WHERE worker_id != '' AND state = 'pending'"
                ).fetchone()
            time.sleep(0.02)
        assert claimed is not None, "the worker never took the render"
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # mid-render, as the OOM killer or a lost machine would
        worker.wait(timeout=30)
    killed_at = time.monotonic()

    waited = ask(env)
    while waited["state"] == "pending" and time.monotonic() - killed_at < 30:
        time.sleep(0.5)
        waited = ask(env)
    noticed = time.monotonic() - killed_at
    assert (waited["state"], waited["error"]) == ("failed", "worker")
    assert noticed < 10  # WORKER_DEAD_AFTER (2 s) plus a process start per look; not 600 s
    print(f"dead worker noticed after {noticed:.1f} s")

    assert ask(env, "retry")["state"] == "pending"
    manage(ROOT, env, "db_worker", "--batch", "--no-startup-delay", "--queue-name", "reports,default")
    assert ask(env)["state"] == "ready"
