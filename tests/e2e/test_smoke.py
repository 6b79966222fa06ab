import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = pytest.mark.browser


def test_login_then_home_in_a_real_browser(page):
    login(page, "vanphong.tinhuy")
    page.wait_for_url("**/committees/BK/**")
    expect(page.locator("h1").first).to_be_visible()


def test_wrong_password_shows_a_vietnamese_message(page):
    login(page, "vanphong.tinhuy", password="wrong")
    alert = page.locator("[role=alert]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("mật khẩu")
