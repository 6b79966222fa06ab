"""Logging a simulated user in through the real login form, as a browser does."""


def log_in(session, username: str, password: str) -> None:
    """GET the login page for its CSRF cookie, then POST; anything but a redirect is a failure."""
    session.get("/accounts/login/", name="login_page")
    token = session.cookies.get("csrftoken", "")
    with session.post(
        "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
        name="login",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"login of {username} gave {response.status_code}")
