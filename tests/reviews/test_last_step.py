"""reviews.selectors.review_last_step: the workflow panel's "Đã gửi … bởi … lúc …", read in one
hand-written query with its actor's name and position, as select_related would load them."""

import pytest

from indicators.people import person_label
from indicators.services.people import person_update
from reviews.models import Review, ReviewAction, ReviewEvent
from reviews.selectors import review_last_step
from reviews.services import review_step
from tests.conftest import fill_document


@pytest.fixture
def commune(tree):
    return fill_document(tree["P-D1-C1"])


@pytest.fixture
def secretary(commune, make_user):
    user = make_user("bithu", commune, "secretary")
    return person_update(user=user, last_name="Lê Thị", first_name="Hoa", position="Bí thư Đảng ủy xã")


@pytest.fixture
def district(tree, make_user):
    return make_user("vanphong", tree["P-D1"], "viewer")  # no name, no position: the username shows


def _review(commune):
    return Review.objects.get(committee=commune)


def test_a_new_review_has_no_step_and_asks_nothing(commune, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert review_last_step(review=Review(committee=commune)) is None


def test_the_latest_step_with_its_actor_named_and_placed_in_one_query(
    commune, secretary, district, django_assert_num_queries
):
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    review_step(committee=commune, step=ReviewAction.RETURN, by=district, reason="Thiếu số liệu")
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    stored = ReviewEvent.objects.filter(review=_review(commune)).order_by("-at", "-pk").first()
    review = _review(commune)
    with django_assert_num_queries(1):
        step = review_last_step(review=review)
        label = person_label(step.actor)
    assert (step.pk, step.action, step.at, step.reason) == (stored.pk, "submit", stored.at, "")
    assert step.at.tzinfo is not None
    assert label == "Lê Thị Hoa (Bí thư Đảng ủy xã)"
    assert step.review is review


def test_an_actor_without_a_profile_is_named_without_a_query(
    commune, secretary, district, django_assert_num_queries
):
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    review_step(committee=commune, step=ReviewAction.RETURN, by=district, reason="Thiếu số liệu")
    review = _review(commune)
    with django_assert_num_queries(1):
        step = review_last_step(review=review)
        assert person_label(step.actor) == "vanphong"
    assert (step.action, step.reason) == ("return", "Thiếu số liệu")


def test_document_edits_are_not_steps_and_a_deleted_actor_is_nobody(commune, secretary, make_user):
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    submitted = review_last_step(review=_review(commune))
    later = ReviewEvent.objects.create(
        review=_review(commune),
        actor=secretary,
        at=submitted.at.replace(year=submitted.at.year + 1),
        action=ReviewAction.EDIT,
        from_state="submitted",
        to_state="submitted",
    )
    assert later.at > submitted.at
    assert review_last_step(review=_review(commune)).pk == submitted.pk
    secretary.delete()
    step = review_last_step(review=_review(commune))
    assert step.pk == submitted.pk and step.actor is None and step.actor_id is None
