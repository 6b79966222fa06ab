"""`cleanup`: what only grows is deleted past its retention; what is recent or live stays."""

from datetime import timedelta
from io import StringIO

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from config.models import WorkerHeartbeat
from reviews.report.models import RenderedReport, RenderState


def days_ago(n: float):
    return timezone.now() - timedelta(days=n)


def task(status: str, finished_days_ago: float | None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="reviews.notifications.tasks.deliver",
        backend_name="default",
        run_after=get_date_max(),
        status=status,
        finished_at=days_ago(finished_days_ago) if finished_days_ago is not None else None,
    )


def access(model, days: float, username: str):
    row = model.objects.create(
        username=username,
        ip_address="203.0.113.9",
        user_agent="x",
        **({"failures_since_start": 1} if model is AccessAttempt else {}),
    )
    model.objects.filter(pk=row.pk).update(attempt_time=days_ago(days))


def run(*args) -> str:
    out = StringIO()
    call_command("cleanup", *args, stdout=out)
    return out.getvalue()


def test_cleanup_deletes_past_retention_and_keeps_the_rest(tree, settings):
    settings.CLEANUP_TASK_RESULTS_DAYS = 14
    settings.CLEANUP_LOGIN_LOG_DAYS = 90
    settings.CLEANUP_RENDERED_REPORT_DAYS = 30
    live = SessionStore()
    live.create()
    dead = SessionStore()
    dead.create()
    Session.objects.filter(session_key=dead.session_key).update(expire_date=days_ago(1))
    old_done, old_failed, recent_done = task("SUCCESSFUL", 15), task("FAILED", 20), task("SUCCESSFUL", 13)
    waiting = task("READY", None)
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        access(model, 91, "old")
        access(model, 89, "recent")
    commune = tree["P-D1-C1"]
    for key, age in (("old", 31), ("recent", 29)):
        RenderedReport.objects.create(
            key=key,
            committee=commune,
            format="pdf",
            language="vi",
            state=RenderState.READY,
            requested_at=days_ago(age),
        )
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="gone", host="h", pid=1, started_at=now, seen_at=days_ago(2))
    WorkerHeartbeat.objects.create(worker_id="alive", host="h", pid=2, started_at=now, seen_at=now)

    dry = run("--dry-run")
    assert "would delete 1 expired sessions" in dry and Session.objects.count() == 2

    out = run()
    assert "deleted 1 expired sessions" in out
    assert "deleted 2 finished tasks older than 14 days" in out
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert set(DBTaskResult.objects.all()) == {recent_done, waiting}
    assert {old_done.pk, old_failed.pk}.isdisjoint(DBTaskResult.objects.values_list("pk", flat=True))
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert list(model.objects.values_list("username", flat=True)) == ["recent"], model
    assert list(RenderedReport.objects.values_list("key", flat=True)) == ["recent"]
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
    # A second run finds nothing more.
    assert "deleted 0 expired sessions" in run()


def test_cleanup_deletes_big_workbook_imports_queued_over_a_day_ago(make_user):
    from reviews.models import ImportState, WorkbookImport

    user = make_user("vanphong", is_staff=True)
    for token, age, state in (
        ("old", 1.5, ImportState.FAILED),
        ("stuck", 2, ImportState.PENDING),
        ("new", 0.5, ImportState.PENDING),
    ):
        WorkbookImport.objects.create(
            token=token,
            user=user,
            term_code="2030-2035",
            dry_run=True,
            language="vi",
            data=b"PK",
            state=state,
            requested_at=timezone.now() - timedelta(days=age),
        )
    assert "deleted 2 workbook imports queued over a day ago" in run()
    assert list(WorkbookImport.objects.values_list("token", flat=True)) == ["new"]
