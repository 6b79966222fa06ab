"""Every page on a 360×800 phone (issue 15), in Vietnamese and English: nothing scrolls sideways,
each indicator's status (and committee) is on screen, no text under 12 px, every link and button
at least 24×24 px, and axe stays clean at that width."""

import pytest
from playwright.sync_api import expect

from .conftest import login, shot
from .test_accessibility import serious
from .test_journeys import choose_language

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}

# The page's own measures, in the browser. SVG text is scaled by its viewBox, so its size on
# screen is the computed size times the scale the SVG is drawn at.
MEASURE = """() => {
  const vw = document.documentElement.clientWidth;
  const shown = e => {
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || s.display === 'none') return false;
    const r = e.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && !e.closest('.visually-hidden, .skip-link');
  };
  let smallest = [99, ''];
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) {
    const node = texts.currentNode, e = node.parentElement;
    if (!node.textContent.trim() || !shown(e)) continue;
    let size = parseFloat(getComputedStyle(e).fontSize);
    if (e.closest('svg')) size *= e.getScreenCTM().a;
    if (size < smallest[0]) smallest = [size, node.textContent.trim().slice(0, 40)];
  }
  const tappable = 'a, button, summary, input[type=submit], input[type=file], label.choice';
  const targets = [...document.querySelectorAll(tappable)]
    .filter(shown)
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.width < 24 || r.height < 24)
    .map(([e, r]) => `${e.tagName} "${e.textContent.trim().slice(0, 30)}" ${r.width | 0}x${r.height | 0}`);
  // No box scrolls sideways either (a table is cards on a phone, not a box to scroll).
  const sideways = [...document.querySelectorAll('main *')].filter(shown)
    .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.tagName}.${e.className} ${e.scrollWidth}/${e.clientWidth}`);
  return {scrollWidth: document.scrollingElement.scrollWidth, vw, smallest, targets, sideways};
}"""

# Every form control of the page, folds opened: at least 24×24 px itself (the "ước" boxes were 18).
INPUTS = """() => {
  document.querySelectorAll('main details').forEach(d => { d.open = true; });
  return [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.width > 1 && getComputedStyle(e).visibility !== 'hidden')
    .filter(([e, r]) => r.width < 24 || r.height < 24)
    .map(([e, r]) => `${e.tagName} ${e.type} ${e.name} ${r.width | 0}x${r.height | 0}`);
}"""

# Per page: the elements that carry each indicator's status (and, in lists, its committee).
STATUS = {
    "dashboard": "table.indicator-table tbody .status",
    "trouble": "table.trouble-table tbody .status",
    "trouble-committee": "table.trouble-table tbody td:first-child a",
    "children": "table.children-table tbody .review-badge",
    "assess": ".assess-card .choice:has(input:checked)",
}


def check(page, name: str, lang: str, statuses: tuple[str, ...] = (), *, axe: bool = True) -> None:
    where = f"{name} [{lang}]"
    m = page.evaluate(MEASURE)
    assert m["scrollWidth"] <= m["vw"] == PHONE["width"], f"{where} scrolls sideways: {m['scrollWidth']} px"
    assert m["smallest"][0] >= 12, f"{where}: text at {m['smallest'][0]:.1f} px: {m['smallest'][1]!r}"
    assert m["targets"] == [], f"{where}: tap targets under 24×24 px: {m['targets'][:5]}"
    assert m["sideways"] == [], f"{where}: boxes that scroll sideways: {m['sideways'][:5]}"
    for key in statuses:
        items = page.locator(STATUS[key])
        assert items.count(), f"{where}: no {key}"
        for item in (items.first, items.last):
            item.scroll_into_view_if_needed()
            box = item.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
                f"{where}: {key} off screen"
            )
    if axe:  # axe runs in the page: not with JavaScript off
        assert serious(page) == [], where
    shot(page, f"phone-{name}-{lang}", full=False)


