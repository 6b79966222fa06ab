"""The campaign as Chợ Mới's office sees it: who is late, approve the oldest waiting review, the
inbox; axe on the panel, no sideways scroll at 360 px (the tables scroll inside their box)."""

import pytest
from playwright.sync_api import expect

from .conftest import SHOTS, login, shot
from .test_accessibility import serious

pytestmark = pytest.mark.browser


def test_office_sees_who_is_late_and_approves(page):
    login(page, "vanphong.chomoi", next_url="/committees/BK-CM/")
    panel = page.locator("#campaign")
    expect(panel).to_contain_text("6/14")
    expect(page.locator("#awaiting-title")).to_have_text("Chờ duyệt (3)")
    expect(page.locator(".site-nav .unread-count")).to_be_visible()
    assert serious(page) == []
    shot(page, "campaign-dashboard-1280")
    panel.screenshot(path=str(SHOTS / "campaign-panel-1280.png"))
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    shot(page, "campaign-dashboard-360")
    panel.screenshot(path=str(SHOTS / "campaign-panel-360.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    panel.get_by_role("link", name="3 đơn vị quá hạn (toàn bộ cấp dưới)").click()
    expect(page.locator("table.overdue-table tbody tr")).to_have_count(3)
    expect(page.locator("table.overdue-table")).to_contain_text("Đảng bộ thị trấn Đồng Tâm")

    page.goto(f"{page.base_url}/committees/BK-CM/?term=2020-2025")
    page.locator(".awaiting-list a").first.click()
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator(".messages")).to_contain_text("Đã phê duyệt báo cáo sơ kết.")
    page.goto(f"{page.base_url}/committees/BK-CM/?term=2020-2025")
    expect(page.locator("#awaiting-title")).to_have_text("Chờ duyệt (2)")
    expect(page.locator("#campaign")).to_contain_text("6/14")  # approved is still sent

    page.get_by_role("link", name="Thông báo").click()
    expect(page.locator(".inbox-item").first).to_contain_text("đã gửi báo cáo sơ kết, chờ duyệt")
    assert serious(page) == []
