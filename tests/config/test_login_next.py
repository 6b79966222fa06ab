"""The login page's ?next=: only a path of this site is echoed and followed; the rest is dropped."""

import pytest
from django.test import Client
from django.urls import reverse

from config.views import is_site_path

LOGIN = "/accounts/login/"


def _hidden_next(client: Client, next_url: str) -> str:
    html = client.get(LOGIN, {"next": next_url}).content.decode()
    # The login form's; the header's language switch has its own, earlier in the page.
    marker = '<input type="hidden" name="next" value="'
    start = html.rindex(marker) + len(marker)
    return html[start : html.index('"', start)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "http://testserver/committees/",  # this very host, but a full URL: not a path
        "committees/",  # relative: not a site path
    ],
)
def test_anything_but_a_site_path_is_dropped(client, next_url):
    assert _hidden_next(client, next_url) == ""


@pytest.mark.django_db
def test_a_site_path_is_kept_and_escaped(client):
    kept = _hidden_next(client, "/committees/BK/?term=2020-2025&x=1")
    assert kept == "/committees/BK/?term=2020-2025&amp;x=1"
    html = client.get(LOGIN, {"next": '/"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&quot;&gt;&lt;script&gt;" in html


@pytest.mark.parametrize(
    "next_url", ["http://testserver/committees/", "//evil.example/", "https://evil.example/"]
)
def test_logging_in_never_leaves_for_a_full_url(client, make_user, next_url):
    make_user("vanphong")
    response = client.post(LOGIN, {"username": "vanphong", "password": "pw-Secret-123", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logging_in_follows_a_site_path(client, make_user):
    make_user("vanphong")
    response = client.post(
        LOGIN, {"username": "vanphong", "password": "pw-Secret-123", "next": "/notifications/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/notifications/")


def test_is_site_path():
    assert is_site_path("/") and is_site_path("/a/?b=c")
    assert not any(is_site_path(u) for u in ("", "//x", "/\\x", "http://x/", "x/"))
