"""Every review service that takes a user asks the one access rule (indicators.access.authorize)
and refuses work outside its committee; nothing is written when it refuses."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from indicators.access import Refused
from indicators.models import Assessment, AssessmentChange, ChangeSource, Status
from indicators.services.assessments import AssessmentEdit
from reviews.campaign.models import Deadline
from reviews.campaign.services import deadlines_set
from reviews.models import Review, ReviewAction, ReviewEvent
from reviews.services import review_assess, review_document_update, review_step
from tests.conftest import fill_document


@pytest.fixture
def commune(tree):
    return tree["P-D1-C1"]


@pytest.fixture
def people(tree, make_user):
    """Everyone who is not the commune's secretary, by what they are."""
    return {
        "stranger": make_user("stranger"),
        "viewer of the commune": make_user("viewer", tree["P-D1-C1"]),
        "secretary of another commune": make_user("other", tree["P-D1-C2"], "secretary"),
        "secretary of the district above": make_user("district", tree["P-D1"], "secretary"),
    }


def _edit(committee, status=Status.NOT_ACHIEVED):
    a = Assessment.objects.filter(indicator__resolution__committee=committee).order_by("pk").first()
    return AssessmentEdit(assessment_id=a.pk, status=status, note="Thiếu vốn", expected_version=a.version)


WHO = ["stranger", "viewer of the commune", "secretary of another commune", "secretary of the district above"]


@pytest.mark.parametrize("who", WHO)
def test_review_assess_refuses_everyone_but_the_secretary(commune, people, who):
    with pytest.raises(Refused, match="không có quyền đánh giá"):
        review_assess(committee=commune, edits=[_edit(commune)], by=people[who], source=ChangeSource.FORM)
    assert not AssessmentChange.objects.exists()
    assert not Review.objects.filter(committee=commune).exists()


def test_review_assess_refuses_an_edit_of_another_committees_indicator(tree, commune, make_user):
    secretary = make_user("bithu", commune, "secretary")
    other = tree["P-D1-C2"]
    edits = [_edit(commune), _edit(other)]
    with pytest.raises(Refused, match="chính đơn vị Đảng bộ P-D1-C1"):
        review_assess(committee=commune, edits=edits, by=secretary, source=ChangeSource.FORM)
    assert not AssessmentChange.objects.exists()
    # Its own edit alone goes through.
    review_assess(committee=commune, edits=[_edit(commune)], by=secretary, source=ChangeSource.FORM)
    assert AssessmentChange.objects.get().assessment.indicator.resolution.committee == commune


def test_a_refusal_is_a_permission_denied_so_django_answers_403():
    assert issubclass(Refused, PermissionDenied)


def test_staff_change_statuses_only_through_a_set_up_workbook(commune, make_user):
    staff = make_user("vanphong", is_staff=True)
    with pytest.raises(Refused):
        review_assess(committee=commune, edits=[_edit(commune)], by=staff, source=ChangeSource.FORM)
    review_assess(committee=commune, edits=[_edit(commune)], by=staff, source=ChangeSource.IMPORT)
    assert AssessmentChange.objects.get().changed_by == staff


def test_the_site_itself_is_not_refused(commune):
    review_assess(committee=commune, edits=[_edit(commune)], by=None, source=ChangeSource.SYSTEM)
    assert AssessmentChange.objects.count() == 1


@pytest.mark.parametrize("who", WHO)
def test_review_step_refuses_sending_for_everyone_but_the_secretary(commune, people, who):
    fill_document(commune)
    with pytest.raises(Refused):
        review_step(committee=commune, step=ReviewAction.SUBMIT, by=people[who])
    assert not ReviewEvent.objects.filter(action=ReviewAction.SUBMIT).exists()


@pytest.mark.parametrize("who", WHO)
def test_review_document_update_refuses_everyone_but_the_secretary(commune, people, who):
    with pytest.raises(Refused, match="không có quyền sửa báo cáo"):
        review_document_update(
            committee=commune,
            by=people[who],
            expected_version=0,
            fields={"document_number": "9-BC/ĐU"},
            lessons=[],
            solutions=[],
        )
    assert not Review.objects.filter(committee=commune, document_number="9-BC/ĐU").exists()


@pytest.mark.parametrize("who", ["stranger", "secretary of another commune", "viewer of the commune"])
def test_deadlines_set_refuses_anyone_without_a_role_on_the_committee(tree, people, who):
    with pytest.raises(Refused, match="không có quyền đặt hạn"):
        deadlines_set(committee=tree["P-D1"], levels={"commune": date(2023, 5, 30)}, by=people[who])
    assert not Deadline.objects.exists()


def test_deadlines_set_by_the_site_itself_is_not_refused(tree):
    deadlines_set(committee=tree["P-D1"], levels={"commune": date(2023, 5, 30)}, by=None)
    assert Deadline.objects.get().updated_by is None
