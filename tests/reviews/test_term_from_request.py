"""A URL without `?term=` means the newest term in which the user may see that committee."""

import pytest

from indicators.models import Role
from indicators.services.terms import term_get_or_create


@pytest.fixture
def next_term(tree, make_committee):
    new = term_get_or_create(code="2025-2030")[0]
    top = make_committee("P", term_=new)
    district = make_committee("P-D1", top, term_=new)
    make_committee("P-D1-C1", district, term_=new)
    return new


@pytest.fixture
def secretary(client, tree, make_user):
    client.force_login(make_user("sec", tree["P-D1-C1"], role="secretary"))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/committees/P-D1-C1/",
        "/committees/P-D1-C1/trouble/",
        "/committees/P-D1-C1/assess/",
        "/api/committees/P-D1-C1/tally/",
        "/committees/P-D1-C1/workbook.xlsx",
    ],
)
def test_old_term_secretary_finds_their_committee_without_a_term(secretary, term, next_term, path):
    response = secretary.get(path)
    assert response.status_code == 200
    if path.endswith("/tally/"):
        assert response.json()["term"] == "2020-2025"


def test_dashboard_without_a_term_shows_the_old_term(secretary, term, next_term):
    response = secretary.get("/committees/P-D1-C1/")
    assert response.context["term"] == term
    # The new term exists but is not the secretary's: asking for it explicitly is still a 404.
    assert secretary.get("/committees/P-D1-C1/?term=2025-2030").status_code == 404


def test_home_sends_the_secretary_to_their_committee_in_their_term(secretary, term, next_term):
    response = secretary.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/committees/P-D1-C1/?term=2020-2025"


def test_staff_without_a_term_see_the_newest(client, tree, next_term, make_user):
    client.force_login(make_user("staff", is_staff=True))
    assert client.get("/committees/P-D1-C1/").context["term"] == next_term
    assert client.get("/committees/P-D2-C1/").context["term"] == tree["P"].term  # only there


def test_a_role_in_the_new_term_makes_it_the_default(secretary, next_term):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="sec")
    Role.objects.create(user=user, committee=next_term.committees.get(code="P-D1-C1"), role="secretary")
    assert secretary.get("/committees/P-D1-C1/").context["term"] == next_term


def test_strangers_still_get_404(secretary, next_term):
    assert secretary.get("/committees/P-D2-C1/").status_code == 404
    assert secretary.get("/committees/NO-SUCH/").status_code == 404


@pytest.mark.parametrize("query", ["", "?term=2020-2025"])
@pytest.mark.parametrize(
    "path",
    [
        "/committees/{}/",
        "/committees/{}/assess/",
        "/committees/{}/report.pdf",
        "/committees/{}/deadlines/",
        "/api/committees/{}/reporting/",
    ],
)
@pytest.mark.parametrize("code", ["P-D1-C1%00", "X" * 41])
def test_a_code_no_committee_can_have_is_not_found_like_any_unknown_code(
    client, tree, make_user, path, query, code
):
    """A NUL byte (PostgreSQL refuses it in text) or a code longer than the column: 404, on every
    database, for staff (who may see every committee) as for anyone."""
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    assert client.get(path.format(code) + query).status_code == 404
