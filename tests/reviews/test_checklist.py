"""What a review misses before it may be sent: one selector, shown on the card, enforced on sending;
sending never drops what the user typed and is confirmed first."""

from datetime import date

import pytest
from django.urls import reverse

from indicators.models import Assessment, Status
from indicators.results import Results
from indicators.services.assessments import AssessmentEdit, assessments_update
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from reviews.models import Review, ReviewAction, ReviewEvent, ReviewState
from reviews.selectors import review_checklist, review_of
from reviews.services import WorkflowError, review_document_seed, review_step
from tests.conftest import assess_one, fill_document
from tests.reviews.test_assess import form_data

from .dashboard_data import build_tree

TERM = "?term=2020-2025"


@pytest.fixture
def commune(tree):
    return tree["P-D1-C1"]  # achieved, achieved, hard with a note


@pytest.fixture
def secretary(commune, make_user):
    return make_user("bithu", commune, "secretary")


def _codes(committee):
    return [m.code for m in review_checklist(committee=committee, review=review_of(committee=committee))]


NARRATIVE = [
    "overall",
    "shortcomings",
    "causes_objective",
    "causes_subjective",
    "tasks",
    "lessons",
    "solutions",
]


def test_a_review_without_its_heading_misses_number_date_and_signer(commune):
    assert _codes(commune) == ["document_number", "document_date", "signer_name", *NARRATIVE]
    fill_document(commune)
    assert _codes(commune) == []


def test_an_empty_narrative_is_not_a_report_each_part_its_own_item(commune, secretary):
    """Cao Kỳ's case: heading filled, no lesson, no solution group, every section empty."""
    review_document_seed(
        committee=commune,
        fields={
            "document_number": "3-BC/ĐU",
            "signer_name": "A",
            "document_date": date(2023, 6, 1),
            "tasks": "  ",
        },
        lessons=[],
        solutions=[],
    )
    items = review_checklist(committee=commune, review=review_of(committee=commune))
    assert [m.code for m in items] == NARRATIVE
    assert items[0].message == "phần “đánh giá chung kết quả thực hiện” còn trống"
    assert [m.message for m in items[-2:]] == [
        "chưa có bài học kinh nghiệm nào",
        "chưa có nhóm giải pháp nào",
    ]
    editor = reverse("review_edit", args=["P-D1-C1"]) + TERM
    assert (
        items[-2].url(commune) == f"{editor}#id_lessons" and items[-1].url(commune) == f"{editor}#solutions"
    )
    with pytest.raises(WorkflowError, match="chưa có bài học kinh nghiệm nào"):  # the service refuses it too
        review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)


@pytest.mark.parametrize("has", ["lesson", "solution"])
def test_a_lesson_without_a_solution_group_misses_only_the_group_and_the_other_way_round(commune, has):
    from reviews.services import SolutionItem

    review_document_seed(
        committee=commune,
        fields={"tasks": "Nhiệm vụ."},
        lessons=["Bám sát cơ sở."] if has == "lesson" else [],
        solutions=[SolutionItem(area="socio_economic", text="Phát triển kinh tế.")]
        if has == "solution"
        else [],
    )
    codes = _codes(commune)
    assert ("solutions" in codes, "lessons" in codes) == ((True, False) if has == "lesson" else (False, True))


def test_not_assessed_and_unexplained_trouble_are_listed_with_where_to_fix_them(tree):
    district = fill_document(tree["P-D2"])  # achieved, not assessed
    hard = Assessment.objects.get(indicator__resolution__committee=district, status=Status.ACHIEVED)
    # An import may leave a "hard" without a note; the form never does.
    assess_one(assessment=hard, status=Status.HARD, note="")
    items = review_checklist(committee=district, review=review_of(committee=district))
    assert [m.code for m in items] == ["not_assessed", "no_note"]
    assert items[0].message == "còn 1 chỉ tiêu chưa đánh giá"
    assert items[1].message == "chỉ tiêu 1 (Nghị quyết 01-NQ/ĐH) đánh giá “Khó đạt” chưa có ghi chú lý do"
    assess = reverse("assess", args=["P-D2"]) + TERM
    not_assessed = Assessment.objects.get(
        indicator__resolution__committee=district, status=Status.NOT_ASSESSED
    )
    assert items[0].url(district) == f"{assess}#row-{not_assessed.indicator_id}"
    assert items[1].url(district) == f"{assess}#row-{hard.indicator_id}"


