"""The review workflow: every legal step, every illegal one refused with nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators.models import Assessment, AssessmentChange, Status
from reviews.models import Review, ReviewAction, ReviewEvent, ReviewState
from reviews.services import WorkflowError, review_step
from reviews.workflow import TRANSITIONS, review_actions_for
from tests.conftest import fill_document


def review_submit(*, committee, by):
    return review_step(committee=committee, step=ReviewAction.SUBMIT, by=by)


def review_approve(*, committee, by):
    return review_step(committee=committee, step=ReviewAction.APPROVE, by=by)


def review_return(*, committee, by, reason):
    return review_step(committee=committee, step=ReviewAction.RETURN, by=by, reason=reason)


def review_reopen(*, committee, by, reason=""):
    return review_step(committee=committee, step=ReviewAction.REOPEN, by=by, reason=reason)


@pytest.fixture
def commune(tree):
    # Statuses achieved, achieved, hard (with a note): all assessed; the report's heading filled.
    return fill_document(tree["P-D1-C1"])


@pytest.fixture
def secretary(commune, make_user):
    return make_user("bithu", commune, "secretary")


@pytest.fixture
def district(tree, make_user):
    return make_user("vanphong", tree["P-D1"], "viewer")


def state(committee):
    return Review.objects.get(committee=committee).state


def test_full_cycle_submit_return_resubmit_approve_reopen(commune, secretary, district):
    review_submit(committee=commune, by=secretary)
    assert state(commune) == ReviewState.SUBMITTED
    review_return(committee=commune, by=district, reason="Bổ sung số liệu")
    review = Review.objects.get(committee=commune)
    assert (review.state, review.return_reason) == (ReviewState.DRAFT, "Bổ sung số liệu")
    review_submit(committee=commune, by=secretary)
    assert Review.objects.get(committee=commune).return_reason == ""
    review_approve(committee=commune, by=district)
    assert state(commune) == ReviewState.APPROVED
    review_reopen(committee=commune, by=district)
    assert state(commune) == ReviewState.DRAFT
    steps = list(
        ReviewEvent.objects.exclude(action="edit")
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "actor__username")
    )
    assert steps == [
        ("submit", "draft", "submitted", "bithu"),
        ("return", "submitted", "draft", "vanphong"),
        ("submit", "draft", "submitted", "bithu"),
        ("approve", "submitted", "approved", "vanphong"),
        ("reopen", "approved", "draft", "vanphong"),
    ]


def test_reopen_from_submitted_is_allowed_for_the_committee_above(commune, secretary, district):
    review_submit(committee=commune, by=secretary)
    review_reopen(committee=commune, by=district)
    assert state(commune) == ReviewState.DRAFT


def _refused(call, exc=WorkflowError):
    before = (list(Review.objects.values_list("pk", "state", "return_reason")), ReviewEvent.objects.count())
    with pytest.raises(exc):
        call()
    assert (
        list(Review.objects.values_list("pk", "state", "return_reason")),
        ReviewEvent.objects.count(),
    ) == before


def test_submit_requires_every_indicator_assessed(tree, make_user):
    district = tree["P-D2"]  # one indicator not assessed
    sec = make_user("sec", district, "secretary")
    Review.objects.create(committee=district)
    _refused(lambda: review_submit(committee=district, by=sec))
    with pytest.raises(WorkflowError, match="còn 1 chỉ tiêu chưa đánh giá"):
        review_submit(committee=district, by=sec)


def test_thematic_indicators_must_be_assessed_too(commune, secretary, make_indicators):
    make_indicators(commune, [Status.NOT_ASSESSED], number="05-NQ/CĐ", kind="thematic")
    with pytest.raises(WorkflowError):
        review_submit(committee=commune, by=secretary)


def test_committee_without_indicators_cannot_submit(make_committee, make_user):
    empty = make_committee("E")
    sec = make_user("sec", empty, "secretary")
    with pytest.raises(WorkflowError, match="chưa có chỉ tiêu"):
        review_submit(committee=empty, by=sec)


def test_submitting_twice_is_refused(commune, secretary):
    review_submit(committee=commune, by=secretary)
    _refused(lambda: review_submit(committee=commune, by=secretary))


def test_approving_a_draft_or_an_approved_review_is_refused(commune, secretary, district):
    _refused(lambda: review_approve(committee=commune, by=district))
    review_submit(committee=commune, by=secretary)
    review_approve(committee=commune, by=district)
    _refused(lambda: review_approve(committee=commune, by=district))


def test_return_needs_a_reason_and_a_submitted_review(commune, secretary, district):
    _refused(lambda: review_return(committee=commune, by=district, reason="x"))
    review_submit(committee=commune, by=secretary)
    _refused(lambda: review_return(committee=commune, by=district, reason="   "))
    review_approve(committee=commune, by=district)
    _refused(lambda: review_return(committee=commune, by=district, reason="x"))


def test_a_refusal_names_the_state_as_every_page_does(commune, secretary, district):
    """A returned review is "Bị trả lại" in the refusal too, not the stored "Dự thảo"."""
    review_submit(committee=commune, by=secretary)
    review_return(committee=commune, by=district, reason="Thiếu số liệu")
    assert Review.objects.get(committee=commune).progress == "returned"
    with pytest.raises(WorkflowError, match="đang ở trạng thái “Bị trả lại”"):
        review_approve(committee=commune, by=district)


def test_reopening_a_draft_is_refused(commune, district):
    _refused(lambda: review_reopen(committee=commune, by=district))


def test_secretary_cannot_approve_own_committee(commune, secretary):
    review_submit(committee=commune, by=secretary)
    _refused(lambda: review_approve(committee=commune, by=secretary), PermissionDenied)
    _refused(lambda: review_reopen(committee=commune, by=secretary), PermissionDenied)


def test_viewer_cannot_submit_and_province_cannot_approve_a_commune(tree, commune, make_user):
    district_viewer = make_user("dv", tree["P-D1"], "viewer")
    province_viewer = make_user("pv", tree["P"], "viewer")
    _refused(lambda: review_submit(committee=commune, by=district_viewer), PermissionDenied)
    Review.objects.filter(committee=commune).update(state=ReviewState.SUBMITTED)
    _refused(lambda: review_approve(committee=commune, by=province_viewer), PermissionDenied)


def test_nobody_can_approve_the_top_committee_but_a_superuser(tree, make_user):
    top = tree["P"]
    sec = make_user("sec", top, "secretary")
    Review.objects.create(committee=top, state=ReviewState.SUBMITTED)
    _refused(lambda: review_approve(committee=top, by=sec), PermissionDenied)
    admin = make_user("root", is_superuser=True, is_staff=True)
    review_approve(committee=top, by=admin)
    assert state(top) == ReviewState.APPROVED


def test_buttons_offered_match_the_state_and_role(commune, secretary, district):
    review = Review.objects.get(committee=commune)
    assert review_actions_for(secretary, review) == {"assess", "submit"}
    assert review_actions_for(district, review) == set()
    review = review_submit(committee=commune, by=secretary)
    assert review_actions_for(secretary, review) == set()
    assert review_actions_for(district, review) == {"approve", "return"}
    review = review_approve(committee=commune, by=district)
    assert review_actions_for(district, review) == {"reopen"}


# ---- through the views ----------------------------------------------------------------------


def _url(name, committee):
    return reverse(name, args=[committee.code]) + f"?term={committee.term.code}"


def test_views_walk_the_cycle_and_redirect_to_the_dashboard(client, commune, secretary, district):
    client.force_login(secretary)
    response = client.post(_url("review_submit", commune), {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == _url("dashboard", commune)
    assert state(commune) == ReviewState.SUBMITTED
    client.force_login(district)
    client.post(_url("review_return", commune), {"reason": "Thiếu số liệu"})
    assert state(commune) == ReviewState.DRAFT
    client.force_login(secretary)
    client.post(_url("review_submit", commune), {"confirm": "1"})
    client.force_login(district)
    client.post(_url("review_approve", commune))
    assert state(commune) == ReviewState.APPROVED


def test_workflow_views_refuse_get(client, commune, secretary, district):
    client.force_login(district)
    for step in ("review_approve", "review_return", "review_reopen"):
        assert client.get(_url(step, commune)).status_code == 405


def test_sending_asks_for_confirmation_first_and_the_question_changes_nothing(client, commune, secretary):
    """GET, or a POST without confirm=1 (a stale form), shows what sending means; only confirm sends."""
    client.force_login(secretary)
    page = client.get(_url("review_submit", commune))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="confirm" value="1"' in html and "không sửa được" in html
    assert client.post(_url("review_submit", commune)).status_code == 200
    assert state(commune) == ReviewState.DRAFT
    assert not ReviewEvent.objects.filter(action="submit").exists()


def test_forged_approve_by_the_secretary_is_403_and_changes_nothing(client, commune, secretary):
    review_submit(committee=commune, by=secretary)
    client.force_login(secretary)
    assert client.post(_url("review_approve", commune)).status_code == 403
    assert state(commune) == ReviewState.SUBMITTED


def test_illegal_step_through_the_view_shows_a_message(client, commune, secretary):
    review_submit(committee=commune, by=secretary)
    client.force_login(secretary)
    response = client.post(_url("review_submit", commune), {"confirm": "1"}, follow=True)
    assert "Không thể gửi báo cáo" in response.content.decode()
    assert ReviewEvent.objects.exclude(action="edit").count() == 1


def test_return_without_reason_through_the_view_changes_nothing(client, commune, secretary, district):
    review_submit(committee=commune, by=secretary)
    client.force_login(district)
    response = client.post(_url("review_return", commune), {"reason": ""}, follow=True)
    assert "Hãy ghi lý do trả lại báo cáo." in response.content.decode()
    assert state(commune) == ReviewState.SUBMITTED


def _valid_assess_post(committee, changes):
    """Every row of the assessment form as the page shows it, with `changes` {indicator_id: status}."""
    from reviews.forms.assess import digest

    data = {}
    for a in Assessment.objects.filter(indicator__resolution__committee=committee):
        prefix = f"i{a.indicator_id}-"
        status = changes.get(a.indicator_id, a.status)
        data |= {
            prefix + "status": status,
            prefix + "value": a.value,
            prefix + "note": "Lý do" if status != a.status else a.note,
            prefix + "version": str(a.version),
            prefix + "orig": digest(a.status, a.value, a.note),
        }
    return data


def _approved(commune, secretary, district):
    review_submit(committee=commune, by=secretary)
    review_approve(committee=commune, by=district)
    a = Assessment.objects.filter(indicator__resolution__committee=commune, status="achieved").first()
    return a, _valid_assess_post(commune, {a.indicator_id: "hard"})


def _unchanged(a):
    a.refresh_from_db()
    return (a.status, a.version, AssessmentChange.objects.count()) == ("achieved", 0, 0)


def test_the_forged_post_is_a_valid_form_that_saves_on_a_draft(client, commune, secretary):
    """The control for the two tests below: the same post, on a draft, does save."""
    a = Assessment.objects.filter(indicator__resolution__committee=commune, status="achieved").first()
    client.force_login(secretary)
    response = client.post(_url("assess", commune), _valid_assess_post(commune, {a.indicator_id: "hard"}))
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.version) == ("hard", 1)


def test_assessing_an_approved_review_by_forged_post_changes_nothing(client, commune, secretary, district):
    a, data = _approved(commune, secretary, district)
    client.force_login(secretary)
    response = client.post(_url("assess", commune), data, follow=True)
    assert response.redirect_chain == [(_url("assess", commune), 302)]
    assert "không thể sửa" in response.content.decode()
    assert _unchanged(a)


def test_the_service_refuses_even_when_the_page_read_a_draft(
    client, commune, secretary, district, monkeypatch
):
    """The view's early refusal is a courtesy; the lock in review_assess is what holds (a review
    approved between the page's read and the save)."""
    a, data = _approved(commune, secretary, district)
    monkeypatch.setattr(
        "reviews.views.assess.review_of",
        lambda committee, stage="mid": Review(committee=committee, stage=stage),
    )
    client.force_login(secretary)
    response = client.post(_url("assess", commune), data, follow=True)
    assert response.redirect_chain == [(_url("assess", commune), 302)]
    assert "không thể sửa" in response.content.decode()
    assert _unchanged(a)


def test_every_step_has_its_url_and_records_its_own_action(client, commune, secretary, district):
    for step in TRANSITIONS:
        assert reverse(f"review_{step}", args=[commune.code]) == f"/committees/{commune.code}/review/{step}/"
    review_submit(committee=commune, by=secretary)
    event = ReviewEvent.objects.exclude(action="edit").get()
    assert (event.action, event.get_action_display()) == ("submit", "gửi lên cấp trên")


def test_an_edit_is_not_a_workflow_step(commune, secretary):
    with pytest.raises(ValueError):
        review_step(committee=commune, step=ReviewAction.EDIT, by=secretary)
    assert Review.objects.get(committee=commune).state == ReviewState.DRAFT
    assert not ReviewEvent.objects.exclude(action="edit", actor=None).exists()


def test_a_step_records_no_reason_it_does_not_take(commune, secretary):
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary, reason="ignored")
    assert ReviewEvent.objects.get(action="submit").reason == ""
