"""A big workbook's waiting page in a real browser: its script moves the progress in place, and the
same address shows the result once the worker is done (reviews.workbook.background)."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from tests.reviews.test_workbook_background import workbook

from .conftest import login, shot

pytestmark = pytest.mark.browser

PROGRESS = """<!DOCTYPE html><html><body><section data-import-wait><div data-progress>
<progress max="601" value="300"></progress><p>Đã kiểm tra 300 / 601 dòng (49%).</p>
</div></section></body></html>"""


def test_the_waiting_page_moves_its_progress_then_shows_the_result(page, settings, tmp_path):
    settings.WORKBOOK_BACKGROUND_BYTES = 10_000
    path = tmp_path / "lon.xlsx"
    path.write_bytes(workbook(600))
    login(page, "admin", next_url="/import/")
    page.set_input_files("#id_file", str(path))
    page.fill("#id_term", "2030-2035")
    page.get_by_role("button", name="Chỉ kiểm tra").click()
    expect(page.get_by_role("heading", name="Đang kiểm tra tệp…")).to_be_visible()
    expect(page.get_by_text("Đang chờ tiến trình nền bắt đầu…")).to_be_visible()
    waiting = page.url
    assert re.search(r"/import/jobs/[\w-]+/$", waiting)
    shot(page, "workbook-import-waiting-1280")
    # The page's own look a few seconds later, answered here as the server answers mid-check.
    page.route(waiting, lambda route: route.fulfill(status=202, body=PROGRESS, content_type="text/html"))
    expect(page.get_by_text("Đã kiểm tra 300 / 601 dòng (49%).")).to_be_visible()
    assert page.url == waiting  # moved in place, no reload
    page.unroute(waiting)
    # The worker runs in this thread while the page is elsewhere (see test_journeys._rendered_download).
    page.goto(f"{page.base_url}/healthz")
    with override_settings(WORKER_HEARTBEAT_SECONDS=3600):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    page.goto(waiting)
    expect(page.get_by_role("heading", name="Kết quả với tệp “lon.xlsx”")).to_be_visible()
    expect(page.get_by_text("Kiểm tra xong, chưa lưu gì. Nhiệm kỳ 2030-2035 (mới)")).to_be_visible()
    expect(page.get_by_role("button", name="Nhập tệp này")).to_be_visible()
    shot(page, "workbook-import-result-1280")