def test_a_status_the_numbers_do_not_support_is_listed_until_it_has_a_note(make_committee, make_user):
    """indicators.notes at sending: the disagreement the form and the import refuse is listed too
    (a target changed by the office can make a saved judgement disagree with its numbers)."""
    commune = fill_document(make_committee("X"))
    resolution = resolution_create(committee=commune, number="01-NQ/ĐH")
    # 100 wanted, 50 forecast: the numbers suggest "not achieved"; the committee says "achieved".
    indicator = indicator_create(
        resolution=resolution,
        number="1",
        text="Trồng rừng",
        target="100",
        status=Status.ACHIEVED,
        results=Results(forecast="50"),
    )
    items = review_checklist(committee=commune, review=review_of(committee=commune))
    assert [(m.code, m.message, m.anchor) for m in items] == [
        (
            "no_note_disagreement",
            "chỉ tiêu 1 (Nghị quyết 01-NQ/ĐH) đánh giá “Đạt và vượt”, khác gợi ý “Không đạt” của số liệu, "
            "chưa có ghi chú lý do",
            f"row-{indicator.pk}",
        )
    ]
    with pytest.raises(WorkflowError, match="khác gợi ý “Không đạt”"):
        review_step(
            committee=commune, step=ReviewAction.SUBMIT, by=make_user("bithu-x", commune, "secretary")
        )
    edit = AssessmentEdit(
        assessment_id=indicator.assessment.pk, status=Status.ACHIEVED, note="Quý IV trồng bù"
    )
    assessments_update(edits=[edit])
    assert review_checklist(committee=commune, review=review_of(committee=commune)) == []


def test_more_than_five_missing_notes_are_counted_after_the_first_five(make_committee, make_indicators):
    commune = fill_document(make_committee("X"))
    indicators = make_indicators(commune, [Status.HARD] * 7)
    assessments_update(
        edits=[AssessmentEdit(assessment_id=i.assessment.pk, status=Status.HARD, note="") for i in indicators]
    )
    items = review_checklist(committee=commune, review=review_of(committee=commune))
    assert [m.code for m in items] == ["no_note"] * 6
    assert items[-1].message == "và 2 chỉ tiêu khác chưa có ghi chú lý do"
    assert items[-1].anchor == f"row-{indicators[5].pk}"


def test_an_empty_field_links_to_its_box_in_the_report_editor(commune):
    fill_document(commune)
    Review.objects.filter(committee=commune).update(document_date=None)
    (item,) = review_checklist(committee=commune, review=review_of(committee=commune))
    assert item.message == "chưa có ngày văn bản"
    assert item.url(commune) == reverse("review_edit", args=["P-D1-C1"]) + TERM + "#id_document_date"


@pytest.mark.parametrize("indicators", [4, 40])
def test_the_checklist_is_one_query_whatever_the_number_of_indicators(
    term, indicators, django_assert_num_queries
):
    root = build_tree(term, code="S", districts=1, communes=1, indicators=indicators)
    review = review_of(committee=root)
    with django_assert_num_queries(1):  # a review never saved has no lists to look for
        review_checklist(committee=root, review=review)
    fill_document(root)
    review = review_of(committee=root)
    with django_assert_num_queries(2):  # and one for whether it has a lesson and a solution group
        assert "lessons" not in [m.code for m in review_checklist(committee=root, review=review)]


def test_sending_a_review_with_an_empty_document_date_is_refused_naming_the_field(commune, secretary):
    review_document_seed(
        committee=commune,
        fields={"document_number": "3-BC/ĐU", "signer_name": "Đinh Anh Trường"},
        lessons=[],
        solutions=[],
    )
    with pytest.raises(WorkflowError, match="chưa có ngày văn bản"):
        review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    assert Review.objects.get(committee=commune).state == ReviewState.DRAFT
    assert not ReviewEvent.objects.filter(action="submit").exists()


# ---- the card on the dashboard ----------------------------------------------------------------


def test_the_card_offers_the_editor_and_lists_what_is_missing_with_links(client, commune, secretary):
    client.force_login(secretary)
    html = client.get(reverse("dashboard", args=["P-D1-C1"]) + TERM).content.decode()
    card = html.split('class="workflow-panel', 1)[1].split("</section>", 1)[0]
    editor = reverse("review_edit", args=["P-D1-C1"]) + TERM
    assert f'href="{editor}">Soạn báo cáo</a>' in card
    assert f'href="{editor}#id_document_date">Chưa có ngày văn bản</a>' in card
    # Nothing to send from while the list is not empty.
    assert reverse("review_submit", args=["P-D1-C1"]) not in card


def test_a_complete_review_offers_sending_through_the_confirmation_page(client, commune, secretary):
    fill_document(commune)
    client.force_login(secretary)
    html = client.get(reverse("dashboard", args=["P-D1-C1"]) + TERM).content.decode()
    card = html.split('class="workflow-panel', 1)[1].split("</section>", 1)[0]
    assert f'<a class="button primary" href="{reverse("review_submit", args=["P-D1-C1"])}{TERM}">' in card
    assert 'method="post" action="/committees/P-D1-C1/review/submit/' not in card


def test_the_committee_above_reads_the_report_but_gets_no_checklist(client, tree, commune, make_user):
    client.force_login(make_user("vanphong", tree["P-D1"], "viewer"))
    html = client.get(reverse("dashboard", args=["P-D1-C1"]) + TERM).content.decode()
    card = html.split('class="workflow-panel', 1)[1].split("</section>", 1)[0]
    assert ">Xem báo cáo</a>" in card and "Soạn báo cáo" not in card
    assert "review-checklist" not in card


