"""Big workbooks are checked and imported by the background worker, with their progress shown;
small ones keep the synchronous path (reviews.workbook.background)."""

import io
import re
from datetime import timedelta
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from indicators.models import Indicator, Term
from reviews.models import CheckedWorkbook, ImportState, WorkbookImport
from reviews.workbook import background, services
from tests.reviews.workbook_files import COMMITTEE_HEADER, INDICATOR_HEADER, indicator

ROWS = 600
BOUND = 10_000  # bytes: the 600-row workbook is above it, a 3-row one below


def workbook(rows: int, *, status="Đạt và vượt") -> bytes:
    """A workbook of one province and `rows` indicators, written with openpyxl."""
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    ws = wb.create_sheet("Đơn vị")
    ws.append(COMMITTEE_HEADER)
    ws.append(["P", "Đảng bộ tỉnh", "tỉnh", ""])
    ws = wb.create_sheet("Chỉ tiêu")
    ws.append(INDICATOR_HEADER)
    for n in range(1, rows + 1):
        ws.append(indicator("P", str(n), status=status))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_worker():
    """`manage.py db_worker --batch`, in this process (see tests/reviews/test_report_serve.py)."""
    with mock.patch.object(db_worker, "close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def upload(client, data, *, action="check", term="2030-2035"):
    return client.post(
        reverse("workbook_import"),
        {"file": SimpleUploadedFile("lon.xlsx", data), "term": term, "action": action},
    )


def import_tasks():
    return DBTaskResult.objects.filter(task_path="reviews.workbook.background.run_workbook_import")


@pytest.fixture(autouse=True)
def bound(settings):
    settings.WORKBOOK_BACKGROUND_BYTES = BOUND
    settings.WORKBOOK_IMPORTS_PER_USER = 2


@pytest.fixture
def staff(client, make_user):
    user = make_user("vanphong", is_staff=True)
    client.force_login(user)
    return user


def test_the_generated_workbook_is_above_the_bound_and_a_small_one_below():
    assert len(workbook(ROWS)) > BOUND > len(workbook(3))


def test_a_big_check_is_queued_shows_its_progress_then_its_result(client, staff, monkeypatch):
    response = upload(client, workbook(ROWS))
    assert response.status_code == 302
    job = WorkbookImport.objects.get()
    assert response["Location"] == reverse("workbook_import_job", args=[job.token])
    assert job.state == ImportState.PENDING and job.dry_run and len(bytes(job.data)) > BOUND
    assert import_tasks().count() == 1
    assert not Term.objects.filter(code="2030-2035").exists()

    waiting = client.get(response["Location"])
    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert "Đang kiểm tra tệp…" in page and "Đang chờ tiến trình nền bắt đầu…" in page
    assert f'<noscript><meta http-equiv="refresh" content="3; url={response["Location"]}"></noscript>' in page
    assert "data-import-wait" in page

    # What the page shows while the worker is half-way: seen from inside the worker's run.
    monkeypatch.setattr(services, "PROGRESS_EVERY", 200)
    seen = []
    real = background.workbook_import

    def watched(**kwargs):
        told = kwargs["progress"]

        def progress(done, total):
            told(done, total)
            if not seen:
                seen.append(client.get(response["Location"]))

        return real(**{**kwargs, "progress": progress})

    monkeypatch.setattr(background, "workbook_import", watched)
    run_worker()
    assert seen[0].status_code == 202
    # 601 rows: the province's on “Đơn vị”, 600 indicators on “Chỉ tiêu”.
    assert "Đã kiểm tra 200 / 601 dòng (33%)." in seen[0].content.decode()
    assert '<progress max="601" value="200">' in seen[0].content.decode()

    done = client.get(response["Location"])
    assert done.status_code == 200
    body = done.content.decode()
    assert "Kết quả với tệp “lon.xlsx”" in body
    assert (
        "Kiểm tra xong, chưa lưu gì. Nhiệm kỳ 2030-2035 (mới): sẽ có 1 đơn vị, 600 chỉ tiêu được tạo" in body
    )
    job.refresh_from_db()
    assert job.state == ImportState.DONE and bytes(job.data) == b"" and job.rows_done == ROWS + 1
    # The checked file went on to the confirm step: “Nhập tệp này” imports it, itself in the background.
    kept = CheckedWorkbook.objects.get(user=staff)
    assert f'name="pending" value="{kept.token}"' in body and len(bytes(kept.data)) > BOUND
    # Both forms of the result page post to the upload page, not back to this one.
    assert body.count(f'<form method="post" action="{reverse("workbook_import")}"') == 2
    confirmed = client.post(reverse("workbook_import"), {"action": "import_checked", "pending": kept.token})
    assert confirmed.status_code == 302 and not CheckedWorkbook.objects.exists()
    applying = WorkbookImport.objects.get(dry_run=False)
    assert len(bytes(applying.data)) > BOUND  # the file is kept until applied
    assert "Đang nhập tệp…" in client.get(confirmed["Location"]).content.decode()
    run_worker()
    result = client.get(confirmed["Location"]).content.decode()
    assert "Đã nhập. Nhiệm kỳ 2030-2035 (mới): 1 đơn vị, 600 chỉ tiêu được tạo" in result
    assert Indicator.objects.filter(resolution__committee__term__code="2030-2035").count() == ROWS


def test_a_big_import_with_errors_lists_them_and_stores_nothing(client, staff):
    response = upload(client, workbook(ROWS, status="??"), action="import")
    assert response.status_code == 302
    run_worker()
    body = client.get(response["Location"]).content.decode()
    assert "Có 600 lỗi; chưa lưu gì." in body
    assert body.count("<tr><td>Chỉ tiêu</td>") == 200 and "… và 400 lỗi khác." in body
    assert not Term.objects.filter(code="2030-2035").exists()
    assert not CheckedWorkbook.objects.exists()


def test_the_problems_are_in_the_uploaders_language(client, staff):
    with translation.override("en"):
        english = services.workbook_import(data=workbook(1, status="??"), term_code="2030-2035").errors[0]
    with translation.override("vi"):
        vietnamese = services.workbook_import(data=workbook(1, status="??"), term_code="2030-2035").errors[0]
    assert english.message != vietnamese.message
    client.cookies["django_language"] = "en"
    response = upload(client, workbook(ROWS, status="??"))
    assert "Checking the file…" in client.get(response["Location"]).content.decode()
    run_worker()
    body = client.get(response["Location"]).content.decode()
    assert "600 errors; nothing has been saved." in body
    assert english.message in body and vietnamese.message not in body


def test_a_small_workbook_stays_synchronous(client, staff):
    response = upload(client, workbook(3), action="import")
    assert response.status_code == 200
    assert "Đã nhập. Nhiệm kỳ 2030-2035 (mới)" in response.content.decode()
    assert not WorkbookImport.objects.exists() and not import_tasks().exists()


def test_another_user_sees_neither_the_progress_nor_the_result(client, staff, make_user):
    url = upload(client, workbook(ROWS))["Location"]
    other = make_user("khac", is_staff=True)
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "retry"}).status_code == 404
    run_worker()
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_past_the_users_bound_a_clear_429(client, staff, make_user):
    first = upload(client, workbook(ROWS))["Location"]
    second = upload(client, workbook(ROWS))["Location"]
    refused = upload(client, workbook(ROWS))
    assert refused.status_code == 429 and refused["Retry-After"] == "10"
    page = refused.content.decode()
    assert "Bạn đang có 2 tệp lớn chờ kiểm tra hoặc nhập" in page
    # The waiting imports' own pages, which the user may have left.
    assert f'<a href="{first}">Xem tiến độ tệp thứ 1</a>' in page
    assert f'<a href="{second}">Xem tiến độ tệp thứ 2</a>' in page
    assert WorkbookImport.objects.count() == 2
    # Another user's queue is their own.
    client.force_login(make_user("khac", is_staff=True))
    assert upload(client, workbook(ROWS)).status_code == 302


