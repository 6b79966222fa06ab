"""Sessions and CSRF: a new session key at login, logout ends it on the server, no token no POST."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from config.sessions import SessionStore


@pytest.fixture
def user(make_user):
    return make_user("bithu.xa")


def login(client, username="bithu.xa", password="pw-Secret-123"):  # noqa: S107
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_session_key_changes_at_login(client, user):
    client.get("/accounts/login/")
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key
    assert login(client).status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_ends_the_session_on_the_server(client, user):
    login(client)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie replayed by someone else opens nothing.
    thief = Client()
    thief.cookies["sessionid"] = key
    assert thief.get("/").status_code == 302


def test_logout_by_get_is_refused(client, user):
    login(client)
    key = client.cookies["sessionid"].value
    assert client.get("/accounts/logout/").status_code == 405
    # Still logged in: the session is there and the home page opens (a logged-out visit redirects).
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 200
    assert Client().get("/").status_code == 302


def test_post_without_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "bithu.xa", "password": "pw-Secret-123"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_logged_in_post_without_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    key = client.cookies["sessionid"].value
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "Yêu cầu bị từ chối" in response.content.decode()
    assert Session.objects.filter(session_key=key).exists()


def test_post_with_csrf_token_is_accepted(user):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": "bithu.xa", "password": "pw-Secret-123", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_test_client_login_still_works_with_axes(client, user):
    assert client.login(username="bithu.xa", password="pw-Secret-123")
    assert not client.login(username="bithu.xa", password="wrong")


def test_a_session_read_back_holds_what_was_saved(client, user):
    # config.sessions reads the row with its own statement: what Django saved comes back whole.
    store = SessionStore()
    store["seen"] = "Bắc Kạn"
    store.save()
    assert SessionStore(store.session_key).load() == {"seen": "Bắc Kạn"}
    assert SessionStore("no-such-session-key").load() == {}


def test_an_expired_session_opens_nothing(client, user):
    login(client)
    key = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/").status_code == 302
