"""The admin: list pages in constant queries; writes through it keep the counters exact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Committee, Indicator, IndicatorChange, Resolution, ResolutionChange
from indicators.results import Results
from indicators.selectors import counters_drift
from indicators.services.assessments import AssessmentEdit, assessments_update
from indicators.tally import Tally
from tests.conftest import assess_one


@pytest.fixture
def admin_client_(client, make_user):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    return client


LISTS = [
    "admin:indicators_term_changelist",
    "admin:indicators_committee_changelist",
    "admin:indicators_resolution_changelist",
    "admin:indicators_indicator_changelist",
    "admin:indicators_role_changelist",
    "admin:indicators_assessmentchange_changelist",
    "admin:indicators_rolechange_changelist",
    "admin:indicators_committeechange_changelist",
    "admin:indicators_resolutionchange_changelist",
    "admin:indicators_indicatorchange_changelist",
    "admin:reviews_review_changelist",
    "admin:reviews_reviewevent_changelist",
]


def _grow(make_committee, make_indicators, make_user, prefix, n):
    """n more communes, each with a resolution, a role, a change and a workflow step."""
    from indicators.models import Assessment
    from indicators.services.committees import committee_update
    from indicators.services.people import role_grant
    from reviews.models import Review
    from reviews.services import review_record_event
    from tests.conftest import assess_one

    top = Committee.objects.get(code="P")
    for i in range(n):
        c = make_committee(f"{prefix}{i}", top)
        (ind,) = make_indicators(c, ["not_assessed"])
        user = make_user(f"{prefix}u{i}")
        role_grant(username=user.username, committee=c, role="secretary")
        committee_update(committee=c, name=f"Xã {prefix}{i}", level="commune", parent=top)
        assess_one(assessment=Assessment.objects.get(indicator=ind), status="achieved", by=user)
        review_record_event(
            review=Review.objects.create(committee=c), actor=user, action="submit", from_state="draft"
        )


@pytest.mark.parametrize("name", LISTS)
def test_admin_list_queries_do_not_grow_with_rows(
    admin_client_, tree, make_committee, make_indicators, make_user, name
):
    _grow(make_committee, make_indicators, make_user, "a", 2)
    with CaptureQueriesContext(connection) as few:
        assert admin_client_.get(reverse(name)).status_code == 200
    _grow(make_committee, make_indicators, make_user, "b", 8)
    with CaptureQueriesContext(connection) as many:
        assert admin_client_.get(reverse(name)).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_committee_list_shows_the_tree_indented_and_searches_by_code(admin_client_, tree):
    page = admin_client_.get(reverse("admin:indicators_committee_changelist"), {"q": "P-D1"}).content.decode()
    assert "tree-depth-3" in page and "P-D1-C2" in page and "P-D2-C1" not in page


def _inline_post(resolution, rows, extra_new=()):
    data = {
        "committee": resolution.committee_id,
        "number": resolution.number,
        "kind": resolution.kind,
        "date": "",
        "title": resolution.title,
        "indicators-INITIAL_FORMS": len(rows),
        "indicators-MIN_NUM_FORMS": 0,
        "indicators-MAX_NUM_FORMS": 1000,
    }
    forms = [(ind, False) for ind in rows] + [(None, True) for _ in extra_new]
    data["indicators-TOTAL_FORMS"] = len(forms)
    for i, (ind, _new) in enumerate(forms):
        p = f"indicators-{i}-"
        if ind is not None:
            data.update(
                {
                    p + "id": ind.pk,
                    p + "resolution": resolution.pk,
                    p + "number": ind.number,
                    p + "text": ind.text,
                    p + "field": ind.field,
                    p + "unit": ind.unit,
                    p + "target": ind.target,
                    p + "measure": ind.measure,
                    p + "direction": ind.direction,
                }
            )
        else:
            new = extra_new[i - len(rows)]
            data.update(
                {
                    p + "resolution": resolution.pk,
                    p + "text": "Chỉ tiêu mới",
                    p + "field": "economy",
                    p + "unit": "%",
                    p + "target": "10",
                    p + "measure": "level",
                    p + "direction": "up",
                    **{p + k: v for k, v in new.items()},
                }
            )
    return data  # fmt: skip


def test_adding_and_deleting_indicators_in_admin_keeps_counters_exact(admin_client_, tree, term):
    commune = tree["P-D1-C1"]
    resolution = Resolution.objects.get(committee=commune)
    rows = list(resolution.indicators.order_by("sort_key"))
    url = reverse("admin:indicators_resolution_change", args=[resolution.pk])
    response = admin_client_.post(url, _inline_post(resolution, rows, extra_new=[{"number": "4"}]))
    assert response.status_code == 302, response.content.decode()[:3000]
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=2, hard=1, not_assessed=1)
    data = _inline_post(resolution, rows)
    data["indicators-2-DELETE"] = "on"  # the "hard" one
    assert admin_client_.post(url, data).status_code == 302
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=2, not_assessed=1)
    assert Indicator.objects.of_committee(commune).count() == 3
    assert counters_drift(term=term) == []


def test_changing_resolution_kind_in_admin_recounts(admin_client_, tree, term):
    commune = tree["P-D1-C1"]
    resolution = Resolution.objects.get(committee=commune)
    data = _inline_post(resolution, list(resolution.indicators.order_by("sort_key")))
    data["kind"] = "thematic"
    url = reverse("admin:indicators_resolution_change", args=[resolution.pk])
    assert admin_client_.post(url, data).status_code == 302
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally()
    change = ResolutionChange.objects.get(resolution=resolution, action="changed")
    assert (change.changed_by.username, change.old, change.new) == (
        "root",
        {"kind": "congress"},
        {"kind": "thematic"},
    )
    assert counters_drift(term=term) == []


def test_deleting_a_resolution_in_admin_recounts_and_keeps_its_history(client, make_user, tree, term):
    """Staff allowed to delete resolutions and their indicators, and nothing on history, delete one through
    resolution_delete: every history row stays, with its copy, and the "deleted" rows are written."""
    from django.contrib.auth.models import Permission

    from indicators.models import Assessment, AssessmentChange
    from tests.conftest import assess_one

    staff = make_user("office", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_resolution", "delete_resolution", "view_indicator", "delete_indicator"]
        )
    )
    client.force_login(staff)
    commune = tree["P-D1-C1"]
    resolution = Resolution.objects.get(committee=commune)
    assessment = Assessment.objects.filter(indicator__resolution=resolution).first()
    assess_one(assessment=assessment, status="hard", note="n")
    assessment_history = set(
        AssessmentChange.objects.filter(assessment=assessment).values_list("pk", flat=True)
    )
    n_indicators = resolution.indicators.count()
    url = reverse("admin:indicators_resolution_delete", args=[resolution.pk])
    page = client.get(url)
    assert page.status_code == 200 and "lịch sử" not in page.content.decode().lower()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Resolution.objects.filter(pk=resolution.pk).exists()
    kept = AssessmentChange.objects.filter(pk__in=assessment_history)
    assert len(assessment_history) == 1 and {(c.assessment_id, c.committee_code) for c in kept} == {
        (None, "P-D1-C1")
    }
    deleted = ResolutionChange.objects.get(action="deleted", committee_code="P-D1-C1")
    assert (deleted.resolution, deleted.subject, deleted.changed_by, deleted.new) == (
        None,
        "01-NQ/ĐH",
        staff,
        None,
    )
    assert deleted.old["number"] == "01-NQ/ĐH"
    assert IndicatorChange.objects.filter(action="deleted", committee_code="P-D1-C1").count() == n_indicators
    assert ResolutionChange.objects.filter(committee_code="P-D1-C1", resolution=None).count() == 2
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally()
    assert counters_drift(term=term) == []


@pytest.mark.parametrize("model", ["assessmentchange", "resolutionchange", "indicatorchange"])
def test_history_pages_read_rows_whose_object_is_gone(admin_client_, tree, model):
    from django.apps import apps

    from indicators.models import Assessment
    from indicators.services.resolutions import resolution_delete

    resolution = Resolution.objects.get(committee=tree["P-D1-C1"])
    assessment = Assessment.objects.filter(indicator__resolution=resolution).order_by("pk").first()
    assess_one(assessment=assessment, status="hard", note="Khó")
    resolution_delete(resolution=resolution)
    page = admin_client_.get(reverse(f"admin:indicators_{model}_changelist"), {"q": "P-D1-C1"})
    text = page.content.decode()
    assert page.status_code == 200 and "01-NQ/ĐH" in text and "P-D1-C1" in text
    if model != "resolutionchange":
        assert "Chỉ tiêu 1" in text
    gone = {
        "assessmentchange": "assessment",
        "resolutionchange": "resolution",
        "indicatorchange": "indicator",
    }
    row = apps.get_model("indicators", model).objects.filter(**{gone[model]: None}).first()
    assert row is not None
    assert admin_client_.get(reverse(f"admin:indicators_{model}_change", args=[row.pk])).status_code == 200


def test_adding_a_committee_in_admin_sets_its_path(admin_client_, tree, term):
    parent = tree["P-D1"]
    response = admin_client_.post(
        reverse("admin:indicators_committee_add"),
        {"term": term.pk, "code": "P-D1-C3", "name": "Xã mới", "level": "commune", "parent": parent.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Committee.objects.get(code="P-D1-C3")
    assert new.path.startswith(parent.path) and new.depth == 3


def test_history_is_read_only_in_admin(admin_client_, tree):
    from indicators.models import Assessment, AssessmentChange
    from tests.conftest import assess_one

    a = Assessment.objects.filter(indicator__resolution__committee=tree["P-D1-C1"]).first()
    assess_one(assessment=a, status="not_achieved", note="Lý do")
    change = AssessmentChange.objects.filter(assessment=a).latest("pk")
    assert admin_client_.get(reverse("admin:indicators_assessmentchange_add")).status_code == 403
    # The change page shows the row (view permission) but saves nothing; deleting is refused.
    url = reverse("admin:indicators_assessmentchange_change", args=[change.pk])
    page = admin_client_.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client_.post(url, {"new_status": "achieved", "new_note": "sửa"}).status_code == 403
    delete = reverse("admin:indicators_assessmentchange_delete", args=[change.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    assert list(AssessmentChange.objects.filter(pk=change.pk).values_list("new_status", "new_note")) == [
        ("not_achieved", "Lý do")
    ]


@pytest.mark.parametrize("model", ["resolutionchange", "indicatorchange"])
def test_content_history_is_read_only_in_admin(admin_client_, tree, model):
    change = {"resolutionchange": ResolutionChange, "indicatorchange": IndicatorChange}[model].objects.first()
    assert admin_client_.get(reverse(f"admin:indicators_{model}_add")).status_code == 403
    url = reverse(f"admin:indicators_{model}_change", args=[change.pk])
    assert admin_client_.post(url, {"action": "changed"}).status_code == 403
    delete = reverse(f"admin:indicators_{model}_delete", args=[change.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403


def test_a_review_is_read_only_in_admin(admin_client_, tree):
    """Its text changes through the editor's service (version, event), never through an admin form."""
    from reviews.models import Review, ReviewEvent

    review = Review.objects.create(committee=tree["P-D1-C1"], state="approved", overall="Đã duyệt")
    url = reverse("admin:reviews_review_change", args=[review.pk])
    page = admin_client_.get(url)
    assert page.status_code == 200 and "Đã duyệt" in page.content.decode()
    assert 'name="overall"' not in page.content.decode()
    assert admin_client_.post(url, {"overall": "Sửa lén", "place": "x"}).status_code == 403
    assert (
        admin_client_.post(
            reverse("admin:reviews_review_delete", args=[review.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    review.refresh_from_db()
    assert (review.overall, review.version, ReviewEvent.objects.count()) == ("Đã duyệt", 0, 0)


def test_roles_are_granted_and_revoked_in_admin_with_history(admin_client_, tree, make_user):
    from indicators.models import Role, RoleChange

    user = make_user("moi")
    commune = tree["P-D1-C1"]
    response = admin_client_.post(
        reverse("admin:indicators_role_add"), {"user": user.pk, "committee": commune.pk, "role": "secretary"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = Role.objects.get(user=user)
    change_url = reverse("admin:indicators_role_change", args=[role.pk])
    assert (
        admin_client_.post(
            change_url, {"user": user.pk, "committee": commune.pk, "role": "viewer"}
        ).status_code
        == 403
    )
    assert Role.objects.get(pk=role.pk).role == "secretary"
    delete_url = reverse("admin:indicators_role_delete", args=[role.pk])
    assert admin_client_.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Role.objects.filter(user=user).exists()
    history = list(
        RoleChange.objects.order_by("pk").values_list(
            "action", "username", "role", "committee__code", "changed_by__username"
        )
    )
    assert history == [
        ("granted", "moi", "secretary", "P-D1-C1", "root"),
        ("revoked", "moi", "secretary", "P-D1-C1", "root"),
    ]


def test_moving_a_committee_in_admin_moves_its_subtree_and_records_it(admin_client_, tree, term):
    from indicators.models import CommitteeChange

    district, new_parent = tree["P-D1"], tree["P-D2"]
    commune = tree["P-D1-C1"]
    response = admin_client_.post(
        reverse("admin:indicators_committee_change", args=[commune.pk]),
        {"name": "Xã chuyển", "level": "commune", "parent": new_parent.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    commune.refresh_from_db()
    assert commune.path.startswith(new_parent.path) and commune.parent == new_parent
    assert not commune.path.startswith(district.path)
    change = CommitteeChange.objects.get(action="changed")
    assert (
        change.old_parent,
        change.new_parent,
        change.old_name,
        change.new_name,
        change.changed_by.username,
    ) == (
        district,
        new_parent,
        "Đảng bộ P-D1-C1",
        "Xã chuyển",
        "root",
    )
    assert counters_drift(term=term) == []


def test_a_committee_cannot_be_deleted_in_admin(admin_client_, tree):
    commune = tree["P-D1-C1"]
    url = reverse("admin:indicators_committee_delete", args=[commune.pk])
    assert admin_client_.post(url, {"post": "yes"}).status_code == 403
    assert Committee.objects.filter(pk=commune.pk).exists()


def test_editing_an_indicator_in_admin_goes_through_the_service(admin_client_, tree):
    commune = tree["P-D1-C1"]
    resolution = Resolution.objects.get(committee=commune)
    rows = list(resolution.indicators.order_by("sort_key"))
    data = _inline_post(resolution, rows)
    data["indicators-0-number"] = "10"
    url = reverse("admin:indicators_resolution_change", args=[resolution.pk])
    assert admin_client_.post(url, data).status_code == 302
    moved = Indicator.objects.get(pk=rows[0].pk)
    assert moved.number == "10"  # and sorted as ten, after 2 and 3 (the service kept sort_key)
    assert [i.number for i in resolution.indicators.order_by("sort_key")] == ["2", "3", "10"]
    # …with its history row naming the staff member; the rows left as they were have none.
    changes = IndicatorChange.objects.filter(indicator__resolution=resolution, action="changed")
    assert [(c.indicator_id, c.changed_by.username, c.old, c.new) for c in changes] == [
        (rows[0].pk, "root", {"number": "1"}, {"number": "10"})
    ]


def test_terms_are_added_by_code_in_admin(admin_client_):
    from indicators.models import Term

    response = admin_client_.post(
        reverse("admin:indicators_term_add"), {"code": "2025 – 2030", "midterm_date": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    term = Term.objects.get(code="2025-2030")
    assert (term.start_year, term.end_year) == (2025, 2030)
    response = admin_client_.post(reverse("admin:indicators_term_add"), {"code": "2030", "midterm_date": ""})
    assert response.status_code == 200 and "2020-2025" in response.content.decode()
    assert Term.objects.count() == 1
    response = admin_client_.post(
        reverse("admin:indicators_term_change", args=[term.pk]),
        {"code": "1990-1995", "midterm_date": "30/06/2028"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    term.refresh_from_db()
    assert (term.code, str(term.midterm_date)) == ("2025-2030", "2028-06-30")


def test_measure_and_direction_are_set_in_admin_and_the_suggestion_follows(admin_client_, tree):
    commune = tree["P-D1-C1"]
    resolution = Resolution.objects.get(committee=commune)
    rows = list(resolution.indicators.order_by("sort_key"))
    first = rows[0]
    assessments_update(
        edits=[
            AssessmentEdit(
                assessment_id=first.assessment.pk,
                status=first.assessment.status,
                results=Results.build(baseline="20", years={2021: ("15", False)}),
            )
        ]
    )
    data = _inline_post(resolution, rows, extra_new=[{"number": "4", "measure": "cumulative"}])
    data["indicators-0-target"] = "10"
    data["indicators-0-direction"] = "down"
    url = reverse("admin:indicators_resolution_change", args=[resolution.pk])
    assert admin_client_.post(url, data).status_code == 302
    first.refresh_from_db()
    first.assessment.refresh_from_db()
    # a poverty rate: 20 → 15 in 2021, a straight line reaches 0 by 2025, below the target 10
    assert (first.measure, first.direction, first.assessment.suggested_status) == (
        "level",
        "down",
        "achieved",
    )
    assert Indicator.objects.get(resolution=resolution, number="4").measure == "cumulative"
    page = admin_client_.get(url).content.decode()
    assert 'name="indicators-0-direction"' in page and 'name="indicators-0-measure"' in page


def test_a_nul_character_in_the_admin_is_refused_in_the_users_language(admin_client_, settings):
    """Django's own message ("Null characters are not allowed.") has no Vietnamese in Django's catalog;
    locale_vendor/ gives it one, so the admin of a Vietnamese user speaks Vietnamese here too."""
    url = reverse("admin:auth_group_add")
    html = admin_client_.post(url, {"name": "Văn\x00phòng"}).content.decode()
    assert "Văn bản chứa ký tự không hợp lệ (ký tự NUL)" in html
    assert "Null characters" not in html
    admin_client_.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = admin_client_.post(url, {"name": "Văn\x00phòng"}).content.decode()
    assert "Null characters are not allowed." in html


def test_an_indicator_has_its_own_admin_page_whose_writes_go_through_the_services(admin_client_, tree):
    commune = tree["P-D1-C1"]
    indicator = Indicator.objects.get(resolution__committee=commune, number="1")
    found = admin_client_.get(
        reverse("admin:indicators_indicator_changelist") + "?q=P-D1-C1"
    ).content.decode()
    assert "Chỉ tiêu 1" in found
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    data = {"number": "1", "text": "Chỉ tiêu 1", "field": "economy", "unit": "%", "target": "2"}
    assert admin_client_.post(url, {**data, "measure": "level", "direction": "up"}).status_code == 302
    change = IndicatorChange.objects.get(indicator=indicator, action="changed")
    assert (change.changed_by.username, change.old, change.new) == (
        "root",
        {"unit": "", "target": ""},
        {"unit": "%", "target": "2"},
    )
    delete = reverse("admin:indicators_indicator_delete", args=[indicator.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 302
    assert IndicatorChange.objects.filter(action="deleted", subject__contains="Chỉ tiêu 1").exists()
    assert counters_drift(term=commune.term) == []


def test_history_in_the_admin_reads_as_lines_not_json(admin_client_, tree):
    indicator = Indicator.objects.get(resolution__committee=tree["P-D1-C1"], number="2")
    from indicators.services.indicators import indicator_update

    indicator_update(indicator=indicator, number="2", text=indicator.text, field="environment", target="5")
    page = admin_client_.get(reverse("admin:indicators_indicatorchange_changelist")).content.decode()
    assert "Mục tiêu: — → 5" in page and "Lĩnh vực: Kinh tế → Môi trường" in page
    assert "{&quot;" not in page
    change = IndicatorChange.objects.get(indicator=indicator, action="changed")
    detail = admin_client_.get(
        reverse("admin:indicators_indicatorchange_change", args=[change.pk])
    ).content.decode()
    assert "Mục tiêu: — → 5" in detail and "{&quot;" not in detail


def test_the_admin_speaks_vietnamese_for_the_site_and_the_task_queue(admin_client_, tree):
    index = admin_client_.get(reverse("admin:index")).content.decode()
    assert "Tasks Database Backend" not in index and "Task Results" not in index
    assert "Hàng đợi tác vụ nền" in index
    assert "Bảo vệ đăng nhập" in index and ">Axes<" not in index  # django-axes had only its label
    resolution = Resolution.objects.get(committee=tree["P"])
    page = admin_client_.get(
        reverse("admin:indicators_resolution_change", args=[resolution.pk])
    ).content.decode()
    assert "Committee:" not in page and "Đơn vị:" in page


def test_an_indicators_history_button_leads_to_its_readable_history(admin_client_, tree, term):
    """Django's own log has nothing for an indicator written through the services ("no history"
    for one whose status changed): the admin's history button goes to the indicator's page."""
    indicator = Indicator.objects.of_committee(tree["P-D1-C1"]).order_by("sort_key").first()
    response = admin_client_.get(reverse("admin:indicators_indicator_history", args=[indicator.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/committees/P-D1-C1/indicators/{indicator.pk}/?term={term.code}#history"
    page = admin_client_.get(response["Location"]).content.decode()
    assert "Lịch sử thay đổi" in page
