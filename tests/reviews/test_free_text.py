"""Every free-text input is bounded and refuses NUL, in the user's language, and stores nothing then."""

import pytest
from django.urls import reverse

from indicators.models import Assessment
from reviews.forms.assess import digest
from reviews.forms.workflow import REASON_MAX_LENGTH
from reviews.models import Review, ReviewAction, ReviewEvent, ReviewState
from reviews.services import review_step
from tests.conftest import fill_document


@pytest.fixture
def commune(tree):
    return tree["P-D1-C1"]


@pytest.fixture
def secretary(commune, make_user):
    return make_user("bithu", commune, "secretary")


@pytest.fixture
def district(client, tree, commune, secretary, make_user):
    """The committee above, logged in, with the commune's review submitted to it."""
    fill_document(commune)
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    user = make_user("vanphong", tree["P-D1"], "viewer")
    client.force_login(user)
    return client


def _url(name, committee):
    return reverse(name, args=[committee.code]) + f"?term={committee.term.code}"


def _history():
    return list(Review.objects.values_list("state", "return_reason")), ReviewEvent.objects.count()


@pytest.mark.parametrize("step", ["review_return", "review_reopen"])
@pytest.mark.parametrize("length", [REASON_MAX_LENGTH + 1, 1024 * 1024])
def test_a_reason_too_long_is_refused_and_nothing_is_stored(district, commune, step, length):
    before = _history()
    response = district.post(_url(step, commune), {"reason": "x" * length}, follow=True)
    text = response.content.decode()
    assert response.status_code == 200
    assert f"Lý do dài {length} ký tự, quá giới hạn {REASON_MAX_LENGTH} ký tự." in text
    assert "x" * 100 not in text
    assert _history() == before
    assert Review.objects.get(committee=commune).state == ReviewState.SUBMITTED


@pytest.mark.parametrize("step", ["review_return", "review_reopen"])
def test_a_reason_with_nul_is_refused_in_vietnamese(district, commune, step):
    before = _history()
    response = district.post(_url(step, commune), {"reason": "Thiếu\x00 số liệu"}, follow=True)
    text = response.content.decode()
    assert "ký tự NUL" in text
    assert "Null characters" not in text and "\x00" not in text
    assert _history() == before


def test_a_reason_at_the_limit_is_stored(district, commune):
    district.post(_url("review_return", commune), {"reason": "x" * REASON_MAX_LENGTH})
    review = Review.objects.get(committee=commune)
    assert (review.state, len(review.return_reason)) == (ReviewState.DRAFT, REASON_MAX_LENGTH)


def test_an_english_user_reads_the_nul_message_in_english(district, commune, settings):
    district.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = district.post(_url("review_return", commune), {"reason": "a\x00"}, follow=True).content.decode()
    assert "NUL" in text and "ký tự NUL" not in text


def test_an_assessment_note_with_nul_is_refused_naming_the_indicator(client, commune, secretary):
    client.force_login(secretary)
    a = (
        Assessment.objects.filter(indicator__resolution__committee=commune)
        .select_related("indicator")
        .first()
    )
    p = f"i{a.indicator_id}-"
    data = {
        p + "status": "hard",
        p + "value": "",
        p + "note": "Thiếu\x00 vốn",
        p + "version": str(a.version),
        p + "orig": digest(a.status, a.value, a.note),
    }
    response = client.post(_url("assess", commune), data)
    text = response.content.decode()
    assert response.status_code == 400  # the form again, with the input kept
    assert f"Chỉ tiêu {a.indicator.number}: văn bản chứa ký tự không hợp lệ (ký tự NUL)." in text
    assert "Null characters" not in text
    a.refresh_from_db()
    assert "\x00" not in a.note


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("overall", "Đoạn\x00 một"),
        ("lessons", "Bài học\x00 một"),
        ("signer_name", "Hoàng\x00 Văn Minh"),
        ("solutions_socio_economic", "Giải pháp\x00"),
    ],
)
def test_the_review_editor_refuses_nul_in_vietnamese(client, commune, secretary, field, value):
    client.force_login(secretary)
    response = client.post(_url("review_edit", commune), {"version": "0", field: value})
    text = response.content.decode()
    assert response.status_code == 400  # the form again, with the input kept
    assert "ký tự NUL" in text and "Null characters" not in text
    assert not ReviewEvent.objects.exists()


def test_the_review_editor_bounds_a_pasted_list_before_reading_it(client, commune, secretary):
    from reviews.models import MAX_DOCUMENT_CHARS

    client.force_login(secretary)
    pasted = ("x" * 99 + "\n") * (MAX_DOCUMENT_CHARS // 100 + 1)
    response = client.post(_url("review_edit", commune), {"version": "0", "lessons": pasted})
    text = response.content.decode()
    assert response.status_code == 400
    assert f"quá giới hạn {MAX_DOCUMENT_CHARS} ký tự" in text


def test_the_import_form_refuses_a_nul_term_in_vietnamese(client, make_user, term):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_user("staff", is_staff=True))
    upload = SimpleUploadedFile("a.xlsx", b"PK", content_type="application/octet-stream")
    response = client.post("/import/", {"term": "2020\x00-2025", "file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "ký tự NUL" in text and "Null characters" not in text


def test_the_return_reason_textarea_stops_at_the_server_limit(district, commune):
    """The browser stops typing where the server would refuse (ReasonForm's limit)."""
    html = district.get(_url("dashboard", commune)).content.decode()
    assert 'name="reason"' in html
    assert f'name="reason" rows="3" maxlength="{REASON_MAX_LENGTH}" required' in html
