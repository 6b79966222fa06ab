"""Adjusted targets on the pages (staff adjust on the indicator's page; the assessment form shows it
read-only), history with the "vượt" mark, the field breakdown on the dashboard, and "chưa thể đánh
giá" in the list of indicators needing attention (issue #27)."""

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorChange, Status
from indicators.services.indicators import indicator_adjust_target
from tests.conftest import assess_one

DECISION = "15-NQ/TU ngày 10/3/2022"
TERM = "?term=2020-2025"


def _detail(indicator):
    return reverse("indicator_detail", args=[indicator.resolution.committee.code, indicator.pk]) + TERM


def _adjust(indicator):
    return reverse("indicator_adjust", args=[indicator.resolution.committee.code, indicator.pk]) + TERM


@pytest.fixture
def commune(tree):
    return tree["P-D1-C1"]


@pytest.fixture
def first(commune):
    return Indicator.objects.of_committee(commune).select_related("resolution__committee").first()


def test_staff_adjust_a_target_on_the_indicator_page_and_it_is_in_its_history(client, first, make_user):
    staff = make_user("staff", is_staff=True)
    client.force_login(staff)
    assert 'name="target_adjusted"' in client.get(_detail(first)).content.decode()
    response = client.post(_adjust(first), {"target_adjusted": "6", "target_adjusted_by": DECISION})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.target_adjusted, first.target_adjusted_by) == ("6", DECISION)
    html = client.get(_detail(first)).content.decode()
    assert "Lịch sử nội dung chỉ tiêu" in html
    assert f"điều chỉnh: 6 theo {DECISION}" in html  # the history row, after
    assert "không điều chỉnh" in html  # … and before
    assert IndicatorChange.objects.filter(indicator=first, changed_by=staff, action="changed").count() == 1


def test_an_adjustment_without_its_decision_is_refused_with_a_message(client, first, make_user):
    client.force_login(make_user("staff", is_staff=True))
    response = client.post(_adjust(first), {"target_adjusted": "6", "target_adjusted_by": ""})
    assert response.status_code == 400
    assert "cần ghi văn bản điều chỉnh" in response.content.decode()
    first.refresh_from_db()
    assert first.target_adjusted == ""


def test_a_secretary_sees_the_adjustment_but_may_not_make_it(client, commune, first, make_user):
    indicator_adjust_target(indicator=first, target_adjusted="6", adjusted_by=DECISION)
    secretary = make_user("sec", commune, role="secretary")
    client.force_login(secretary)
    assess = client.get(reverse("assess", args=[commune.code]) + TERM).content.decode()
    assert "Mục tiêu điều chỉnh: <strong>6</strong>" in assess and f"theo {DECISION}" in assess
    assert "#adjust-title" not in assess
    detail = client.get(_detail(first)).content.decode()
    assert 'name="target_adjusted"' not in detail and f"theo {DECISION}" in detail
    assert client.post(_adjust(first), {"target_adjusted": "", "target_adjusted_by": ""}).status_code == 403
    first.refresh_from_db()
    assert first.target_adjusted == "6"


def test_a_superuser_assessing_gets_the_link_to_adjust(client, commune, make_user):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password=None))
    html = client.get(reverse("assess", args=[commune.code]) + TERM).content.decode()
    assert "#adjust-title" in html and "Điều chỉnh mục tiêu" in html


def test_the_history_page_shows_the_exceeded_mark(client, commune, first, make_user):
    secretary = make_user("sec", commune, role="secretary")
    assess_one(assessment=first.assessment, status=Status.ACHIEVED, exceeded=True, by=secretary)
    client.force_login(secretary)
    html = client.get(_detail(first)).content.decode()
    assert "Đạt và vượt (vượt)" in html.split('id="history"')[1]


def test_the_dashboard_shows_the_tally_by_field_adding_up(client, tree, make_user):
    from indicators.services.indicators import indicator_update

    province = tree["P"]
    one = Indicator.objects.of_committee(province).get(number="4")
    indicator_update(indicator=one, number="4", text=one.text, field="", target=one.target)
    client.force_login(make_user("v", province))
    response = client.get(reverse("dashboard", args=["P"]) + TERM)
    rows = [(r.label, r.short) for r in response.context["field_tallies"]]
    assert rows == [("Kinh tế", "2/3"), ("Khác", "0/1")]
    html = response.content.decode()
    assert "Theo lĩnh vực" in html and "<strong>Khác</strong>" in html


def test_not_assessable_indicators_need_attention(client, tree, make_user):
    commune = tree["P-D2-C2"]
    indicator = Indicator.objects.of_committee(commune).with_assessment().get(number="1")
    assess_one(assessment=indicator.assessment, status=Status.NOT_ASSESSABLE, note="Chưa có số liệu")
    client.force_login(make_user("v", tree["P"]))
    dashboard = client.get(reverse("dashboard", args=["P"]) + TERM).content.decode()
    assert "8 chỉ tiêu cần chú ý" in dashboard  # 7 hard or not achieved, and this one
    url = reverse("trouble", args=["P"]) + TERM
    listed = [row.record.pk for row in client.get(url).context["table"].rows]
    assert indicator.pk in listed and len(listed) == 8
    only = client.get(url + "&status=not_assessable").context["table"].rows
    assert [row.record.pk for row in only] == [indicator.pk]
    exported = client.get(url + "&_export=csv").content.decode("utf-8-sig")
    assert "Chưa thể đánh giá" in exported


# Session, user, term, committee (staff have no roles to read), the indicator, its target history
# (the one query this page adds: IndicatorChange, with who changed it), the review's state, the
# header's unread count, its assessment history.
DETAIL_QUERIES = 9


def test_the_indicator_page_costs_the_same_whatever_its_history(
    client, first, make_user, django_assert_num_queries
):
    staff = make_user("staff", is_staff=True)
    client.force_login(staff)
    client.get(_detail(first))  # template loading is not what is measured
    for n in range(1, 4):  # one history row, then three
        indicator_adjust_target(indicator=first, target_adjusted=str(n), adjusted_by=DECISION, by=staff)
        if n in (1, 3):
            with django_assert_num_queries(DETAIL_QUERIES):
                assert client.get(_detail(first)).status_code == 200


def test_the_dashboard_shows_the_adjusted_target_under_the_congress_s(client, commune, first, make_user):
    """The dashboard's suggestion read the adjusted target while its table showed only the
    Congress's ("từ 7,5 đến 8", suggested achieved at 5,9): the adjustment shows under it (#27 walk)."""
    indicator_adjust_target(indicator=first, target_adjusted="6", adjusted_by=DECISION)
    client.force_login(make_user("v", commune))
    html = client.get(reverse("dashboard", args=[commune.code]) + TERM).content.decode()
    assert f'<br><span class="target-adjusted">điều chỉnh: 6 theo {DECISION}</span>' in html
