"""The report download: rendered by the background worker, served from the stored file, never stale."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from indicators.models import Assessment, Committee, Indicator, Status
from reviews.models import Lesson, Review
from reviews.report import tasks
from reviews.report.key import report_key
from reviews.report.models import RenderedReport, RenderError, RenderState
from reviews.selectors import review_document

IMMEDIATE = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "reports", "email"],
    }
}


def run_worker():
    """What `manage.py db_worker` does, once over the queue, in this process.

    The worker closes "old" connections as it wakes. Inside the test's transaction that closes the
    test's own connection (the autocommit check fails); SQLite's in-memory database ignores the
    close, PostgreSQL does not. A real worker is its own process with its own connection."""
    with mock.patch.object(db_worker, "close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def secretary_client(client, tree, make_user):
    commune = tree["P-D1-C1"]
    Review.objects.create(committee=commune)
    client.force_login(make_user("sec", commune, role="secretary"))
    return client, commune


def _url(commune, fmt="pdf", **extra):
    query = "&".join(f"{k}={v}" for k, v in {"term": commune.term.code, **extra}.items())
    return f"{reverse('report_' + fmt, args=[commune.code])}?{query}"


def _render_tasks():
    return DBTaskResult.objects.filter(task_path="reviews.report.tasks.render_report")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_first_request_waits_the_worker_renders_the_next_gets_the_file(secretary_client, fmt):
    client, commune = secretary_client
    first = client.get(_url(commune, fmt))
    assert first.status_code == 202
    page = first.content.decode()
    assert "Đang tạo báo cáo…" in page
    # The page asks again after the render it waits for, by its key.
    key = RenderedReport.objects.get().key
    again = _url(commune, fmt, render=key)
    assert f'<meta http-equiv="refresh" content="3; url={again.replace("&", "&amp;")}">' in page
    assert _render_tasks().count() == 1

    run_worker()
    ready = client.get(again)
    assert ready.status_code == 200
    assert ready["Content-Type"].startswith("application/")
    assert ready["Content-Disposition"] == f'attachment; filename="bao-cao-so-ket-P-D1-C1-2020-2025.{fmt}"'
    assert ready.content.startswith(b"%PDF" if fmt == "pdf" else b"PK")
    assert ready["Cache-Control"] == "private, no-store"


def test_the_waiting_page_is_in_english_for_an_english_reader(secretary_client):
    client, commune = secretary_client
    client.cookies["django_language"] = "en"
    page = client.get(_url(commune)).content.decode()
    assert "Preparing the report…" in page


def test_many_requests_for_the_same_report_queue_one_render(secretary_client, client, make_user):
    client, commune = secretary_client
    other = client.__class__()
    other.force_login(make_user("sec-b", commune, role="secretary"))
    for browser in (client, other, client, other):
        assert browser.get(_url(commune)).status_code == 202
    assert _render_tasks().count() == 1
    assert RenderedReport.objects.count() == 1
    # The same report in another format or language is another file.
    client.get(_url(commune, "docx"))
    other.cookies["django_language"] = "en"
    other.get(_url(commune))
    assert _render_tasks().count() == 3


def test_changed_data_gives_a_fresh_render_never_the_stale_file(secretary_client):
    client, commune = secretary_client
    client.get(_url(commune))
    run_worker()
    old = client.get(_url(commune))
    assert old.status_code == 200

    a = Assessment.objects.filter(indicator__resolution__committee=commune, status=Status.HARD).get()
    a.status, a.note = Status.NOT_ACHIEVED, "Lý do khác"
    a.save()  # a direct change is enough: the key is the rows themselves, not a version counter
    assert client.get(_url(commune)).status_code == 202  # not the old file
    run_worker()
    new = client.get(_url(commune))
    assert new.status_code == 200 and new.content != old.content
    # One file is kept per report and language: the old one went when the new one was stored.
    assert RenderedReport.objects.filter(committee=commune).count() == 1


def _key(committee, fmt="pdf", language="vi"):
    committee = Committee.objects.select_related("term", "parent").get(pk=committee.pk)
    document = review_document(committee=committee)
    return report_key(committee=committee, fmt=fmt, language=language, document=document)


def test_the_key_follows_every_row_the_report_shows(tree, make_user):
    commune, district = tree["P-D1-C1"], tree["P-D1"]
    review = Review.objects.create(committee=commune)
    seen = {_key(commune)}

    def changed(what):
        key = _key(commune)
        assert key not in seen, f"the key ignored {what}"
        seen.add(key)

    Review.objects.filter(pk=review.pk).update(overall="Đánh giá chung mới")
    changed("the review's text")
    Lesson.objects.create(review=review, position=1, text="Bài học")
    changed("a lesson")
    Indicator.objects.filter(resolution__committee=commune).update(text="Chỉ tiêu đổi tên")
    changed("an indicator's text")
    Assessment.objects.filter(indicator__resolution__committee=commune).update(forecast="5")
    changed("an assessment's forecast")
    Committee.objects.filter(pk=commune.pk).update(name="Đảng bộ xã Mới")
    changed("the committee's name")
    Committee.objects.filter(pk=district.pk).update(name="Đảng bộ huyện Mới")
    changed("the parent's name (the heading)")
    commune.term.midterm_date = "2023-06-01"
    commune.term.save()
    changed("the term's midterm date")
    assert _key(commune, language="en") not in seen and _key(commune, fmt="docx") not in seen
    # A child's counters change its parent's report (the children's table).
    before = _key(district)
    Committee.objects.filter(pk=commune.pk).update(n_hard=9)
    assert _key(district) != before


def test_data_changed_while_queued_is_stored_under_the_new_key(secretary_client):
    client, commune = secretary_client
    client.get(_url(commune))
    Review.objects.filter(committee=commune).update(overall="Sửa trong lúc chờ")
    run_worker()
    # The render read the new data, so it is stored under the new data's key: served at once.
    response = client.get(_url(commune))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert RenderedReport.objects.get().state == RenderState.READY


def test_a_stranger_gets_404_and_queues_nothing(tree, client, make_user):
    commune = tree["P-D1-C1"]
    client.force_login(make_user("stranger", tree["P-D2-C1"], role="secretary"))
    assert client.get(_url(commune)).status_code == 404
    assert client.get(_url(commune, "docx")).status_code == 404
    assert not RenderedReport.objects.exists() and not _render_tasks().exists()


def test_a_failed_render_says_so_and_a_retry_renders_again(secretary_client, monkeypatch):
    client, commune = secretary_client

    def broken(fmt, context):
        raise RuntimeError("the layout engine fell over")

    monkeypatch.setattr(tasks, "render_file", broken)
    client.get(_url(commune))
    run_worker()
    failed = client.get(_url(commune))
    assert failed.status_code == 503 and failed["Retry-After"] == "60"
    page = failed.content.decode()
    assert "Chưa tạo được báo cáo" in page and "lỗi đã được ghi lại" in page
    assert "the layout engine" not in page  # the details go to the log, not to the user
    assert _url(commune, retry=1).replace("&", "&amp;") in page
    # Asking again without "retry" does not loop on a broken render…
    assert client.get(_url(commune)).status_code == 503 and _render_tasks().count() == 1

    # The renderer works again (a stub: a real render on a loaded machine may pass its deadline)…
    monkeypatch.setattr(tasks, "render_file", lambda fmt, context: b"%PDF-1.7 after the retry")
    # …and the retry link queues one render, the page waits, then the file comes.
    assert client.get(_url(commune, retry=1)).status_code == 202
    assert _render_tasks().count() == 2
    run_worker()
    assert client.get(_url(commune)).content == b"%PDF-1.7 after the retry"


def test_a_render_past_its_deadline_says_so(secretary_client, settings):
    client, commune = secretary_client
    settings.PDF_RENDER_TIMEOUT = 0.001
    client.get(_url(commune))
    run_worker()
    response = client.get(_url(commune))
    assert response.status_code == 503
    assert RenderedReport.objects.get().error == RenderError.TIMEOUT
    assert "thử lại" in response.content.decode().lower()


def test_a_render_queued_too_long_is_offered_again(secretary_client, settings):
    client, commune = secretary_client
    client.get(_url(commune))
    settings.REPORT_RENDER_PATIENCE = -1  # no worker came
    response = client.get(_url(commune))
    assert response.status_code == 503 and "chờ tạo quá lâu" in response.content.decode()
    settings.REPORT_RENDER_PATIENCE = 600
    assert client.get(_url(commune, retry=1)).status_code == 202
    assert _render_tasks().count() == 2


def test_with_an_immediate_backend_the_first_request_gets_the_file(secretary_client, settings):
    client, commune = secretary_client
    settings.TASKS = IMMEDIATE
    response = client.get(_url(commune))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_get_writes_no_domain_row(client, tree, make_user):
    """Only the render's own row and its queue entry: no review is created for a new document."""
    commune = tree["P-D1-C2"]
    client.force_login(make_user("sec2", commune, role="secretary"))
    users = get_user_model().objects.count()
    assert client.get(_url(commune)).status_code == 202
    run_worker()
    assert client.get(_url(commune)).status_code == 200
    assert not Review.objects.filter(committee=commune).exists()
    assert get_user_model().objects.count() == users