def test_a_dead_worker_is_noticed_the_file_kept_and_a_retry_finishes(client, staff, settings):
    settings.WORKER_DEAD_AFTER = 15
    url = upload(client, workbook(ROWS))["Location"]
    WorkbookImport.objects.update(worker_id="gone-worker", rows_done=200, rows_total=600)
    before = list(WorkbookImport.objects.values())
    failed = client.get(url)
    assert failed.status_code == 503
    page = failed.content.decode()
    assert "Tiến trình nền đang xử lý tệp này đã dừng giữa chừng; chưa lưu gì." in page
    assert "Tệp “lon.xlsx” vẫn được giữ, không cần tải lên lại." in page
    assert list(WorkbookImport.objects.values()) == before  # the GET wrote nothing
    DBTaskResult.objects.all().delete()  # the dead worker's task is lost with it
    assert client.post(url, {"action": "retry"}).status_code == 302
    assert import_tasks().count() == 1
    run_worker()
    assert "Kiểm tra xong, chưa lưu gì." in client.get(url).content.decode()


def test_no_live_worker_is_said_after_a_moment(client, staff, settings):
    settings.WORKER_DEAD_AFTER = 15
    url = upload(client, workbook(ROWS))["Location"]
    assert client.get(url).status_code == 202  # a worker may be starting
    WorkbookImport.objects.update(requested_at=timezone.now() - timedelta(seconds=20))
    page = client.get(url)
    assert page.status_code == 503
    assert "Hiện không có tiến trình nền nào chạy để xử lý tệp" in page.content.decode()


def test_a_failing_import_keeps_the_file_and_says_so(client, staff, monkeypatch):
    url = upload(client, workbook(ROWS))["Location"]

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(background, "workbook_import", broken)
    run_worker()
    job = WorkbookImport.objects.get()
    assert job.state == ImportState.FAILED and len(bytes(job.data)) > BOUND
    page = client.get(url)
    assert page.status_code == 503 and "Đã có lỗi khi xử lý tệp; chưa lưu gì." in page.content.decode()


@pytest.mark.parametrize("rows", [ROWS, 3 * ROWS])
def test_waiting_and_result_pages_query_counts_are_constant(
    client, staff, tree, make_committee, rows, django_assert_num_queries
):
    for n in range(rows // 100):  # a bigger tree with the bigger file
        make_committee(f"X{n}")
    url = upload(client, workbook(rows, status="??"))["Location"]
    WorkbookImport.objects.update(rows_done=rows // 3, rows_total=rows)
    with django_assert_num_queries(4):  # session, user, the import, the unread notifications
        assert client.get(url).status_code == 202
    run_worker()
    # session, user, the import, the terms of the form, the unread notifications
    with django_assert_num_queries(5):
        body = client.get(url).content.decode()
    assert re.search(r"Có \d+ lỗi", body)
