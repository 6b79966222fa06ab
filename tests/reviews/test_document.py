"""The review document: who may edit it, when, derived counts, stale saves and escaping."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reviews.forms.review import split_items
from reviews.models import Review, ReviewEvent, ReviewState, SolutionArea
from reviews.selectors import lessons_phrase, review_document, solutions_phrase
from reviews.services import (
    ReviewConflict,
    ReviewLocked,
    SolutionItem,
    review_document_update,
)


@pytest.fixture
def province(make_committee):
    return make_committee("P", name="Đảng bộ tỉnh Bắc Kạn")


@pytest.fixture
def secretary(make_user, province):
    return make_user("bithu", province, role="secretary")


def _url(committee):
    return f"{reverse('review_edit', args=[committee.code])}?term={committee.term.code}"


def _post_data(**overrides):
    data = {
        "version": "0",
        "document_number": "125",
        "place": "Bắc Kạn",
        "document_date": "15/6/2023",
        "signer_title": "Bí thư",
        "signer_name": "Hoàng Văn Minh",
        "recipients": "Ban Bí thư (b/c)\nLưu VP",
        "overall": "Đoạn một.\n\nĐoạn hai.",
        "lessons": "1. Bài học một\n2) Bài học hai\n- Bài học ba\n\n",
        "solutions_socio_economic": "Giải pháp kinh tế",
        "solutions_party_building": "Giải pháp xây dựng Đảng\nGiải pháp thứ hai",
    }
    data.update(overrides)
    return data


def test_secretary_saves_document_lists_in_order_and_history(secretary, province):
    review = review_document_update(
        committee=province,
        by=secretary,
        expected_version=0,
        fields={"overall": "Tổng quan", "document_number": "125-BC/TU"},
        lessons=["Một", "Hai"],
        solutions=[SolutionItem(SolutionArea.PARTY_BUILDING, "Xây dựng Đảng")],
    )
    assert review.version == 1
    document = review_document(committee=province)
    assert document.review.overall == "Tổng quan"
    assert [(x.position, x.text) for x in document.lessons] == [(1, "Một"), (2, "Hai")]
    assert [(x.area, x.text) for x in document.solutions] == [("party_building", "Xây dựng Đảng")]
    event = ReviewEvent.objects.get(review=review)
    assert (event.action, event.actor, event.to_state) == ("edit", secretary, "draft")


def test_viewer_may_not_edit_document(make_user, province):
    viewer = make_user("xem", province, role="viewer")
    with pytest.raises(PermissionDenied):
        review_document_update(
            committee=province, by=viewer, expected_version=0, fields={}, lessons=[], solutions=[]
        )


def test_submitted_review_is_locked(secretary, province):
    review = Review.objects.create(committee=province)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.SUBMITTED)
    with pytest.raises(ReviewLocked):
        review_document_update(
            committee=province,
            by=secretary,
            expected_version=0,
            fields={"overall": "x"},
            lessons=[],
            solutions=[],
        )
    assert Review.objects.get(pk=review.pk).overall == ""


def test_stale_version_is_refused(secretary, province):
    kwargs = {
        "committee": province,
        "by": secretary,
        "fields": {"overall": "a"},
        "lessons": [],
        "solutions": [],
    }
    review_document_update(expected_version=0, **kwargs)
    with pytest.raises(ReviewConflict):
        review_document_update(expected_version=0, **{**kwargs, "fields": {"overall": "b"}})
    assert Review.objects.get(committee=province).overall == "a"


def test_pasted_numbering_is_dropped_from_list_items():
    assert split_items("1. Một\n 2) Hai\n\n- Ba\n• Bốn\na) Năm\n2023 là năm") == [
        "Một",
        "Hai",
        "Ba",
        "Bốn",
        "Năm",
        "2023 là năm",
    ]


def test_counts_are_derived_from_lists():
    assert lessons_phrase(6) == "6 bài học kinh nghiệm"
    assert solutions_phrase(5) == "5 nhóm giải pháp"


def test_editor_post_saves_and_shows_derived_counts(client, secretary, province):
    client.force_login(secretary)
    response = client.post(_url(province), _post_data())
    assert response.status_code == 302
    document = review_document(committee=province)
    assert [x.text for x in document.lessons] == ["Bài học một", "Bài học hai", "Bài học ba"]
    assert [x.area for x in document.solutions] == ["socio_economic", "party_building", "party_building"]
    assert str(document.review.document_date) == "2023-06-15"
    page = client.get(_url(province)).content.decode()
    assert "3 bài học kinh nghiệm" in page and "3 nhóm giải pháp" in page


def test_editor_keeps_input_on_stale_save(client, secretary, province):
    client.force_login(secretary)
    client.post(_url(province), _post_data(overall="Bản của người khác"))
    response = client.post(_url(province), _post_data(overall="Bản của tôi, chưa lưu"))
    assert response.status_code == 409
    assert "Bản của tôi, chưa lưu" in response.content.decode()
    assert "người khác sửa" in response.content.decode()
    assert Review.objects.get(committee=province).overall == "Bản của người khác"


def test_editor_rejects_bad_date_without_losing_text(client, secretary, province):
    client.force_login(secretary)
    response = client.post(_url(province), _post_data(document_date="31/2/2023", overall="Giữ lại"))
    assert response.status_code == 400
    assert "Giữ lại" in response.content.decode()
    assert 'aria-describedby="id_document_date_helptext id_document_date_error"' in response.content.decode()


def test_viewer_sees_read_only_document_and_cannot_post(client, make_user, province):
    viewer = make_user("xem", province, role="viewer")
    client.force_login(viewer)
    page = client.get(_url(province))
    assert page.status_code == 200
    assert b"<textarea" not in page.content
    assert client.post(_url(province), _post_data()).status_code == 403


def test_submitted_review_editor_is_read_only(client, secretary, province):
    review = Review.objects.create(committee=province)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.SUBMITTED)
    client.force_login(secretary)
    assert b"<textarea" not in client.get(_url(province)).content
    response = client.post(_url(province), _post_data(overall="muộn"))
    assert response.status_code == 409
    assert Review.objects.get(pk=review.pk).overall == ""


def test_html_in_user_text_is_escaped(client, secretary, province):
    client.force_login(secretary)
    client.post(_url(province), _post_data(overall="<script>alert(1)</script>", lessons="<b>đậm</b>"))
    review = Review.objects.get(committee=province)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.SUBMITTED)
    page = client.get(_url(province)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>đậm</b>" not in page and "&lt;b&gt;đậm&lt;/b&gt;" in page


def test_opening_the_editor_of_a_new_review_writes_nothing(client, secretary, province):
    """A GET shows an empty draft; the Review row comes with the first save (review_of's promise)."""
    client.force_login(secretary)
    response = client.get(_url(province))
    assert response.status_code == 200
    assert response.context["document"].review.pk is None
    assert response.context["form"].initial["version"] == 0
    assert not Review.objects.exists() and not ReviewEvent.objects.exists()
    response = client.post(_url(province), _post_data())
    assert response.status_code == 302
    assert Review.objects.get(committee=province).version == 1
