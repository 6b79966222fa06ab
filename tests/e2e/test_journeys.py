"""The four journeys of issue 7 in a real browser, in Vietnamese and (journeys 1, 3, 4) English too."""

import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.test import override_settings
from docx import Document
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import DEMO_PASSWORD, login, shot

pytestmark = pytest.mark.browser

# What each language calls things, so one journey runs in both.
TEXT = {
    "vi": {
        "saved": "Đã lưu 3 chỉ tiêu.",
        "tally_before": "18/20 chỉ tiêu có khả năng đạt và vượt; 2 chỉ tiêu không đạt",
        "tally_after": "19/20 chỉ tiêu có khả năng đạt và vượt; 1 chỉ tiêu khó đạt",
        "submit": "Lưu rồi gửi báo cáo lên cấp trên…",
        "confirm": "Gửi báo cáo",
        "submitted": "Đã gửi cấp trên",
        "submitted_msg": "Đã gửi báo cáo sơ kết lên cấp trên.",
        "note": "Khó đạt do thiếu vốn đầu tư",
        "wrong_password": "mật khẩu",
        "needs_note": "cần ghi chú",
        "not_saved": "Chưa lưu",
        "conflict": "có người khác vừa thay đổi",
        "not_found": "Không tìm thấy trang",
        "bk_sentence": "54/66 chỉ tiêu có khả năng đạt và vượt; 11 chỉ tiêu khó đạt; 1 chỉ tiêu không đạt",
        "pdf": "Báo cáo (PDF)",
        "docx": "Báo cáo Word (.docx)",
        "xlsx": "Sổ tính (Excel)",
        "rendering": "Đang tạo báo cáo…",
    },
    "en": {
        "saved": "Saved 3 indicators.",
        "tally_before": "18/20 indicators achieved or on track; 2 not achieved",
        "tally_after": "19/20 indicators achieved or on track; 1 hard to achieve",
        "submit": "Save, then submit the report…",
        "confirm": "Submit the report",
        "submitted": "Submitted",
        "submitted_msg": "The mid-term review report has been submitted to the committee above.",
        "note": "Hard to achieve: not enough investment",
        "wrong_password": "password",
        "needs_note": "needs a note",
        "not_saved": "Not saved",
        "conflict": "someone else has just changed",
        "not_found": "Page not found",
        "bk_sentence": "54/66 indicators achieved or on track; 11 hard to achieve; 1 not achieved",
        "pdf": "Report (PDF)",
        "docx": "Report (Word .docx)",
        "xlsx": "Workbook (Excel)",
        "rendering": "Preparing the report…",
    },
}


def choose_language(page, lang: str) -> None:
    """Vietnamese is the default; English is the header's one button (remembered in a cookie)."""
    if lang == "en":
        page.goto(f"{page.base_url}/accounts/login/")
        page.click("header button[name=language][value=en]")
        expect(page.locator("html")).to_have_attribute("lang", "en")


def status_choices(page, number: str, section: int = 0):
    """The status choices (a fieldset of radio buttons, its id the field's) of indicator `number`
    in the `section`-th resolution of the form."""
    card = (
        page.locator("section.assess-resolution")
        .nth(section)
        .locator("li.assess-card", has=page.locator(f'.ind-num:text-is("{number}.")'))
    )
    return card.locator("fieldset.status-choices")


