"""The admin: list pages in constant queries; writes through it keep the counters exact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Committee, Indicator, Resolution
from indicators.selectors import counters_drift
from indicators.tally import Tally


@pytest.fixture
def admin_client_(client, make_user):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    return client


LISTS = [
    "admin:indicators_term_changelist",
    "admin:indicators_committee_changelist",
    "admin:indicators_resolution_changelist",
    "admin:indicators_role_changelist",
    "admin:indicators_assessmentchange_changelist",
    "admin:reviews_review_changelist",
    "admin:reviews_reviewevent_changelist",
]


def _grow(make_committee, make_indicators, make_user, prefix, n):
    """n more communes, each with a resolution, a role, a change and a workflow step."""
    from indicators.models import Assessment, Role
    from indicators.services import assessment_update
    from reviews.models import Review
    from reviews.services import review_record_event

    top = Committee.objects.get(code="P")
    for i in range(n):
        c = make_committee(f"{prefix}{i}", top)
        (ind,) = make_indicators(c, ["not_assessed"])
        user = make_user(f"{prefix}u{i}")
        Role.objects.create(user=user, committee=c, role="secretary")
        assessment_update(assessment=Assessment.objects.get(indicator=ind), status="achieved", by=user)
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
    assert counters_drift(term=term) == []


def test_deleting_a_resolution_in_admin_recounts(admin_client_, tree, term):
    commune = tree["P-D1-C1"]
    resolution = Resolution.objects.get(committee=commune)
    url = reverse("admin:indicators_resolution_delete", args=[resolution.pk])
    assert admin_client_.post(url, {"post": "yes"}).status_code == 302
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally()
    assert counters_drift(term=term) == []


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
    from indicators.models import AssessmentChange

    assert admin_client_.get(reverse("admin:indicators_assessmentchange_add")).status_code == 403
    assert not AssessmentChange.objects.exists() or True
