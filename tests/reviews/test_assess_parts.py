"""The assessment form with indicators with parts: parts under their group, values but no status."""

import re

import pytest
from django.urls import reverse

from indicators.models import Assessment, Committee, Status
from indicators.results import Results
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from indicators.tally import Tally
from reviews.forms.assess import digest
from tests.reviews.test_assess import form_data


def _build(committee, n_groups, parts_each=2):
    """`n_groups` groups (odd ones achieved), each with its parts targeting 100 (forecast 100)."""
    resolution = resolution_create(committee=committee, number="01-NQ/ĐH")
    for g in range(1, n_groups + 1):
        group = indicator_create(
            resolution=resolution,
            number=str(g),
            text=f"Nhóm {g}",
            field="economy",
            status=Status.ACHIEVED if g % 2 else Status.HARD,
            note="" if g % 2 else "Lý do",
        )
        for p in range(1, parts_each + 1):
            indicator_create(
                resolution=resolution,
                number=f"{g}.{p}",
                text=f"Phần {g}.{p}",
                field="culture_society",  # a part sits in its group's field whatever it names
                target="100",
                unit="%",
                results=Results(forecast="100"),
                group=group,
            )
    return resolution


@pytest.fixture
def commune(make_committee):
    committee = make_committee("X")
    _build(committee, 3)
    return committee


@pytest.fixture
def url():
    return reverse("assess", args=["X"]) + "?term=2020-2025"


@pytest.fixture
def secretary(commune, make_user):
    return make_user("bithu", commune, "secretary")


def _a(number):
    return Assessment.objects.select_related("indicator").get(indicator__number=number)


def test_parts_sit_under_their_group_with_values_but_no_status(client, secretary, url):
    client.force_login(secretary)
    page = client.get(url).content.decode()
    cards = re.findall(r'<li class="assess-card([^"]*)" id="row-(\d+)"', page)
    numbers = {str(_a(n).indicator_id): n for n in ["1", "1.1", "1.2", "2", "2.1", "2.2", "3", "3.1", "3.2"]}
    assert [numbers[pk] for _cls, pk in cards] == ["1", "1.1", "1.2", "2", "2.1", "2.2", "3", "3.1", "3.2"]
    classes = {numbers[pk]: cls for cls, pk in cards}
    assert "is-group" in classes["1"] and "is-part" in classes["1.1"]
    part = _a("1.1")
    assert f'type="radio" name="i{part.indicator_id}-status"' not in page  # no choices
    assert f'type="hidden" name="i{part.indicator_id}-status" value="not_assessed"' in page
    assert f'name="i{part.indicator_id}-forecast"' in page  # its values are editable
    assert "Một phần của chỉ tiêu 1: không đánh giá riêng, cấp ủy đánh giá cả nhóm." in page
    assert "Nhóm chỉ tiêu gồm 2 phần" in page
    # One field: the parts name another field, and still sit under their group.
    assert page.count('<details class="assess-field"') == 1
    # The field's "left to judge" counts the groups only.
    assert "chưa đánh giá" not in page.split("<summary>")[1].split("</summary>")[0]


def test_a_parts_new_forecast_moves_its_groups_suggestion_never_the_tally(client, commune, secretary, url):
    client.force_login(secretary)
    part = _a("2.1")
    data = form_data(commune)
    p = f"i{part.indicator_id}-"
    data |= {p + "baseline": "", p + "forecast": "50"}
    assert client.post(url, data).status_code == 302
    assert _a("2.1").forecast == "50"
    assert _a("2").suggested_status == Status.NOT_ACHIEVED
    assert Tally.of_committee(Committee.objects.get(code="X")) == Tally(achieved=2, hard=1)


def test_a_forged_status_on_a_part_is_refused(client, commune, secretary, url):
    client.force_login(secretary)
    part = _a("1.1")
    data = form_data(commune, {"1.1": {"status": "achieved"}})
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Chỉ tiêu 1.1: đánh giá không hợp lệ." in response.content.decode()
    assert _a("1.1").status == Status.NOT_ASSESSED and part.version == _a("1.1").version


def test_an_untouched_part_is_not_saved(client, commune, secretary, url):
    client.force_login(secretary)
    part = _a("3.2")
    data = form_data(commune)
    assert data[f"i{part.indicator_id}-orig"] == digest("not_assessed", "", "")
    client.post(url, data)
    assert _a("3.2").version == part.version


@pytest.mark.parametrize("n", [10, 40])
def test_the_form_with_groups_renders_in_constant_queries(
    client, make_committee, make_user, n, django_assert_num_queries
):
    committee = make_committee("X")
    _build(committee, n)
    client.force_login(make_user("sec", committee, "secretary"))
    url = reverse("assess", args=["X"]) + "?term=2020-2025"
    # as test_assess.py's: session, user, the committee with its term, roles, review, indicators,
    # the header's unread count (the panel's checklist judges the indicators read)
    with django_assert_num_queries(7):
        response = client.get(url)
    page = response.content.decode()
    assert page.count('type="radio" name="i') == 5 * n  # the groups' choices, none for 2n parts
    assert page.count("assess-card is-part") == 2 * n


def test_parts_never_hold_back_sending(commune):
    """Every group judged: the checklist asks nothing of the parts, which have no status of their own."""
    from reviews.selectors import review_checklist, review_of

    codes = [m.code for m in review_checklist(committee=commune, review=review_of(committee=commune))]
    assert "not_assessed" not in codes


def _dashboard_queries(client, make_committee, make_user, code, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    committee = make_committee(code)
    _build(committee, n)
    client.force_login(make_user(f"xem-{code}", committee, "viewer"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboard", args=[code]) + "?term=2020-2025").content.decode()
    return len(queries), page


def test_the_dashboard_shows_a_dash_for_a_parts_status_in_the_same_queries_whatever_the_size(
    client, make_committee, make_user
):
    small, page = _dashboard_queries(client, make_committee, make_user, "S", 3)
    large, _page = _dashboard_queries(client, make_committee, make_user, "L", 12)
    assert small == large
    # 3 groups in the tally, never their 6 parts.
    assert "2/3 chỉ tiêu có khả năng đạt và vượt; 1 chỉ tiêu khó đạt" in page
    row = page.split("Phần 1.1")[1].split("</tr>")[0]
    assert "Đánh giá: </span>—</td>" in row