def chosen(choices):
    return choices.locator("input:checked")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_secretary_assesses_by_keyboard_and_submits(page, lang):
    t = TEXT[lang]
    choose_language(page, lang)
    login(page, "bithu.nongha", next_url="/committees/BK-CM-NH/assess/")
    expect(page.locator(".tally-sentence")).to_have_text(t["tally_before"])
    expect(page.locator("html")).to_have_attribute("lang", lang)  # the choice survived the login

    # Keyboard only: focus the chosen status, change with arrows, move with Tab, type the note.
    six, seven, eight = (status_choices(page, n) for n in ("6", "7", "8"))
    chosen(six).focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # Không đạt → Khó đạt → Đạt và vượt
    expect(chosen(six)).to_have_value("achieved")
    page.keyboard.press("Tab")  # achieved shows its "vượt" tick, the next stop (issue 27)
    assert focused_id(page) == six.get_attribute("id").replace("-status", "-exceeded")
    page.keyboard.press("Tab")
    assert focused_id(page) == six.get_attribute("id").replace("-status", "-value")
    page.keyboard.press("Tab")
    assert focused_id(page) == six.get_attribute("id").replace("-status", "-note")
    chosen(seven).focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(chosen(seven)).to_have_value("achieved")
    chosen(eight).focus()
    page.keyboard.press("ArrowDown")  # Đạt và vượt → Khó đạt, which needs a reason
    expect(chosen(eight)).to_have_value("hard")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type(t["note"])
    page.keyboard.press("Shift+Tab")  # back on the value box: Enter there submits the form
    page.keyboard.press("Enter")

    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(t["saved"])
    expect(page.locator(".tally-sentence")).to_have_text(t["tally_after"])
    expect(chosen(status_choices(page, "8"))).to_have_value("hard")
    shot(page, f"j1-assess-{lang}-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    shot(page, f"j1-assess-{lang}-360", full=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Submit the review: the button inside the form saves first, then a page asks to confirm
    # (sending makes the review read-only); focus and Enter, still no mouse.
    page.get_by_role("button", name=t["submit"]).focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text({"vi": "Gửi báo cáo sơ kết", "en": "Submit the review"}[lang])
    shot(page, f"j1-confirm-{lang}-1280")
    page.get_by_role("button", name=t["confirm"], exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(t["submitted_msg"])
    expect(page.locator(".workflow-panel .review-badge")).to_have_text(t["submitted"])
    page.goto(f"{page.base_url}/committees/BK-CM-NH/assess/")
    expect(
        status_choices(page, "8").locator("input").first
    ).to_be_disabled()  # a submitted review is read-only

    from indicators.models import Committee
    from reviews.models import Review

    nh = Committee.objects.get(code="BK-CM-NH")
    assert (nh.n_achieved, nh.n_hard, nh.n_not_achieved) == (19, 1, 0)
    assert Review.objects.get(committee=nh).state == "submitted"


def test_province_sorts_drills_down_filters_and_the_district_approves(browser, page):
    """The province reads and compares; approving a commune's report is the district's job
    (the committee directly above), so the Chợ Mới office approves Nông Hạ once its secretary
    has submitted — done here through the service, as journey 1 does it in the browser."""
    from django.contrib.auth import get_user_model

    from indicators.models import Committee
    from reviews.models import ReviewAction
    from reviews.services import review_step

    nh = Committee.objects.get(code="BK-CM-NH")
    review_step(
        committee=nh, step=ReviewAction.SUBMIT, by=get_user_model().objects.get(username="bithu.nongha")
    )

    login(page, "vanphong.tinhuy", next_url="/committees/BK/")
    expect(page.locator(".tally-sentence").first).to_have_text(TEXT["vi"]["bk_sentence"])
    shot(page, "j2-province-vi-1280")
    table = page.locator("table.children-table")
    table.get_by_role("link", name="Tỷ lệ đạt").click()
    page.wait_for_url(re.compile(r"c-sort=share"))
    shares = [
        float(s.rstrip("%").replace(",", ".")) if s != "—" else -1
        for s in table.locator("tbody tr td:nth-child(5)").all_inner_texts()
    ]
    assert len(shares) >= 2 and shares == sorted(shares)
    table.get_by_role("link", name="Tỷ lệ đạt").click()  # again: descending
    page.wait_for_url(re.compile(r"c-sort=-share"))
    shares_desc = table.locator("tbody tr td:nth-child(5)").all_inner_texts()
    assert shares_desc[0] != "—"

    table.get_by_role("link", name="Đảng bộ huyện Chợ Mới").click()
    expect(page.locator("h1")).to_have_text("Đảng bộ huyện Chợ Mới")
    page.locator("table.children-table").get_by_role("link", name="Đảng bộ xã Nông Hạ").click()
    expect(page.locator("h1")).to_have_text("Đảng bộ xã Nông Hạ")
    expect(page.locator(".workflow-panel .review-badge")).to_have_text("Đã gửi cấp trên")
    # The province may look but not approve a commune directly.
    expect(page.get_by_role("button", name="Phê duyệt báo cáo của")).to_have_count(0)
    expect(page.locator("summary", has_text="Phê duyệt…")).to_have_count(0)

    page.select_option("#id_status", "not_achieved")
    page.locator("#indicators").get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r"status=not_achieved"))
    badges = page.locator("table.indicator-table tbody td.card-status .status")  # not the "Gợi ý" badges
    assert badges.count() == 3  # 6, 7 and the thematic 04-NQ/HU – 3
    assert set(badges.all_inner_texts()) == {"Không đạt"}
    shot(page, "j2-commune-filtered-vi-1280")

    district = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        office = district.new_page()
        office.base_url = page.base_url
        login(office, "vanphong.chomoi", next_url="/committees/BK-CM-NH/")
        office.locator("summary", has_text="Phê duyệt…").click()  # confirmed, naming the committee
        office.get_by_role("button", name="Phê duyệt báo cáo của Đảng bộ xã Nông Hạ").click()
        expect(office.locator(".messages")).to_contain_text("Đã phê duyệt báo cáo sơ kết.")
        expect(office.locator(".workflow-panel .review-badge")).to_have_text("Đã phê duyệt")
    finally:
        district.close()

    page.goto(f"{page.base_url}/committees/BK-CM/")
    nong_ha = page.get_by_role("link", name="Đảng bộ xã Nông Hạ")
    row = page.locator("table.children-table tbody tr", has=nong_ha)
    expect(row.locator(".review-badge")).to_have_text("Đã phê duyệt")


