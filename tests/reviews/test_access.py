"""The access table (roles × committees × actions) and the walk over every URL of the project."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from indicators.models import Role
from indicators.services.people import role_revoke
from indicators.services.terms import term_get_or_create
from tests.access_cases import URL_CASES, UrlCase

# The committees of the `tree` fixture, named from the point of view of the commune P-D1-C1.
OBJECTS = {
    "own commune": "P-D1-C1",
    "sibling": "P-D1-C2",
    "parent": "P-D1",
    "other district": "P-D2",
    "province": "P",
}

# role → (committee code, role kind); None for anonymous and the superuser.
ROLES = {
    "secretary of the commune": ("P-D1-C1", "secretary"),
    "secretary of a sibling commune": ("P-D1-C2", "secretary"),
    "district viewer": ("P-D1", "viewer"),
    "viewer of another district": ("P-D2", "viewer"),
    "provincial viewer": ("P", "viewer"),
    "anonymous": None,
    "superuser": None,
}

# Written out by hand, not computed from the rule: what each role may do on each object.
# "-" = may not even see it (404); V = view (and PDF, workbook, JSON); A = assess; S = submit;
# P = approve / return / reopen; D = set the deadlines of the committees below; U = set terms up
# (staff: an indicator's adjusted target, a committee's predecessors).
# Anything visible but not listed is 403.
ALL = "VASPDU"
TABLE = {
    "secretary of the commune": {
        "own commune": "VASD", "sibling": "-", "parent": "-", "other district": "-", "province": "-",
    },
    "secretary of a sibling commune": {
        "own commune": "-", "sibling": "VASD", "parent": "-", "other district": "-", "province": "-",
    },
    "district viewer": {
        "own commune": "VP", "sibling": "VP", "parent": "VD", "other district": "-", "province": "-",
    },
    "viewer of another district": {
        "own commune": "-", "sibling": "-", "parent": "-", "other district": "VD", "province": "-",
    },
    "provincial viewer": {
        "own commune": "V", "sibling": "V", "parent": "VP", "other district": "VP", "province": "VD",
    },
    "superuser": dict.fromkeys(OBJECTS, ALL),
}  # fmt: skip

ACTION_LETTER = {
    "view": "V",
    "pdf": "V",
    "workbook": "V",
    "json": "V",
    "assess": "A",
    "submit": "S",
    "approve": "P",
    "set_deadlines": "D",
    "set_up": "U",
    # Assigning indicators to the committees below: the same rule as their deadlines.
    "assign": "D",
}
TABLE_ACTIONS = list(ACTION_LETTER)


def expected_status(role: str, obj: str, case: UrlCase) -> int:
    if ROLES[role] is None and role == "anonymous":
        return 302
    rights = TABLE[role][obj]
    if rights == "-":
        return 404
    if ACTION_LETTER[case.action] not in rights:
        return 403
    if case.name in ("report_pdf", "report_docx"):
        return 202  # allowed: the render is queued for the worker (tests/reviews/test_report_serve.py)
    return 302 if case.method == "post" else 200


def _registered_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns, ""))


def _walk(patterns, namespace):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            yield from _walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern):
            if p.name and not p.name.startswith("static") and "static" not in str(p.pattern):
                yield namespace + p.name
            elif not p.name and "static" not in str(p.pattern) and "media" not in str(p.pattern):
                yield f"<unnamed {p.pattern}>"


def _table_params():
    """One test per (role, URL case) whose action the role × object table rules."""
    return [
        pytest.param(role, case, id=f"{role}|{case.name}|{case.method}|{case.action}")
        for role in ROLES
        for case in URL_CASES
        if case.action in ACTION_LETTER
    ]


@pytest.fixture(autouse=True)
def _no_render_bound(settings):
    """One user asks for every committee's report here: the bound on a user's pending renders
    (reviews.report.services, tests/reviews/test_report_queue_bound.py) is not what this table tests."""
    settings.REPORT_RENDERS_PER_USER = 10_000


@pytest.fixture
def users(tree):
    out = {}
    for role, spec in ROLES.items():
        username = role.replace(" ", "_")
        if role == "anonymous":
            out[role] = None
        elif role == "superuser":
            # No password: force_login needs none, and hashing one per user per test is slow.
            out[role] = get_user_model().objects.create_superuser(username, password=None)
        else:
            out[role] = get_user_model().objects.create_user(username)
            Role.objects.create(user=out[role], committee=tree[spec[0]], role=spec[1])
    return out


@pytest.mark.parametrize(("role", "case"), _table_params())
def test_access_table(client, tree, users, role, case):
    assert case.name in _registered_names(), (
        f"URL {case.name!r} ({case.action}) is gone: its access is unchecked"
    )
    if users[role] is not None:
        client.force_login(users[role])
    wrong = []
    for obj, code in OBJECTS.items():
        committee = tree[code]
        kwargs = {"code": committee.code, **(case.extra(committee) if case.extra else {})}  # noqa: S610
        url = f"{reverse(case.name, kwargs=kwargs)}?term={committee.term.code}"
        response = getattr(client, case.method)(url, case.data)
        want = expected_status(role, obj, case)
        got = response.status_code
        if got != want or (role == "anonymous" and not response["Location"].startswith("/accounts/login/")):
            wrong.append(f"{obj} ({code}): {case.method.upper()} {url} → {got}, expected {want}")
    assert not wrong, f"{role} × {case.name}:\n" + "\n".join(wrong)


def test_every_named_url_has_an_access_case():
    covered = {c.name for c in URL_CASES}
    missing = sorted(_registered_names() - covered)
    assert not missing, f"URLs without a UrlCase in tests/access_cases.py: {missing}"


def test_every_access_case_names_a_real_url():
    """A case whose URL is gone would silently stop guarding anything."""
    registered = _registered_names()
    stale = [c.name for c in URL_CASES if c.name not in registered]
    assert not stale, f"UrlCases naming no registered URL: {stale}"


def test_every_action_of_the_table_is_served_by_some_url():
    """An action of the role × object table that no URL case exercises is a rule nobody tests."""
    covered = {c.action for c in URL_CASES}
    assert set(TABLE_ACTIONS) <= covered, f"table actions without a URL case: {set(TABLE_ACTIONS) - covered}"


@pytest.mark.parametrize("case", [c for c in URL_CASES if c.action == "public"], ids=lambda c: c.name)
def test_public_urls_answer_anonymous_visitors(client, db, case):
    response = getattr(client, case.method)(reverse(case.name), case.data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert not response["Location"].startswith("/accounts/login/") or case.name == "logout"


def test_home_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_stranger_gets_404_not_403_for_other_commune(client, tree, make_user):
    client.force_login(make_user("stranger", tree["P-D2-C1"], "secretary"))
    response = client.get(reverse("assess", args=["P-D1-C1"]) + "?term=2020-2025")
    assert response.status_code == 404


def test_unknown_indicator_of_a_visible_committee_is_404(client, tree, make_user):
    from indicators.models import Indicator

    client.force_login(make_user("sec", tree["P-D1-C1"], "secretary"))
    other = Indicator.objects.of_committee(tree["P-D1-C2"]).first()
    response = client.get(reverse("indicator_detail", args=["P-D1-C1", other.pk]) + "?term=2020-2025")
    assert response.status_code == 404


def test_a_revoked_role_or_a_deactivated_user_opens_nothing_from_the_next_request(client, tree, make_user):
    """The committee and its term are looked up together when the URL names the term, the roles
    once per request: neither is kept from one request to the next."""
    viewer = make_user("district-viewer", tree["P-D1"])
    secretary = make_user("commune-secretary", tree["P-D1-C1"], role="secretary")
    with_term = reverse("dashboard", args=["P-D1-C1"]) + "?term=2020-2025"
    without = reverse("dashboard", args=["P-D1-C1"])
    client.force_login(viewer)
    assert client.get(with_term).status_code == 200 and client.get(without).status_code == 200
    role_revoke(role=Role.objects.get(user=viewer))
    assert client.get(with_term).status_code == 404 and client.get(without).status_code == 404
    client.force_login(secretary)
    assess = reverse("assess", args=["P-D1-C1"]) + "?term=2020-2025"
    assert client.get(assess).status_code == 200
    get_user_model().objects.filter(pk=secretary.pk).update(is_active=False)
    assert client.get(assess).status_code == 302  # to the login page: nobody is signed in


@pytest.mark.parametrize("written", ["2040-2045", "2020", "nhiệm kỳ"])
def test_a_term_no_committee_has_or_none_at_all_is_404(client, tree, make_user, written):
    client.force_login(make_user("province-viewer", tree["P"]))
    assert client.get(reverse("dashboard", args=["P-D1-C1"]), {"term": written}).status_code == 404


def test_the_term_in_the_url_picks_the_committee_of_that_term(client, tree, make_user, make_committee):
    """Codes repeat from term to term: ?term= names which, and roles of the other term open nothing."""
    later, _created = term_get_or_create(code="2025-2030")
    make_committee("P-D1-C1", term_=later)
    client.force_login(make_user("old-secretary", tree["P-D1-C1"], role="secretary"))
    page = client.get(reverse("dashboard", args=["P-D1-C1"]) + "?term=2020-2025")
    assert page.status_code == 200 and page.context["committee"].term.code == "2020-2025"
    assert client.get(reverse("dashboard", args=["P-D1-C1"]) + "?term=2025-2030").status_code == 404
