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
    # Approving is confirmed in a fold that names the committee (no script needed).
    page.locator("summary", has_text="Phê duyệt…").click()
    page.get_by_role("button", name="Phê duyệt báo cáo của").click()
    expect(page.locator(".messages")).to_contain_text("Đã phê duyệt báo cáo sơ kết.")
    page.goto(f"{page.base_url}/committees/BK-CM/?term=2020-2025")
    expect(page.locator("#awaiting-title")).to_have_text("Chờ duyệt (2)")
    expect(page.locator("#campaign")).to_contain_text("6/14")  # approved is still sent

    page.get_by_role("link", name="Thông báo").click()
    # The demo's reminders are there (the late communes' digest); the approved one is done.
    expect(page.locator(".inbox-item", has_text="3 xã quá hạn gửi báo cáo sơ kết")).to_have_count(1)
    expect(page.locator(".inbox-item.done", has_text="đã gửi báo cáo sơ kết, chờ duyệt")).not_to_have_count(0)
    assert serious(page) == []


# ---- a whole campaign, three roles, on a phone (issue 25) ---------------------------------------

DT = "Đảng bộ thị trấn Đồng Tâm"


def _as(page, username, url):
    page.context.clear_cookies()
    login(page, username, next_url=url)
    page.wait_for_url(f"**{url}")


