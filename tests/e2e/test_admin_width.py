"""The admin's resolution page (its 66 indicators in one table) fits a 1280 px screen with the
admin's side menu open: nothing scrolls sideways, the delete boxes are on screen (issue 25)."""

import pytest

from indicators.models import Resolution

from .conftest import login, shot

pytestmark = pytest.mark.browser


def test_the_provinces_resolution_fits_1280_px_with_the_side_menu_open(page):
    resolution = Resolution.objects.filter(committee__code="BK").order_by("pk").first()
    login(page, "admin", next_url=f"/admin/indicators/resolution/{resolution.pk}/change/")
    page.wait_for_selector(".inline-group .tabular")
    assert page.evaluate("document.querySelector('#nav-sidebar') !== null")
    width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, "admin-resolution-1280", full=False)
    assert width <= 1280, f"the page is {width} px wide"
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.inline-group .tabular td.delete input')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert right <= 1280
