"""The assessment form as she works (#25): a status that differs from the suggestion says at once
that it needs a note, and after an error the folds she had open come back open."""

import pytest
from playwright.sync_api import expect

from .conftest import login, shot

pytestmark = pytest.mark.browser


def test_choosing_against_the_suggestion_says_a_note_is_needed_at_once(page):
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "bithu.nongha", next_url="/committees/BK-CM-NH/assess/?term=2020-2025")
    card = page.locator(".assess-card:has(details.results > summary .status-achieved)").first
    card.scroll_into_view_if_needed()
    card.locator("label.choice-hard").click()
    hint = card.locator(".disagree-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("cần ghi chú")
    expect(hint).to_contain_text("Đạt và vượt")
    shot(page, "assess-disagree-hint-360", full=False)
    card.locator("label.choice-achieved").click()
    expect(hint).to_be_hidden()


def test_after_an_error_the_folds_she_had_open_come_back_open(page):
    login(page, "bithu.tinhuy", next_url="/committees/BK/assess/?term=2020-2025")
    page.wait_for_url("**/committees/BK/assess/?term=2020-2025")  # counted on the form, not on the way
    folds = page.locator("details.assess-field")
    expect(folds.first).to_be_attached()
    assert folds.count() > 2
    first, second = folds.nth(0), folds.nth(1)
    expect(first).not_to_have_attribute("open", "")
    first.locator(":scope > summary").click()
    second.locator(":scope > summary").click()
    opened = first.get_attribute("id")
    # An error in the second field: "hard" with its note cleared.
    card = second.locator(".assess-card:not(.is-part)").first
    card.locator("label.choice-hard").click()
    card.locator("textarea").fill("")
    page.get_by_role("button", name="Lưu các thay đổi").click()
    expect(page.locator(".field-error").first).to_be_visible()
    expect(page.locator(f"details#{opened}")).to_have_attribute("open", "")