# ---- sending from the assessment page ---------------------------------------------------------


def test_sending_from_the_assessment_page_saves_first_then_asks(client, commune, secretary):
    fill_document(commune)
    client.force_login(secretary)
    url = reverse("assess", args=["P-D1-C1"]) + TERM
    data = form_data(commune, {"2": {"status": "not_achieved", "note": "Thiếu vốn"}})
    response = client.post(url, {**data, "then": "submit"})
    assert response.status_code == 302
    assert response["Location"] == reverse("review_submit", args=["P-D1-C1"]) + TERM
    changed = Assessment.objects.get(indicator__resolution__committee=commune, indicator__number="2")
    assert (changed.status, changed.note) == ("not_achieved", "Thiếu vốn")  # the edit was kept
    assert Review.objects.get(committee=commune).state == ReviewState.DRAFT  # not sent yet: confirm first


def test_a_failed_save_sends_nothing_and_keeps_the_input(client, commune, secretary):
    fill_document(commune)
    client.force_login(secretary)
    url = reverse("assess", args=["P-D1-C1"]) + TERM
    data = form_data(commune, {"2": {"status": "not_achieved", "note": "", "value": "41"}})
    response = client.post(url, {**data, "then": "submit"})
    assert response.status_code == 400
    assert 'value="41"' in response.content.decode()
    assert Review.objects.get(committee=commune).state == ReviewState.DRAFT


def test_the_assessment_page_has_no_send_button_outside_its_form(client, commune, secretary):
    fill_document(commune)
    client.force_login(secretary)
    html = client.get(reverse("assess", args=["P-D1-C1"]) + TERM).content.decode()
    form = html.split('class="assess-form"', 1)[1].split("</form>", 1)[0]
    outside = html.replace(form, "")
    assert 'name="then" value="submit"' in form
    assert "review/submit/" not in outside
    assert "data-unsaved-warning" in html and "js/site.js" in html


def test_the_confirmation_page_lists_what_is_missing_and_offers_no_button(client, commune, secretary):
    client.force_login(secretary)
    html = client.get(reverse("review_submit", args=["P-D1-C1"]) + TERM).content.decode()
    assert "Chưa có ngày văn bản" in html
    assert 'name="confirm"' not in html


@pytest.mark.django_db
def test_a_review_with_a_date_sends_after_confirmation(client, commune, secretary):
    fill_document(commune)
    client.force_login(secretary)
    url = reverse("review_submit", args=["P-D1-C1"]) + TERM
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert Review.objects.get(committee=commune).document_date == date(2023, 6, 1)
    assert Review.objects.get(committee=commune).state == ReviewState.SUBMITTED


def test_cannot_yet_be_assessed_without_a_note_is_listed_like_hard(tree):
    district = fill_document(tree["P-D2"])  # achieved, not assessed
    achieved = Assessment.objects.get(indicator__resolution__committee=district, status=Status.ACHIEVED)
    assess_one(assessment=achieved, status=Status.NOT_ASSESSABLE, note="")
    items = review_checklist(committee=district, review=review_of(committee=district))
    assert [m.code for m in items] == ["not_assessed", "no_note"]
    assert items[1].message == (
        "chỉ tiêu 1 (Nghị quyết 01-NQ/ĐH) đánh giá “Chưa thể đánh giá” chưa có ghi chú lý do"
    )


def test_the_rows_the_assessment_page_read_give_the_same_checklist_without_a_query(
    make_committee, make_indicators, django_assert_num_queries
):
    """The assessment page's panel judges the indicators it has read (committee_indicators): the
    same items, in the same order and with the same anchors, as the checklist's own read, parts
    left out as there, over two resolutions."""
    from indicators.selectors import committee_indicators

    commune = make_committee("X")
    own = make_indicators(commune, [Status.NOT_ASSESSED, Status.HARD, Status.ACHIEVED] * 3)
    make_indicators(commune, [Status.NOT_ACHIEVED, Status.NOT_ASSESSED], number="02-NQ/CĐ", kind="thematic")
    indicator_create(resolution=own[1].resolution, number="2.1", text="Phần", target="5", group=own[1])
    assessments_update(
        edits=[AssessmentEdit(assessment_id=i.assessment.pk, status=Status.HARD, note="") for i in own[3:]]
    )
    review = review_of(committee=commune)
    read = committee_indicators(committee=commune)
    expected = [(m.code, m.message, m.anchor) for m in review_checklist(committee=commune, review=review)]
    assert [code for code, _message, _anchor in expected][:2] == ["not_assessed", "no_note"]
    with django_assert_num_queries(0):  # a review never saved: nothing left to read
        items = review_checklist(committee=commune, review=review, indicators=read)
    assert [(m.code, m.message, m.anchor) for m in items] == expected
