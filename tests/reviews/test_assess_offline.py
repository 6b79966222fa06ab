"""The assessment page's JSON save (issue 31): the edits a phone kept offline go through the same
form, service and checks as the page's save, answered per indicator; a stale edit is a conflict
with who saved what and when, never an overwrite. The HTML path is tested in test_assess.py."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Assessment, AssessmentChange, ChangeSource
from indicators.results import Results
from indicators.services.assessments import AssessmentEdit, assessments_update
from reviews.forms.assess import digest
from reviews.models import Review, ReviewState

from .test_assess import form_data

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def commune(tree):
    return tree["P-D1-C1"]


@pytest.fixture
def secretary(commune, make_user):
    return make_user("bithu", commune, "secretary", first_name="Trường", last_name="Đinh")


@pytest.fixture
def url(commune):
    return reverse("assess", args=[commune.code]) + "?term=2020-2025"


def assessment(commune, number: str) -> Assessment:
    return Assessment.objects.select_related("indicator").get(
        indicator__resolution__committee=commune, indicator__number=number
    )


def only(data: dict, commune, *numbers: str) -> dict:
    """The POST of a phone: the rows it kept, nothing else (other rows absent stay untouched)."""
    prefixes = tuple(f"i{assessment(commune, n).indicator_id}-" for n in numbers)
    return {k: v for k, v in data.items() if k.startswith(prefixes)}


def test_kept_edits_are_saved_with_their_history_and_answered_per_indicator(client, commune, secretary, url):
    client.force_login(secretary)
    data = only(form_data(commune, {"3": {"status": "achieved", "value": "6.5"}}), commune, "3", "1")
    response = client.post(url, data, **JSON)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    answer = json.loads(response.content)
    three, one = assessment(commune, "3"), assessment(commune, "1")
    assert answer["indicators"] == {
        str(three.indicator_id): {"state": "accepted"},
        str(one.indicator_id): {"state": "unchanged"},
    }
    assert "3/3 chỉ tiêu" in answer["tally"]
    assert (three.status, three.value, three.version, three.updated_by) == ("achieved", "6,5", 1, secretary)
    change = AssessmentChange.objects.get(assessment=three)
    assert (change.source, change.changed_by) == (ChangeSource.FORM, secretary)
    assert one.version == 0


def test_a_stale_edit_is_a_conflict_with_who_and_when_and_the_others_are_saved(
    client, commune, secretary, make_user, url
):
    client.force_login(secretary)
    data = only(
        form_data(commune, {"1": {"value": "mine"}, "2": {"value": "41"}}),
        commune,
        "1",
        "2",
    )
    colleague = make_user("vanphong", commune, "secretary", first_name="Lan", last_name="Hoàng")
    one = assessment(commune, "1")
    assessments_update(
        edits=[AssessmentEdit(one.pk, status="achieved", value="theirs", expected_version=0)], by=colleague
    )
    answer = json.loads(client.post(url, data, **JSON).content)
    one.refresh_from_db()
    conflict = answer["indicators"][str(one.indicator_id)]
    assert conflict["state"] == "conflict"
    server = conflict["server"]
    assert (server["value"], server["status"], server["version"]) == ("theirs", "achieved", 1)
    assert server["status_label"] == "Đạt và vượt"
    assert "Hoàng Lan" in server["who"] or "Lan Hoàng" in server["who"]
    assert server["when"]  # formatted in the site's time zone
    # Sending again on the version now seen ("keep mine") carries what the page would have shown.
    assert server["orig"] == digest(one.status, one.value, one.note, Results.of(one))
    assert one.value == "theirs"  # never overwritten
    assert answer["indicators"][str(assessment(commune, "2").indicator_id)] == {"state": "accepted"}
    assert assessment(commune, "2").value == "41"

    # Keep mine: resent on version 1, it is saved.
    p = f"i{one.indicator_id}-"
    data[p + "version"], data[p + "orig"] = str(server["version"]), server["orig"]
    again = json.loads(client.post(url, only(data, commune, "1"), **JSON).content)
    assert again["indicators"][str(one.indicator_id)] == {"state": "accepted"}
    one.refresh_from_db()
    assert (one.value, one.version, one.updated_by) == ("mine", 2, secretary)


def test_an_invalid_edit_is_refused_with_the_form_message_and_the_valid_one_saved(
    client, commune, secretary, url
):
    client.force_login(secretary)
    data = form_data(commune, {"1": {"status": "hard", "note": ""}, "2": {"value": "41"}})
    answer = json.loads(client.post(url, only(data, commune, "1", "2"), **JSON).content)
    one, two = assessment(commune, "1"), assessment(commune, "2")
    assert answer["indicators"][str(one.indicator_id)] == {
        "state": "invalid",
        "errors": ["Chỉ tiêu 1: đánh giá “Khó đạt” cần ghi chú nêu lý do."],
    }
    assert answer["indicators"][str(two.indicator_id)] == {"state": "accepted"}
    assert one.version == 0 and two.value == "41"


def test_the_json_save_enforces_csrf_like_the_page(commune, secretary, url):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretary)
    data = only(form_data(commune, {"2": {"value": "41"}}), commune, "2")
    assert browser.post(url, data, **JSON).status_code == 403
    assert assessment(commune, "2").version == 0
    page = browser.get(url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert browser.post(url, {**data, "csrfmiddlewaretoken": token}, **JSON).status_code == 200
    assert assessment(commune, "2").value == "41"


def test_the_json_save_refuses_another_committee_and_anonymous(client, tree, commune, make_user, url):
    data = only(form_data(commune, {"2": {"value": "41"}}), commune, "2")
    assert client.post(url, data, **JSON).status_code == 302  # to the login page
    client.force_login(make_user("other", tree["P-D1-C2"], "secretary"))
    assert client.post(url, data, **JSON).status_code == 404
    client.force_login(make_user("viewer", tree["P-D1"], "viewer"))
    assert client.post(url, data, **JSON).status_code == 403
    assert assessment(commune, "2").version == 0


def test_a_sent_review_refuses_kept_edits_saying_why(client, commune, secretary, url):
    client.force_login(secretary)
    Review.objects.update_or_create(committee=commune, defaults={"state": ReviewState.SUBMITTED})
    data = only(form_data(commune, {"2": {"value": "41"}}), commune, "2")
    response = client.post(url, data, **JSON)
    assert response.status_code == 409
    assert json.loads(response.content)["locked"]
    assert assessment(commune, "2").version == 0


def test_a_browser_form_post_still_gets_the_page(client, commune, secretary, url):
    client.force_login(secretary)
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.post(url, form_data(commune, {"2": {"value": "41"}}), HTTP_ACCEPT=accept)
    # Back to the form, at the card just saved (issue 25: she never loses her place).
    assert response.status_code == 302 and response["Location"].startswith(url + "#row-")
