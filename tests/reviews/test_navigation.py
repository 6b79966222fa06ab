"""The site's chrome: breadcrumbs only link where the user may go, the icon, the admin in Vietnamese,
focus on the error summary after a failed save."""

import pytest
from django.urls import reverse

TERM = "?term=2020-2025"


@pytest.mark.django_db
def test_breadcrumb_names_committees_above_the_users_own_without_linking_them(client, tree, make_user):
    client.force_login(make_user("bithu", tree["P-D1-C1"], "secretary"))
    html = client.get(reverse("dashboard", args=["P-D1-C1"]) + TERM).content.decode()
    nav = html.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert ">Đảng bộ P<" in nav and ">Đảng bộ P-D1<" in nav  # named…
    assert "<a " not in nav  # …not linked: the secretary of a commune may not open them


@pytest.mark.django_db
def test_breadcrumb_links_committees_the_user_may_open(client, tree, make_user):
    client.force_login(make_user("vanphong", tree["P"], "viewer"))
    html = client.get(reverse("dashboard", args=["P-D1-C1"]) + TERM).content.decode()
    nav = html.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("dashboard", args=["P"])}{TERM}"' in nav
    assert f'href="{reverse("dashboard", args=["P-D1"])}{TERM}"' in nav


def test_favicon_is_a_real_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00" and len(body) > 200  # an ICO header, not an empty file


@pytest.mark.django_db
def test_pages_name_the_icon(client, tree, make_user):
    client.force_login(make_user("vanphong", tree["P"], "viewer"))
    html = client.get(reverse("dashboard", args=["P"]) + TERM).content.decode()
    assert 'rel="icon"' in html


@pytest.mark.django_db
def test_admin_speaks_vietnamese(client, make_user):
    client.force_login(make_user("quantri", is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Trang quản trị Sơ kết" in html
    assert "Django" not in html.split("<body", 1)[1]
    assert "Skip to main content" not in html and "Chuyển đến nội dung chính" in html
    assert "Access attempts" not in html and "Lượt đăng nhập thử" in html


@pytest.mark.django_db
def test_admin_in_english_stays_english(client, make_user):
    client.force_login(make_user("quantri", is_staff=True, is_superuser=True))
    client.cookies["django_language"] = "en"
    html = client.get(reverse("admin:index")).content.decode()
    assert "Skip to main content" in html and "Access attempts" in html
    assert "Sơ kết administration" in html


@pytest.mark.django_db
def test_failed_save_of_the_report_puts_focus_on_the_error_summary(client, tree, make_user):
    client.force_login(make_user("bithu", tree["P-D1-C1"], "secretary"))
    url = reverse("review_edit", args=["P-D1-C1"]) + TERM
    response = client.post(url, {"version": "0", "document_date": "32/13/2023"})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "autofocus" in summary.split(">", 1)[0]
    assert 'href="#id_document_date"' in summary  # each error links to its field


@pytest.mark.django_db
def test_failed_save_of_assessments_puts_focus_on_the_error_summary(client, tree, make_user):
    from tests.reviews.test_assess import form_data

    client.force_login(make_user("bithu", tree["P-D1-C1"], "secretary"))
    url = reverse("assess", args=["P-D1-C1"]) + TERM
    response = client.post(url, form_data(tree["P-D1-C1"], {"1": {"status": "hard", "note": ""}}))
    assert response.status_code == 400
    head = response.content.decode().split('class="error-summary"', 1)[1].split(">", 1)[0]
    assert "autofocus" in head