def _phone(browser, live_server, lang):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    choose_language(page, lang)
    return context, page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_fits_a_360_px_phone(browser, live_server, demo, lang):
    context, page = _phone(browser, live_server, lang)
    try:
        page.goto(f"{page.base_url}/accounts/login/")
        check(page, "login", lang)

        # The commune secretary's pages.
        login(page, "bithu.nongha", next_url="/committees/BK-CM-NH/")
        page.wait_for_url("**/committees/BK-CM-NH/")
        check(page, "dashboard-commune", lang, ("dashboard",))
        page.goto(f"{page.base_url}/committees/BK-CM-NH/assess/")
        check(page, "assess", lang, ("assess",))
        small = page.evaluate(INPUTS)
        assert small == [], f"assess [{lang}]: inputs under 24×24 px: {len(small)}, e.g. {small[:5]}"
        page.goto(f"{page.base_url}/committees/BK-CM-NH/assess/")
        # The save bar stays on screen while the form scrolls.
        save = page.locator(".assess-save button[type=submit]").first
        page.locator(".assess-card").nth(10).scroll_into_view_if_needed()
        box = save.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
        with page.expect_navigation():  # measured once the indicator's page has replaced the form
            page.locator(".assess-card .row-meta a").first.click()
        check(page, "indicator", lang)
        page.goto(f"{page.base_url}/committees/BK-CM-NH/review/")
        check(page, "review-editor", lang)
        page.goto(f"{page.base_url}/import/")
        check(page, "import", lang)
        context.clear_cookies()

        # The province office: its dashboard, a district's, the trouble list.
        choose_language(page, lang)
        login(page, "vanphong.tinhuy", next_url="/committees/BK/")
        page.wait_for_url("**/committees/BK/")
        check(page, "dashboard-province", lang, ("children", "dashboard"))
        page.goto(f"{page.base_url}/committees/BK-CM/")
        check(page, "dashboard-district", lang, ("children", "dashboard"))
        page.goto(f"{page.base_url}/committees/BK/trouble/")
        check(page, "trouble", lang, ("trouble", "trouble-committee"))
        context.clear_cookies()

        # The home page lists committees for someone with no single one (the administrator).
        choose_language(page, lang)
        login(page, "admin", next_url="/")
        page.wait_for_url(f"{page.base_url}/")  # loaded, stylesheet included
        expect(page.locator("main h1")).to_be_visible()
        check(page, "home", lang)
    finally:
        context.close()


def test_66_indicators_fold_by_field_with_counts_and_work_without_javascript(browser, live_server, demo):
    """The province's 66 indicators: folded by field, each summary counting what is left; with
    JavaScript off a field opens, a status is chosen, and the save goes through."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    try:
        login(page, "bithu.tinhuy", next_url="/committees/BK/assess/")
        page.wait_for_url("**/committees/BK/assess/")
        fields = page.locator("details.assess-field")
        assert fields.count() >= 4
        assert page.locator("details.assess-field[open]").count() == 0
        summary = fields.first.locator(":scope > summary")
        expect(summary).to_contain_text("(")
        check(page, "assess-66", "vi", ("assess",), axe=False)
        summary.click()
        card = fields.first.locator(".assess-card").first
        card.locator("label.choice:not(:has(input:checked))").first.click()
        note = card.locator("textarea")
        note.fill("Thiếu vốn.")
        one_line = note.bounding_box()["height"]
        note.fill("Thiếu vốn đầu tư. " * 12)  # the note grows as it is typed, without a script
        assert note.bounding_box()["height"] > one_line + 40
        page.locator(".assess-save button[type=submit]").first.click()
        expect(page.locator(".messages")).to_contain_text("Đã lưu 1 chỉ tiêu.")
    finally:
        context.close()


def test_the_province_dashboard_folds_its_66_indicators_on_a_phone_not_on_a_wide_screen(
    browser, live_server, demo
):
    """66 indicator cards made the province dashboard ~21,000 px tall on a phone: folded, one tap
    opens them; a filtered list is open; a wide screen shows the table with no fold to open."""
    context, page = _phone(browser, live_server, "vi")
    try:
        login(page, "vanphong.tinhuy", next_url="/committees/BK/")
        page.wait_for_url("**/committees/BK/")
        fold = page.locator("details.indicator-fold").first
        rows = fold.locator("tbody tr")
        expect(fold.locator("summary")).to_have_text("Xem 66 chỉ tiêu")
        expect(rows.first).to_be_hidden()
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 10_000, f"the folded dashboard is {height} px tall"
        fold.locator("summary").click()
        expect(rows.first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollHeight") > height + 5_000

        page.goto(f"{page.base_url}/committees/BK/?explain=explained#indicators")
        expect(page.locator("details.indicator-fold tbody tr").first).to_be_visible()
        shot(page, "dashboard-fold-phone")

        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{page.base_url}/committees/BK/")
        expect(page.locator("details.indicator-fold tbody tr").first).to_be_visible()
        expect(page.locator("details.indicator-fold > summary").first).to_be_hidden()
    finally:
        context.close()
