"""Content-Security-Policy: scripts, styles and images from the site only; no framing."""

import pytest


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/no-such-page/"])
def test_pages_carry_a_strict_policy(client, url):
    policy = directives(client.get(url))
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["img-src"] == "img-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"
    assert "unsafe-inline" not in str(policy) and "unsafe-eval" not in str(policy)


def test_logged_in_dashboard_carries_the_policy(client, tree, make_user):
    user = make_user("xem.tinh", tree["P"])
    client.force_login(user)
    response = client.get("/committees/P/")
    assert response.status_code == 200
    assert directives(response)["script-src"] == "script-src 'self'"
