"""A save reads only what it must: the row forms of the rows the POST changed (or may find fault
with), not one per indicator on the page (reviews.forms.assess.plainly_untouched); anything the
posted strings alone cannot clear is judged by the row form, as before."""

import pytest
from django.urls import reverse

from indicators.models import Assessment, AssessmentChange
from reviews.forms import assess as assess_forms

from .test_assess import form_data


@pytest.fixture
def commune(tree):
    return tree["P-D1-C1"]


@pytest.fixture
def url(commune):
    return reverse("assess", args=[commune.code]) + "?term=2020-2025"


@pytest.fixture
def built(monkeypatch):
    """The labels of the row forms built during the test."""
    labels: list[str] = []
    original = assess_forms.AssessmentRowForm.__init__

    def counting(self, *args, **kwargs):
        labels.append(kwargs["label"])
        original(self, *args, **kwargs)

    monkeypatch.setattr(assess_forms.AssessmentRowForm, "__init__", counting)
    return labels


def test_saving_one_indicator_builds_one_row_form(client, commune, make_user, url, built):
    client.force_login(make_user("bithu", commune, "secretary"))
    response = client.post(url, form_data(commune, {"2": {"status": "hard", "note": "Thiếu vốn"}}))
    assert response.status_code == 302
    assert built == ["Chỉ tiêu 2"]
    assert AssessmentChange.objects.count() == 1


def test_an_untouched_row_with_a_broken_version_is_still_refused(client, commune, make_user, url, built):
    client.force_login(make_user("bithu", commune, "secretary"))
    data = form_data(commune, {"2": {"value": "41"}})
    untouched = Assessment.objects.get(indicator__resolution__committee=commune, indicator__number="1")
    data[f"i{untouched.indicator_id}-version"] = "1.5"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Chỉ tiêu 1: biểu mẫu không hợp lệ, hãy tải lại trang." in response.content.decode()
    assert not AssessmentChange.objects.exists()


@pytest.mark.parametrize(
    ("change", "plainly"),
    [
        ({}, True),
        ({"status": "hard"}, False),  # touched
        ({"version": "x"}, False),
        ({"version": "-1"}, False),
        ({"version": "٣"}, False),  # a digit, but not one the form's int() is sure to read alike
        ({"orig": ""}, False),
    ],
)
def test_only_a_row_the_form_would_pass_untouched_is_plainly_untouched(commune, change, plainly):
    a = Assessment.objects.filter(indicator__resolution__committee=commune).order_by("pk").first()
    data = {k: v for k, v in form_data(commune).items() if k.startswith(f"i{a.indicator_id}-")}
    data.update({f"i{a.indicator_id}-{k}": v for k, v in change.items()})
    from django.http import QueryDict

    posted = QueryDict(mutable=True)
    posted.update(data)
    assert assess_forms.plainly_untouched(posted, f"i{a.indicator_id}", [2021], with_results=True) is plainly


def test_a_note_longer_as_posted_than_its_field_allows_goes_to_the_form(commune):
    """A browser sends a note's line breaks as CRLF: the posted note may be longer than the
    stored one with the same fingerprint. The row form, not the shortcut, decides about it."""
    from django.http import QueryDict

    from indicators.values import NOTE_MAX_LENGTH

    a = Assessment.objects.filter(indicator__resolution__committee=commune).order_by("pk").first()
    posted = QueryDict(mutable=True)
    posted.update({k: v for k, v in form_data(commune).items() if k.startswith(f"i{a.indicator_id}-")})
    posted[f"i{a.indicator_id}-note"] = "x" * (NOTE_MAX_LENGTH + 1)
    posted[f"i{a.indicator_id}-orig"] = assess_forms.posted_digest(
        posted, f"i{a.indicator_id}", [2021], with_results=True
    )
    assert not assess_forms.plainly_untouched(posted, f"i{a.indicator_id}", [2021], with_results=True)
