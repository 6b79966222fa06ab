"""A committee's own deadline where its review is written: the date, the days left or late, who set
it (in the words of its office), on the dashboard, the assessment page and the report editor, in
both languages; and the reminders that reach its secretaries' inbox and mail."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from indicators.models import Level
from indicators.units import office_name
from reviews.campaign.selectors import committee_own_deadline
from reviews.campaign.services import deadlines_set
from reviews.models import ReviewAction
from reviews.notifications.delivery import deliver_all
from reviews.notifications.models import EmailDelivery, Notification
from reviews.selectors import review_of
from reviews.services import review_step
from tests.conftest import fill_document

TODAY = timezone.localdate


@pytest.fixture
def cho_moi(make_committee, make_indicators):
    """Bắc Kạn → huyện Chợ Mới → thị trấn Đồng Tâm (→ chi bộ Bản Tắm), with indicators."""
    province = make_committee("BK", name="Đảng bộ tỉnh Bắc Kạn")
    district = make_committee("BK-CM", province, name="Đảng bộ huyện Chợ Mới")
    commune = make_committee("BK-CM-DT", district, name="Đảng bộ thị trấn Đồng Tâm")
    cell = make_committee("BK-CM-DT-BT", commune, name="Chi bộ Bản Tắm")
    for c in (province, district, commune, cell):
        make_indicators(c, ["achieved", "achieved"])
    return {"province": province, "district": district, "commune": commune, "cell": cell}


@pytest.mark.parametrize(
    ("name", "level", "kind", "office"),
    [
        ("Đảng bộ tỉnh Bắc Kạn", Level.PROVINCE, "province", "Tỉnh ủy Bắc Kạn"),
        ("Đảng bộ huyện Chợ Mới", Level.DISTRICT, "district", "Huyện ủy Chợ Mới"),
        ("Đảng bộ thành phố Bắc Kạn", Level.DISTRICT, "city", "Thành ủy Bắc Kạn"),
        ("Đảng bộ thị trấn Đồng Tâm", Level.COMMUNE, "township", "Đảng ủy thị trấn Đồng Tâm"),
        ("Đảng bộ xã Nông Hạ", Level.COMMUNE, "commune", "Đảng ủy xã Nông Hạ"),
        # The stored kind decides, not the words of the name.
        ("Đảng bộ Chợ Mới", Level.DISTRICT, "town", "Thị ủy Chợ Mới"),
        ("Chi bộ Bản Tắm", Level.CELL, "cell", "Chi bộ Bản Tắm"),
    ],
)
def test_office_name_from_the_stored_kind(name, level, kind, office):
    assert office_name(name=name, level=level, kind=kind) == office


def test_the_earliest_deadline_holds_and_names_who_set_it(cho_moi):
    today = TODAY()
    deadlines_set(committee=cho_moi["province"], levels={"commune": today + timedelta(days=7)}, by=None)
    commune = cho_moi["commune"]
    own = committee_own_deadline(committee=commune, review=review_of(committee=commune))
    assert (own.due, own.set_by, own.days_left, own.overdue) == (
        today + timedelta(days=7),
        "Tỉnh ủy Bắc Kạn",
        7,
        False,
    )
    deadlines_set(committee=cho_moi["district"], levels={"commune": today + timedelta(days=3)}, by=None)
    own = committee_own_deadline(committee=commune, review=review_of(committee=commune))
    assert (own.due, own.set_by) == (today + timedelta(days=3), "Huyện ủy Chợ Mới")
    # An override for this very commune replaces the district's date for its level.
    deadlines_set(
        committee=cho_moi["district"], levels={}, only={"BK-CM-DT": today - timedelta(days=4)}, by=None
    )
    own = committee_own_deadline(committee=commune, review=review_of(committee=commune))
    assert (own.due, own.overdue, own.days_late) == (today - timedelta(days=4), True, 4)
    # Nobody set one for the district's own review, nor could anyone for the province.
    for top in ("district", "province"):
        assert (
            committee_own_deadline(committee=cho_moi[top], review=review_of(committee=cho_moi[top])) is None
        )


def test_a_sent_review_is_never_overdue(cho_moi, make_user):
    commune = fill_document(cho_moi["commune"])
    deadlines_set(committee=cho_moi["district"], levels={"commune": TODAY() - timedelta(days=2)}, by=None)
    secretary = make_user("bithu", commune, role="secretary")
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    own = committee_own_deadline(committee=commune, review=review_of(committee=commune))
    assert own.sent and not own.overdue


@pytest.mark.parametrize("where", ["commune", "cell"])
def test_one_query_at_any_depth_none_at_the_top(cho_moi, where, django_assert_num_queries):
    deadlines_set(committee=cho_moi["province"], levels={"commune": TODAY(), "cell": TODAY()}, by=None)
    deadlines_set(committee=cho_moi["district"], levels={"commune": TODAY(), "cell": TODAY()}, by=None)
    committee = cho_moi[where]
    review = review_of(committee=committee)
    with django_assert_num_queries(1):
        assert committee_own_deadline(committee=committee, review=review) is not None
    province = cho_moi["province"]
    review = review_of(committee=province)
    with django_assert_num_queries(0):
        assert committee_own_deadline(committee=province, review=review) is None


@pytest.mark.parametrize("page", ["dashboard", "assess", "review_edit"])
def test_she_sees_her_deadline_where_she_works(cho_moi, make_user, client, page):
    today = TODAY()
    deadlines_set(committee=cho_moi["district"], levels={"commune": today + timedelta(days=3)}, by=None)
    client.force_login(make_user("bithu", cho_moi["commune"], role="secretary"))
    url = f"{reverse(page, args=['BK-CM-DT'])}?term=2020-2025"
    html = " ".join(client.get(url).content.decode().split())
    due = (today + timedelta(days=3)).strftime("%d/%m/%Y")
    assert f"Hạn gửi báo cáo: <strong>{due}</strong> (còn 3 ngày) — do Huyện ủy Chợ Mới đặt" in html
    assert "own-deadline overdue" not in html


def test_overdue_in_red_and_in_english(cho_moi, make_user, client):
    today = TODAY()
    deadlines_set(committee=cho_moi["province"], levels={"district": today - timedelta(days=2)}, by=None)
    client.force_login(make_user("bithu", cho_moi["district"], role="secretary"))
    url = f"{reverse('dashboard', args=['BK-CM'])}?term=2020-2025"
    html = " ".join(client.get(url).content.decode().split())
    assert 'class="own-deadline overdue"' in html
    assert "(quá hạn 2 ngày)</strong> — do Tỉnh ủy Bắc Kạn đặt" in html
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        html = " ".join(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode().split())
    assert (
        "Report deadline:" in html
        and "(2 days overdue)" in html
        and "set by Bắc Kạn Provincial Party Committee" in html
    )


def test_reminders_reach_the_committees_own_secretaries_by_inbox_and_mail(cho_moi, make_user, client):
    """The recipients: the late committee's own secretaries (due soon and overdue, in the inbox and
    by e-mail), and one digest to the approvers of the committee above."""
    today = TODAY()
    deadlines_set(
        committee=cho_moi["province"],
        levels={"district": today - timedelta(days=1), "commune": today + timedelta(days=3)},
        by=None,
    )
    commune_secretary = make_user(
        "bithu.dongtam", cho_moi["commune"], role="secretary", email="dt@example.org"
    )
    district_secretary = make_user(
        "bithu.chomoi", cho_moi["district"], role="secretary", email="cm@example.org"
    )
    call_command("send_reminders", stdout=StringIO())
    assert list(Notification.objects.filter(recipient=commune_secretary).values_list("kind", flat=True)) == [
        "due_soon"
    ]
    assert list(Notification.objects.filter(recipient=district_secretary).values_list("kind", flat=True)) == [
        "overdue"
    ]
    assert EmailDelivery.objects.filter(address__in=["dt@example.org", "cm@example.org"]).count() == 2
    deliver_all()
    assert sorted(m.to[0] for m in mail.outbox) == ["cm@example.org", "dt@example.org"]
    client.force_login(commune_secretary)
    inbox = client.get(reverse("inbox")).content.decode()
    assert "Đảng bộ thị trấn Đồng Tâm" in inbox
