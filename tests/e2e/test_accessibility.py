"""axe-core on the key pages in both languages; skip link, focus, 360 px, print. One login per language."""

import pytest
from playwright.sync_api import expect

from .conftest import login, shot
from .test_journeys import choose_language

pytestmark = pytest.mark.browser

PAGES = {
    "dashboard": "/committees/BK-CM-NH/",
    "assess": "/committees/BK-CM-NH/assess/",
    "review_edit": "/committees/BK-CM-NH/review/",
    "workbook_import": "/import/",
}
# The journeys' key pages must not scroll sideways on a 360 px phone.
NARROW = {"login", "dashboard", "assess"}


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check_page(page, name: str, lang: str) -> None:
    assert serious(page) == [], f"{name} [{lang}]"
    shot(page, f"{name}-{lang}-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    if name in NARROW:
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 360, f"{name} [{lang}] scrolls sideways at 360 px ({width} px)"
    shot(page, f"{name}-{lang}-360", full=False)
    page.set_viewport_size({"width": 1280, "height": 900})


def check_skip_link(page) -> None:
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    # Focus is visible: the link moves on screen and gets an outline.
    assert skip.bounding_box()["x"] >= 0
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_key_pages_pass_axe_and_work_by_keyboard_at_360_and_in_print(page, lang):
    choose_language(page, lang)
    page.goto(f"{page.base_url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check_skip_link(page)
    check_page(page, "login", lang)

    login(page, "bithu.nongha", next_url=PAGES["dashboard"])
    page.wait_for_url(f"**{PAGES['dashboard']}")
    for name, url in PAGES.items():
        page.goto(f"{page.base_url}{url}")
        if name == "assess":
            page.evaluate("document.activeElement && document.activeElement.blur()")
            check_skip_link(page)
        check_page(page, name, lang)

    # Every form control has an accessible name (axe checks it too; this names the culprit).
    page.goto(f"{page.base_url}{PAGES['assess']}")
    unlabeled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
             .map(e => e.name)"""
    )
    assert unlabeled == []

    # Status never by colour alone: every badge carries its label as text.
    badges = page.locator(".status").all_inner_texts()
    assert badges and all(b.strip() for b in badges)

    # The province dashboard at 360 px and on paper: header, forms and buttons gone, tables kept.
    page.context.clear_cookies()
    choose_language(page, lang)
    login(page, "vanphong.tinhuy", next_url="/committees/BK/")
    page.wait_for_url("**/committees/BK/")
    assert serious(page) == []
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    shot(page, f"province-{lang}-360", full=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("form.filter-form")).to_be_hidden()
    expect(page.locator(".headline .actions")).to_be_hidden()
    expect(page.locator("table.children-table")).to_be_visible()
    expect(page.locator(".tally-sentence").first).to_be_visible()
    shot(page, f"province-print-{lang}")
    page.emulate_media(media="screen")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