def _text(pdf_bytes: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


def _rendered_download(page, t, link: str):
    """The report's link opens the waiting page, which asks again by itself (its script, or a meta
    refresh without one) at its address with the pending render's key; once the worker has
    rendered the file, that address gives the download."""
    page.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=t["rendering"])).to_be_visible()
    path = page.url.removeprefix(page.base_url)
    again = re.compile(re.escape(path) + r"&render=[0-9a-f]{64}$")
    expect(page.locator("[data-render-wait]")).to_have_attribute("data-again", again)
    waiting = page.base_url + (page.locator("[data-render-wait]").get_attribute("data-again") or "")
    # The worker runs in this thread while the page is elsewhere: the live server's SQLite is one
    # shared in-memory database, whose table locks a refresh during the render would run into.
    page.goto(f"{page.base_url}/healthz")
    # Its heartbeat thread would write beside the render, into the same locks: beat once only.
    with override_settings(WORKER_HEARTBEAT_SECONDS=3600):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    with page.expect_download() as info:
        try:
            page.goto(waiting)
        except PlaywrightError as exc:  # "Download is starting": the answer is the file
            assert "Download is starting" in str(exc)
    download = info.value
    assert download.suggested_filename.endswith((".pdf", ".docx"))
    return download


def test_sorting_a_table_keeps_the_place_on_the_page(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, "vanphong.tinhuy", next_url="/committees/BK/?term=2020-2025")
    header = page.locator("table.indicator-table thead a").first
    header.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 800  # the indicators start below the children's table
    header.click()
    page.wait_for_url(re.compile(r"sort="))
    page.wait_for_load_state("load")
    assert abs(page.evaluate("window.scrollY") - before) <= 2