def _both_widths(page, name):
    shot(page, f"{name}-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, f"{name}-1280")
    page.set_viewport_size({"width": 360, "height": 740})


def test_a_whole_campaign_on_a_phone(phone_page):
    """Đồng Tâm is four days late with an empty report: its secretary sees the red deadline and
    her overdue notice, completes the report and sends it; Chợ Mới's office opens the inbox item,
    returns it with a reason; she sees why, fixes it, sends again; the office approves it. The
    inbox is right at every step. Chợ Đồn's secretary sees the province's deadline for hers."""
    page = phone_page

    # -- the commune's secretary: her deadline, her notice, what the report still needs
    _as(page, "bithu.dongtam", "/committees/BK-CM-DT/")
    deadline = page.locator(".own-deadline")
    expect(deadline).to_contain_text("quá hạn 4 ngày")
    expect(deadline).to_contain_text("do Huyện ủy Chợ Mới đặt")
    assert "overdue" in deadline.get_attribute("class")
    expect(page.locator(".site-nav .unread-count")).to_be_visible()
    _both_widths(page, "campaign-secretary-overdue")
    page.goto(f"{page.base_url}/notifications/")
    expect(page.locator(".inbox-item.unread").first).to_contain_text("quá hạn gửi báo cáo sơ kết 4 ngày")
    page.goto(f"{page.base_url}/committees/BK-CM-DT/assess/")
    expect(page.locator(".own-deadline")).to_contain_text("quá hạn 4 ngày")
    page.goto(f"{page.base_url}/committees/BK-CM-DT/review/")
    expect(page.locator(".own-deadline")).to_contain_text("quá hạn 4 ngày")
    checklist = page.locator(".review-checklist")
    expect(checklist).to_contain_text("Chưa có bài học kinh nghiệm nào")
    expect(checklist).to_contain_text("Chưa có nhóm giải pháp nào")
    expect(page.locator("label[for=id_overall]")).to_contain_text("(cần có để gửi)")
    _both_widths(page, "campaign-editor-empty")

    # -- she completes the report (the save bar stays in view) and sends it
    for field, text in {
        "id_document_number": "45-BC/ĐU",
        "id_document_date": "05/12/2026",
        "id_signer_name": "La Thị Thu",
        "id_overall": "Đảng bộ thị trấn đã lãnh đạo hoàn thành phần lớn chỉ tiêu.",
        "id_shortcomings": "Thu ngân sách còn thấp.",
        "id_causes_objective": "Thiên tai.",
        "id_causes_subjective": "Chỉ đạo chưa quyết liệt.",
        "id_tasks": "Tập trung phát triển thương mại, dịch vụ.",
        "id_lessons": "Bám sát cơ sở.",
        "id_solutions_socio_economic": "Phát triển dịch vụ thị trấn.",
    }.items():
        page.fill(f"#{field}", text)
    save = page.locator(".review-save button[type=submit]")
    box = save.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 740  # sticky: on screen
    save.click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu báo cáo sơ kết.")
    expect(page.locator(".review-checklist")).to_have_count(0)
    page.goto(f"{page.base_url}/committees/BK-CM-DT/")
    page.get_by_role("link", name="Gửi báo cáo lên cấp trên").click()
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo sơ kết lên cấp trên.")
    expect(page.locator(".own-deadline")).to_contain_text("(đã gửi)")
    expect(page.locator(".own-deadline.overdue")).to_have_count(0)

    # -- Chợ Mới's office: the item opens the report (and is read), returned with a reason
    _as(page, "vanphong.chomoi", "/notifications/")
    item = page.locator(".inbox-item", has_text=f"{DT} đã gửi báo cáo sơ kết, chờ duyệt").first
    expect(item).to_have_class("inbox-item unread")
    _both_widths(page, "campaign-approver-inbox")
    item.locator(".inbox-subject button").click()
    page.wait_for_url("**/committees/BK-CM-DT/review/**")
    page.locator("summary", has_text="Trả lại để sửa…").click()
    page.fill("#return-reason-BK-CM-DT", "Bổ sung số liệu thu ngân sách năm 2022.")
    _both_widths(page, "campaign-approver-return")
    page.get_by_role("button", name=f"Trả lại báo cáo cho {DT}").click()
    expect(page.locator(".messages")).to_contain_text("Đã trả lại báo cáo sơ kết để sửa.")
    page.goto(f"{page.base_url}/notifications/")
    item = page.locator(".inbox-item", has_text=f"{DT} đã gửi báo cáo sơ kết, chờ duyệt").first
    expect(item).not_to_have_class("inbox-item unread")
    expect(item.locator(".done-badge")).to_have_text("Đã xử lý")

    # -- the secretary: returned, why, what to do; she fixes it and sends again
    _as(page, "bithu.dongtam", "/notifications/")
    expect(page.locator(".inbox-item").first).to_contain_text("Bổ sung số liệu thu ngân sách năm 2022.")
    page.goto(f"{page.base_url}/committees/BK-CM-DT/")
    panel = page.locator(".workflow-panel")
    expect(panel.locator(".review-badge")).to_have_text("Bị trả lại — cần sửa")
    expect(panel.locator(".return-reason")).to_contain_text("Bổ sung số liệu thu ngân sách năm 2022.")
    expect(panel).to_contain_text("Sửa theo ý kiến cấp trên rồi gửi lại.")
    expect(panel).not_to_contain_text("Báo cáo đã đủ các mục cần thiết")
    expect(page.locator(".own-deadline")).to_contain_text("quá hạn 4 ngày")
    _both_widths(page, "campaign-secretary-returned")
    page.goto(f"{page.base_url}/committees/BK-CM-DT/review/")
    page.fill("#id_shortcomings", "Thu ngân sách năm 2022 đạt 80% kế hoạch.")
    page.locator(".review-save button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu báo cáo sơ kết.")
    page.goto(f"{page.base_url}/committees/BK-CM-DT/review/submit/")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo sơ kết lên cấp trên.")

    # -- the office approves it from the report, confirmed
    _as(page, "vanphong.chomoi", "/notifications/")
    fresh = page.locator(".inbox-item.unread", has_text=f"{DT} đã gửi báo cáo sơ kết, chờ duyệt").first
    fresh.locator(".inbox-subject button").click()
    page.wait_for_url("**/committees/BK-CM-DT/review/**")
    page.locator("summary", has_text="Phê duyệt…").click()
    expect(page.locator(".confirm-form").first).to_contain_text(f"Phê duyệt báo cáo sơ kết của {DT}?")
    _both_widths(page, "campaign-approver-approve")
    page.get_by_role("button", name=f"Phê duyệt báo cáo của {DT}").click()
    expect(page.locator(".messages")).to_contain_text("Đã phê duyệt báo cáo sơ kết.")
    page.goto(f"{page.base_url}/notifications/")
    items = page.locator(".inbox-item", has_text=f"{DT} đã gửi báo cáo sơ kết, chờ duyệt")
    expect(items).to_have_count(2)
    expect(page.locator(".inbox-item.done", has_text=DT)).to_have_count(2)

    # -- the secretary: approved; her assessment page is a view now
    _as(page, "bithu.dongtam", "/notifications/")
    expect(page.locator(".inbox-item").first).to_contain_text("đã được phê duyệt")
    page.goto(f"{page.base_url}/committees/BK-CM-DT/assess/")
    expect(page.locator("h1")).to_have_text("Xem đánh giá — đã gửi, chỉ xem")
    _both_widths(page, "campaign-secretary-approved-assess")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360

    # -- a district's secretary sees the province's deadline for hers
    _as(page, "bithu.chodon", "/committees/BK-CD/")
    expect(page.locator(".own-deadline")).to_contain_text("(còn 21 ngày) — do Tỉnh ủy Bắc Kạn đặt")
    _both_widths(page, "campaign-district-secretary")
