"""The assessment form with "Chưa thể đánh giá" and the "vượt" tick (domain.md, "The real variety")."""

import pytest
from django.urls import reverse

from indicators.models import Assessment, AssessmentChange, Status
from indicators.tally import Tally
from tests.reviews.test_assess import form_data


@pytest.fixture
def commune(tree):
    return tree["P-D1-C1"]


@pytest.fixture
def secretary(commune, make_user):
    return make_user("bithu", commune, "secretary")


@pytest.fixture
def url(commune):
    return reverse("assess", args=[commune.code]) + "?term=2020-2025"


def _row(commune, number):
    return Assessment.objects.get(indicator__resolution__committee=commune, indicator__number=number)


def test_the_form_offers_cannot_yet_be_assessed_and_a_vuot_tick(client, commune, secretary, url):
    client.force_login(secretary)
    page = client.get(url).content.decode()
    a = _row(commune, "1")
    assert f'name="i{a.indicator_id}-status" value="not_assessable"' in page
    assert "Chưa thể đánh giá" in page
    assert f'name="i{a.indicator_id}-exceeded"' in page
    assert 'class="choice choice-exceeded"' in page


def test_ticking_vuot_on_an_achieved_indicator_stores_the_mark_and_the_sentence_says_so(
    client, commune, secretary, url
):
    client.force_login(secretary)
    number = _row(commune, "1").indicator.number
    response = client.post(url, form_data(commune, {number: {"status": "achieved", "exceeded": "on"}}))
    assert response.status_code == 302
    a = _row(commune, number)
    assert (a.status, a.exceeded) == ("achieved", True)
    change = AssessmentChange.objects.get(assessment=a)
    assert (change.old_exceeded, change.new_exceeded) == (False, True)
    commune.refresh_from_db()
    assert Tally.of_committee(commune).exceeded == 1
    page = client.get(url).content.decode()
    assert "(trong đó 1 chỉ tiêu vượt)" in page


def test_a_vuot_tick_left_beside_another_status_is_dropped(client, commune, secretary, url):
    client.force_login(secretary)
    data = form_data(commune, {"1": {"status": "hard", "note": "Thiếu vốn", "exceeded": "on"}})
    assert client.post(url, data).status_code == 302
    assert (_row(commune, "1").status, _row(commune, "1").exceeded) == ("hard", False)


def test_cannot_yet_be_assessed_needs_a_note(client, commune, secretary, url):
    client.force_login(secretary)
    response = client.post(url, form_data(commune, {"1": {"status": Status.NOT_ASSESSABLE, "note": ""}}))
    assert response.status_code == 400
    assert "Chỉ tiêu 1: đánh giá “Chưa thể đánh giá” cần ghi chú nêu lý do." in response.content.decode()


def test_the_form_in_english_names_the_new_status_and_the_tick(client, commune, secretary, url):
    client.force_login(secretary)
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "Cannot yet be assessed" in page
    assert "exceeded" in page
