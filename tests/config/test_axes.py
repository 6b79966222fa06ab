"""Login attempts are limited per user and address (django-axes)."""

import pytest
from django.test import Client, override_settings

from config.auth import client_ip


def attempt(client, username, password="wrong-password", **extra):  # noqa: S107
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.fixture
def users(make_user):
    return make_user("bithu.a"), make_user("bithu.b")


def test_lockout_after_the_failure_limit(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "bithu.a").status_code == 200  # the form again, with its error
    locked = attempt(client, "bithu.a")
    assert locked.status_code == 429
    # Even the right password is refused now.
    again = attempt(client, "bithu.a", "pw-Secret-123")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_is_a_clear_vietnamese_message(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "bithu.a")
    text = response.content.decode()
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in text
    assert f"sai mật khẩu {settings.AXES_FAILURE_LIMIT} lần" in text
    assert "Vui lòng thử lại sau 30 phút" in text
    assert "Traceback" not in text


def test_another_user_from_the_same_address_can_still_log_in(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "bithu.a")
    response = attempt(Client(), "bithu.b", "pw-Secret-123")
    assert response.status_code == 302


def test_same_user_from_another_address_can_still_log_in(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "bithu.a")
    response = attempt(Client(REMOTE_ADDR="10.0.0.9"), "bithu.a", "pw-Secret-123")
    assert response.status_code == 302


def test_success_before_the_limit_resets_the_count(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "bithu.a")
    assert attempt(Client(), "bithu.a", "pw-Secret-123").status_code == 302
    assert attempt(client, "bithu.a").status_code == 200


@override_settings(CLIENT_IP_HEADER="X-Real-IP")
def test_address_comes_from_the_trusted_proxy_header_only(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "bithu.a", HTTP_X_REAL_IP="203.0.113.7")
    # Another client behind the same proxy (same REMOTE_ADDR) is not locked out...
    assert attempt(client, "bithu.a", "pw-Secret-123", HTTP_X_REAL_IP="203.0.113.8").status_code == 302
    # ...and a forged X-Forwarded-For does not move the locked-out client elsewhere.
    forged = attempt(
        Client(), "bithu.a", "pw-Secret-123", HTTP_X_REAL_IP="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert forged.status_code == 429


def test_client_ip_without_a_configured_header_is_the_socket_address(rf, settings):
    settings.CLIENT_IP_HEADER = ""
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.1.1.1"


def test_client_ip_takes_the_entry_our_proxy_appended(rf, settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert client_ip(request) == "198.51.100.4"
