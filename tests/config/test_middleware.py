"""A lost database gives a 503 page without a traceback, in views and outside them."""

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

from config.middleware import DatabaseUnavailableMiddleware
from config.views import BARE_500, server_error


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_error_in_a_view_becomes_503(rf, error):
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse("ok"))
    request = rf.get("/committees/BK/")
    response = middleware.process_exception(request, error("server closed the connection unexpectedly"))
    text = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Hệ thống tạm thời gián đoạn" in text
    assert "The database is not answering" in text
    assert "server closed the connection" not in text and "Traceback" not in text


def test_other_errors_are_left_alone(rf):
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse("ok"))
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None


def test_whole_stack_answers_503_when_the_query_fails(client, db, make_user, monkeypatch):
    client.force_login(make_user("xem"))

    def lost(*args, **kwargs):
        raise OperationalError("could not connect to server")

    from importlib import import_module

    from django.conf import settings

    # The session read every request makes first (the store the settings name).
    monkeypatch.setattr(import_module(settings.SESSION_ENGINE).SessionStore, "_get_session_from_db", lost)
    response = client.get("/")
    assert response.status_code == 503
    assert "Hệ thống tạm thời gián đoạn" in response.content.decode()


def test_handler500_turns_a_database_error_outside_views_into_503(rf):
    try:
        raise OperationalError("terminating connection due to administrator command")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503


def test_handler500_for_other_errors_is_the_friendly_500_page(rf):
    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()


def test_404_page_is_friendly(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_error_pages_rendered_without_a_request_offer_no_form_that_would_fail_csrf():
    from django.template.loader import render_to_string

    for template in ("500.html", "503.html"):
        assert "<form" not in render_to_string(template)


def test_500_page_that_cannot_render_falls_back_to_plain_html(rf, settings):
    # e.g. DEBUG off without collectstatic: {% static %} itself raises inside the 500 page.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = "/nonexistent-static-root"
    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Đã có lỗi xảy ra" in body and "Traceback" not in body
    assert body == BARE_500  # the fallback, not the template