def test_the_waiting_page_saves_the_file_when_ready_and_then_says_so(page):
    """Left open, the waiting page asks again every few seconds; the answer that is the file is
    saved and the page stops saying "Đang tạo báo cáo…" (#25). The server's side of that answer is
    the test above; here the browser gets it without a worker, so nothing renders beside the page."""
    login(page, "vanphong.tinhuy", next_url="/committees/BK/")
    page.get_by_role("link", name=TEXT["vi"]["pdf"]).click()
    expect(page.get_by_role("heading", name=TEXT["vi"]["rendering"])).to_be_visible()
    page.route(
        re.compile(r".*/report\.pdf.*"),
        lambda route: route.fulfill(
            status=200,
            body=b"%PDF-1.7 ready",
            headers={
                "Content-Type": "application/pdf",
                "Content-Disposition": 'attachment; filename="BK.pdf"',
            },
        ),
    )
    with page.expect_download(timeout=15_000) as info:
        pass
    assert info.value.suggested_filename == "BK.pdf"
    expect(page.get_by_role("heading", name="Báo cáo đã tạo xong")).to_be_visible()
    expect(page.get_by_role("heading", name=TEXT["vi"]["rendering"])).to_be_hidden()
    expect(page).to_have_title("Báo cáo đã tạo xong")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_downloads_pdf_word_and_workbook_from_the_dashboard(page, lang):
    t = TEXT[lang]
    choose_language(page, lang)
    login(page, "vanphong.tinhuy", next_url="/committees/BK/")
    data = _rendered_download(page, t, t["pdf"]).path().read_bytes()
    assert data.startswith(b"%PDF")
    assert t["bk_sentence"] in _text(data)

    page.goto(f"{page.base_url}/committees/BK/")
    document = Document(io.BytesIO(_rendered_download(page, t, t["docx"]).path().read_bytes()))
    assert t["bk_sentence"] in " ".join(p.text for p in document.paragraphs)

    page.goto(f"{page.base_url}/committees/BK/")
    with page.expect_download() as xlsx_info:
        page.get_by_role("link", name=t["xlsx"]).click()
    xlsx = xlsx_info.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.path().read_bytes()))
    assert len(book.sheetnames) >= 2
    assert sum(1 for _ in book.worksheets[1].iter_rows(min_row=2)) >= 66


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_mistakes_get_a_clear_message_and_lose_nothing(browser, page, lang):
    t = TEXT[lang]
    choose_language(page, lang)

    # 1. Wrong password: a message in the user's language, the username still typed.
    login(page, "bithu.nongha", password="not-the-password")
    expect(page.locator("[role=alert]")).to_contain_text(t["wrong_password"])
    expect(page.locator("#id_username")).to_have_value("bithu.nongha")
    expect(page.locator("#id_username")).to_have_attribute("aria-describedby", "login-errors")
    shot(page, f"j4-login-error-{lang}-1280")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/committees/BK-CM-NH/"))  # home sends a one-committee user there

    # 2. A form with errors: "hard" without a note; what was typed stays, the error is tied to the field.
    page.goto(f"{page.base_url}/committees/BK-CM-NH/assess/")
    eight = status_choices(page, "8")
    eight.locator('input[value="hard"]').check()
    value_id = eight.get_attribute("id").replace("-status", "-value")
    page.fill(f"#{value_id}", "2,5")
    page.click(".assess-save button[type=submit]")
    summary = page.locator("#errors")
    expect(summary).to_contain_text(t["not_saved"])
    expect(summary).to_contain_text(t["needs_note"])
    eight = status_choices(page, "8")
    expect(chosen(eight)).to_have_value("hard")
    expect(page.locator(f"#{value_id}")).to_have_value("2,5")
    note_id = eight.get_attribute("id").replace("-status", "-note")
    described = page.locator(f"#{note_id}").get_attribute("aria-describedby") or ""
    assert described and page.locator(f"#{described.split()[0]}").inner_text().strip()
    shot(page, f"j4-form-error-{lang}-1280")

    # 3. A concurrent edit: the same secretary on a second device saves first.
    other = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        phone = other.new_page()
        phone.base_url = page.base_url
        if lang == "en":
            choose_language(phone, "en")
        login(phone, "bithu.nongha", next_url="/committees/BK-CM-NH/assess/")
        status_choices(phone, "8").locator('input[value="not_achieved"]').check()
        phone.fill(f"#{note_id}", "Saved first from the phone")
        phone.click(".assess-save button[type=submit]")
        expect(phone.locator(".messages")).to_be_visible()
    finally:
        other.close()
    page.fill(f"#{note_id}", t["note"])
    page.click(".assess-save button[type=submit]")
    conflict = page.locator("#conflicts")
    expect(conflict).to_contain_text(t["conflict"])
    expect(conflict).to_contain_text("Đinh Anh Trường")  # people by name (issue 14), not username
    expect(page.locator(f"#{note_id}")).to_have_value(t["note"])  # nothing lost
    expect(chosen(status_choices(page, "8"))).to_have_value("hard")
    shot(page, f"j4-conflict-{lang}-1280")

    # 4. A page the user may not see: the same 404 as a page that does not exist, in their language.
    response = page.goto(f"{page.base_url}/committees/BK-CD/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(t["not_found"])
    expect(page.locator("html")).to_have_attribute("lang", lang)
    shot(page, f"j4-404-{lang}-1280")
