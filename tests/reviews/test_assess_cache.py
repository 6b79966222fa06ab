"""The assessment page's cached cards (reviews.fragments) are exact: a card shown as stored is
served from the cache, and any change to what it shows (a save, who saved, the indicator, the
language, whether it may still be edited) shows on the very next request; a submitted card (typed
values, errors, a conflict) is never cached. Against local memory and the machine's Redis."""

# ruff: noqa: F811 -- `cache` is the fixture imported from the dashboard's cache tests

import re

import pytest
from django.urls import reverse

from indicators.models import Assessment
from indicators.services.indicators import indicator_update
from reviews.models import ReviewAction
from reviews.services import review_step
from tests.conftest import fill_document

from .test_assess import form_data
from .test_dashboard_cache import after_change, cache, fresh, page, warm  # noqa: F401 (fixture)


@pytest.fixture
def commune(tree):
    return tree["P-D1-C1"]


@pytest.fixture
def secretary(client, commune, make_user):
    user = make_user("bithu", commune, "secretary")
    client.force_login(user)
    return user


@pytest.fixture
def url(commune):
    return reverse("assess", args=[commune.code]) + "?term=2020-2025"


def after_save(client, url, cache) -> str:
    """The next request after a save through the form: as after_change, but its "Đã lưu" message
    is shown once and is not part of what the cache must equal."""
    html = re.sub(
        r'\s*<ul class="messages".*?</ul>', "", after_change_with_message(client, url, cache), flags=re.S
    )
    assert html == re.sub(r'\s*<ul class="messages".*?</ul>', "", fresh(client, url, cache), flags=re.S)
    return html


def after_change_with_message(client, url, cache) -> str:
    cache.writes.clear()
    html = page(client, url)
    assert cache.writes, "the change must have made a new key"
    return html


def _cards(commune) -> int:
    return Assessment.objects.filter(indicator__resolution__committee=commune).count()


@pytest.mark.django_db
class TestCards:
    def test_every_card_is_cached_and_a_repeat_is_all_hits(self, client, commune, secretary, url, cache):
        page(client, url)
        assert len([k for k in cache.writes if ":assess-card:" in k]) == _cards(commune)
        assert warm(client, url, cache) == fresh(client, url, cache)

    def test_a_save_shows_the_new_value_and_who_saved_it(self, client, commune, secretary, url, cache):
        warm(client, url, cache)
        secretary.first_name, secretary.last_name = "Thị Mận", "Hoàng"
        secretary.save()
        data = form_data(commune, {"3": {"status": "achieved", "value": "6.5", "note": "Đã tăng tốc"}})
        assert client.post(url, data).status_code == 302
        html = after_save(client, url, cache)
        assert "6,5" in html and "Đã tăng tốc" in html and "Hoàng Thị Mận" in html

    def test_a_renamed_user_who_saved(self, client, commune, secretary, url, cache):
        client.post(url, form_data(commune, {"3": {"status": "achieved", "value": "6.5"}}))
        page(client, url)  # shows the "saved" message once
        warm(client, url, cache)
        secretary.first_name, secretary.last_name = "Văn Đổi", "Tên"
        secretary.save()
        assert "Tên Văn Đổi" in after_change(client, url, cache)

    def test_a_login_or_a_new_password_of_who_saved_keeps_the_cards(
        self, client, commune, secretary, url, cache
    ):
        """The key holds what the card shows of who saved it (their name), not their whole row."""
        from django.utils import timezone

        client.post(url, form_data(commune, {"3": {"status": "achieved", "value": "6.5"}}))
        page(client, url)  # shows the "saved" message once
        warm(client, url, cache)
        secretary.last_login = timezone.now()
        secretary.set_password("another-Secret-2026")
        secretary.save()
        client.force_login(secretary)
        cache.writes.clear()
        page(client, url)
        assert not [k for k in cache.writes if ":assess-card:" in k]

    def test_a_changed_indicator(self, client, commune, secretary, url, cache):
        warm(client, url, cache)
        indicator = Assessment.objects.filter(indicator__resolution__committee=commune).first().indicator
        indicator_update(indicator=indicator, number="1", text="Tỷ lệ che phủ rừng mới", target="75")
        assert "Tỷ lệ che phủ rừng mới" in after_change(client, url, cache)

    def test_a_language_change(self, client, commune, secretary, url, cache):
        vietnamese = warm(client, url, cache)
        client.cookies["django_language"] = "en"
        english = after_change(client, url, cache)
        assert english != vietnamese and "Achieved" in english

    def test_a_sent_review_shows_read_only_cards(self, client, commune, secretary, url, cache):
        from indicators.services.assessments import AssessmentEdit, assessments_update

        edits = [
            AssessmentEdit(assessment_id=a.pk, status="achieved")
            for a in Assessment.objects.filter(indicator__resolution__committee=commune)
        ]
        assessments_update(edits=edits)
        fill_document(commune)
        editable = warm(client, url, cache)
        review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
        read_only = after_change(client, url, cache)
        assert read_only.count(" disabled") > editable.count(" disabled")

    def test_a_refused_form_shows_what_was_typed_and_caches_no_submitted_card(
        self, client, commune, secretary, url, cache
    ):
        warm(client, url, cache)
        cache.writes.clear()
        data = form_data(commune, {"3": {"status": "hard", "value": "Gõ dở 42", "note": ""}})
        response = client.post(url, data)
        assert response.status_code == 400  # a hard status needs a note: refused, shown again
        html = response.content.decode()
        assert "Gõ dở 42" in html
        assert cache.writes == []  # the submitted cards are drawn, never stored
        assert "Gõ dở 42" not in page(client, url)  # nor served to the next request