def test_renders_queued_for_old_data_do_not_render_the_same_file_twice(secretary_client, monkeypatch):
    client, commune = secretary_client
    client.get(_url(commune))
    Review.objects.filter(committee=commune).update(overall="Sửa lần một")
    client.get(_url(commune))  # a second render queued, for the new data
    assert _render_tasks().count() == 2
    renders = []
    real = tasks.render_file
    monkeypatch.setattr(tasks, "render_file", lambda fmt, context: renders.append(fmt) or real(fmt, context))
    run_worker()
    assert renders == ["pdf"]  # both were for the current data: one render, one file
    assert list(RenderedReport.objects.values_list("state", flat=True)) == [RenderState.READY]
    assert client.get(_url(commune)).status_code == 200


def test_serving_a_ready_file_costs_the_same_queries_for_a_commune_and_a_province(
    tree, client, make_user, settings, django_assert_num_queries
):
    """The key is a handful of queries whatever the tree: pinned on a commune and on the province."""
    settings.TASKS = IMMEDIATE
    client.force_login(make_user("province", tree["P"], role="secretary"))
    for code in ("P-D1-C1", "P"):
        committee = tree[code]
        assert client.get(_url(committee)).status_code == 200  # rendered at once, stored
        # session, user, the committee with its term, roles; the review (it has no lists: none queried); the
        # two size counts; committees, resolutions, indicators, the subtree sum; the file.
        with django_assert_num_queries(QUERIES_TO_SERVE):
            assert client.get(_url(committee)).status_code == 200


QUERIES_TO_SERVE = 12


def test_the_end_report_is_rendered_from_the_end_review_and_kept_apart(secretary_client):
    """?stage=end queues its own render of the end-of-term data; the mid-term file is another."""
    import io

    import docx

    from indicators.models import Stage
    from indicators.services.assessments import stage_open

    client, commune = secretary_client
    stage_open(committee=commune, stage=Stage.END)
    assert client.get(_url(commune, "docx", stage="end")).status_code == 202
    assert client.get(_url(commune, "docx")).status_code == 202
    assert _render_tasks().count() == 2
    run_worker()
    end = client.get(_url(commune, "docx", stage="end"))
    assert end.status_code == 200
    assert end["Content-Disposition"] == 'attachment; filename="bao-cao-tong-ket-P-D1-C1-2020-2025.docx"'
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(end.content)).paragraphs)
    assert "tổng kết thực hiện Nghị quyết Đại hội" in text
    mid = client.get(_url(commune, "docx"))
    assert "Sơ kết giữa nhiệm kỳ thực hiện" in "\n".join(
        p.text for p in docx.Document(io.BytesIO(mid.content)).paragraphs
    )
