"""People are named by full name and position on pages; the username is for logging in and the admin."""

import pytest
from django.urls import reverse

from indicators.models import Assessment, Status
from indicators.people import full_name, person_label, person_name
from indicators.services.people import person_update
from reviews.models import ReviewAction
from reviews.services import review_step
from tests.conftest import assess_one


@pytest.fixture
def secretary(tree, make_user):
    user = make_user("bithu.c1", tree["P-D1-C1"], "secretary")
    return person_update(
        user=user, last_name="Đinh Anh", first_name="Trường", position="Bí thư Đảng ủy xã C1"
    )


def test_name_is_ho_then_ten_and_the_position_follows(secretary):
    assert person_name(secretary) == "Đinh Anh Trường"
    assert person_label(secretary) == "Đinh Anh Trường (Bí thư Đảng ủy xã C1)"


def test_full_name_is_the_one_way_a_name_is_written():
    """The same words in the same order from a user row and from columns read without one."""
    assert full_name(last_name="Đinh  Anh ", first_name=" Trường", username="bithu") == "Đinh Anh Trường"
    assert full_name(last_name="", first_name="Trường") == "Trường"
    assert full_name(last_name=None, first_name=None, username="bithu") == "bithu"
    assert full_name(last_name=None, first_name=None, username=None) == ""


def test_a_user_without_a_name_is_shown_by_username(make_user):
    assert person_label(make_user("khach")) == "khach"


def _review_documents_ready(committee):
    from tests.conftest import fill_document

    fill_document(committee)  # the heading, the narrative, a lesson and a solution group


@pytest.mark.django_db
def test_pages_show_the_name_and_position_not_the_username(client, tree, secretary, make_user):
    commune = tree["P-D1-C1"]
    _review_documents_ready(commune)
    assessment = Assessment.objects.filter(indicator__resolution__committee=commune).first()
    assess_one(assessment=assessment, status=Status.HARD, note="Dịch bệnh", by=secretary)
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    viewer = make_user("vanphong.d1", tree["P-D1"], "viewer")
    person_update(user=viewer, last_name="Hà Văn", first_name="Tuấn", position="Chánh Văn phòng")
    client.force_login(viewer)
    term = "?term=2020-2025"
    pages = [
        reverse("dashboard", args=[commune.code]) + term,
        reverse("indicator_detail", args=[commune.code, assessment.indicator_id]) + term,
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Đinh Anh Trường (Bí thư Đảng ủy xã C1)" in html, url
        assert "bithu.c1" not in html, url
        assert "vanphong.d1" not in html, url  # the header names the viewer too
        assert "Hà Văn Tuấn" in html


@pytest.mark.django_db
def test_demo_accounts_have_realistic_names_and_positions():
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from reviews.management.commands.load_demo import DEMO_ACCOUNTS

    out = StringIO()
    call_command("load_demo", password="Demo-pw-2023", stdout=out)
    users = {u.username: u for u in get_user_model().objects.select_related("profile")}
    for username, *_rest in DEMO_ACCOUNTS:
        user = users[username]
        assert len(person_name(user).split()) >= 3, username  # họ, tên đệm, tên
        assert user.profile.position, username
        assert person_name(user) in out.getvalue()
    assert person_label(users["bithu.nongha"]) == "Đinh Anh Trường (Bí thư Đảng ủy xã Nông Hạ)"
    # Running the loader again never overwrites a name changed since.
    person_update(user=users["bithu.nongha"], last_name="Lê", first_name="Văn Tám", position="Bí thư")
    call_command("load_demo", password="Demo-pw-2023", stdout=StringIO())
    assert person_name(get_user_model().objects.get(username="bithu.nongha")) == "Lê Văn Tám"


@pytest.mark.django_db
def test_an_indicator_loaded_without_a_person_shows_only_when(client, make_committee, make_user):
    """The demo loads assessments with no user: "Cập nhật: 09:31 27/11/2026", not "—, 09:31 …"."""
    from indicators.services.indicators import indicator_create
    from indicators.services.resolutions import resolution_create

    commune = make_committee("X")
    resolution = resolution_create(committee=commune, number="01-NQ/ĐH")
    indicator = indicator_create(resolution=resolution, number="1", text="Chỉ tiêu", status="achieved")
    client.force_login(make_user("xem", commune, "viewer"))
    html = client.get(
        reverse("indicator_detail", args=["X", indicator.pk]) + "?term=2020-2025"
    ).content.decode()
    updated = html.split("Cập nhật</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert not updated.startswith("—") and "," not in updated
    assert updated.strip()  # the time is known and shown
