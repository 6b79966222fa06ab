"""Every answer that depends on the user says `Cache-Control: private, no-store` (config.middleware)."""

import pytest
from django.http import HttpResponse
from django.test import Client

from config.middleware import PrivateResponseMiddleware


@pytest.fixture
def secretary(client, tree, make_user, monkeypatch, settings):
    commune = tree["P-D1-C1"]
    client.force_login(make_user("sec", commune, role="secretary"))
    # The PDF itself is tested elsewhere; here only its headers matter: rendered at once, as a stub.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "reports", "email"],
        }
    }
    monkeypatch.setattr("reviews.report.tasks.render_file", lambda fmt, context: b"%PDF-1.7 test")
    return client, commune


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", None),  # a redirect to the user's own committee: it too depends on who asks
        ("/committees/{code}/", "text/html"),
        ("/committees/{code}/trouble/", "text/html"),
        ("/committees/{code}/assess/", "text/html"),
        ("/committees/P-D1/?_export=csv", "text/csv"),
        (
            "/committees/P-D1/?_export=xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("/api/committees/{code}/tally/", "application/json"),
        (
            "/committees/{code}/workbook.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("/committees/{code}/report.pdf", "application/pdf"),
        ("/import/", "text/html"),
        ("/committees/NO-SUCH-CODE/", "text/html"),  # the 404 page of a logged-in user
    ],
)
def test_logged_in_answers_are_private_and_not_stored(secretary, make_user, path, content_type):
    client, commune = secretary
    if path.startswith("/committees/P-D1/"):
        client.force_login(make_user("district", commune.parent, role="viewer"))
    response = client.get(path.format(code=commune.code))
    if content_type:
        assert response["Content-Type"].startswith(content_type)
    assert {"private", "no-store"} <= directives(response), (path, response.get("Cache-Control"))
    assert "public" not in directives(response)


def test_login_page_with_its_csrf_token_is_private_too(db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_an_answer_that_read_no_session_is_left_alone(rf):
    middleware = PrivateResponseMiddleware(
        lambda request: HttpResponse("static", headers={"Cache-Control": "max-age=60"})
    )
    response = middleware(rf.get("/static/site.css"))
    assert response["Cache-Control"] == "max-age=60"


def test_existing_directives_are_kept_and_public_dropped(rf):
    class Session:
        accessed = True

    request = rf.get("/")
    request.session = Session()
    middleware = PrivateResponseMiddleware(
        lambda request: HttpResponse(headers={"Cache-Control": "public, max-age=60"})
    )
    assert directives(middleware(request)) == {"private", "no-store", "max-age=60"}
