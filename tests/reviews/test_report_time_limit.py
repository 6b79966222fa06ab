"""A render that takes too long is cut off; a quick one returns its result."""

import os
import time

import pytest

from reviews.report.time_limit import RenderFailed, RenderTimeout, call_with_time_limit


def quick(a, *, b):
    return a + b


def forever():
    while True:
        time.sleep(0.05)


def pid_then_sleep(path):
    with open(path, "w") as fh:
        fh.write(str(os.getpid()))
    time.sleep(60)


def broken():
    raise ValueError("bad layout")


def test_quick_job_returns_its_result():
    assert call_with_time_limit(quick, b"%PDF", b=b"-1.7", seconds=10) == b"%PDF-1.7"


def test_slow_job_is_cut_off_and_killed(tmp_path):
    pidfile = tmp_path / "pid"
    with pytest.raises(RenderTimeout):
        call_with_time_limit(pid_then_sleep, str(pidfile), seconds=1)
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the child is gone (killed and reaped), not left holding anything


def test_endless_job_raises_timeout():
    with pytest.raises(RenderTimeout, match="0.5"):
        call_with_time_limit(forever, seconds=0.5)


def test_failing_job_reports_its_error():
    with pytest.raises(RenderFailed, match="bad layout"):
        call_with_time_limit(broken, seconds=10)


def count_committees():
    from indicators.models import Committee

    return Committee.objects.count()


@pytest.mark.django_db
def test_a_job_that_queries_is_refused_and_the_parent_connection_survives(tree):
    """The child shares the parent's socket: a query there would break the parent's connection
    (on PostgreSQL: "the connection is closed" at its next query). It is refused instead."""
    from indicators.models import Committee

    before = Committee.objects.count()
    with pytest.raises(RenderFailed, match="must not use the database"):
        call_with_time_limit(count_committees, seconds=10)
    assert Committee.objects.count() == before


def test_weasyprint_render_runs_under_the_deadline():
    from reviews.report.pdf import html_to_pdf

    pdf = call_with_time_limit(html_to_pdf, "<p>Báo cáo sơ kết</p>", seconds=120)
    assert pdf.startswith(b"%PDF")
