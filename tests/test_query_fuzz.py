"""Any query string on any page, as a logged-in user: never a 500 (hypothesis).

Every GET page of the URL registry (tests/access_cases.py, which fails when a page is missing)
gets random values for every query parameter the site reads, with the parameter names of every
table (their prefixes included) and a few unknown ones: negative and huge numbers, NUL, long
text, valid values out of place. Runs on SQLite and, with DATABASE_URL, on PostgreSQL, which
refuses NUL and over-long text where SQLite stores them."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.access_cases import URL_CASES

pytestmark = pytest.mark.slow

# What the views, filters and tables read (tables: "c-" children, "i-" indicators, none: trouble).
PARAMETERS = [
    "term", "_export", "field", "status", "next",
    "page", "per_page", "sort", "c-page", "c-per_page", "c-sort", "i-page", "i-per_page", "i-sort",
]  # fmt: skip

# /healthz/ready reads no parameter and answers 503 by design while no worker runs (as here); a
# big import's page needs the token of the user's own import (its own tests try foreign and bad
# tokens: tests/reviews/test_workbook_background.py).
NOT_FUZZED = {"healthz_ready", "workbook_import_job"}
GET_CASES = sorted(
    {case.name: case for case in URL_CASES if case.method == "get" and case.name not in NOT_FUZZED}.values(),
    key=lambda c: c.name,
)

numbers = st.one_of(
    st.integers(min_value=-10, max_value=10).map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["0", "-1", "-5", "999999", str(2**31), str(2**63), "9" * 4400, "1e9", "1.5"]),
)
known = st.sampled_from(
    ["2020-2025", "2025-2030", "2020-2020", "1-2", "xlsx", "csv", "pdf", "hard", "not_achieved",
     "economy", "name", "-name", "review_state", "-share", "code", "number", "//evil.example/", "/admin/"]
)  # fmt: skip
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from("\x00\r\n\t%&=+-@'\"<>;/\\ ạđ"), max_size=20),
    st.builds(lambda n: "x" * n, st.integers(min_value=200, max_value=5000)),
)
values = st.one_of(numbers, known, texts)
# Each known parameter present or not, one or two values each, plus a few unknown names. The
# term is often right, so that the other parameters get past the term lookup.
_parameter_values = {name: st.lists(values, min_size=1, max_size=2) for name in PARAMETERS}
_parameter_values["term"] = st.one_of(st.just(["2020-2025"]), _parameter_values["term"])
queries = st.tuples(
    st.fixed_dictionaries({}, optional=_parameter_values),
    st.dictionaries(st.text(min_size=1, max_size=8), st.lists(values, min_size=1, max_size=2), max_size=2),
).map(lambda pair: {**pair[1], **pair[0]})


@pytest.fixture
def district_secretary(client, tree, make_user):
    """Secretary of P-D1: may view its subtree and assess it, so every page answers for real."""
    client.force_login(make_user("sec", tree["P-D1"], role="secretary"))
    # The PDF's own render (seconds in a child process) is tested elsewhere; its view is fuzzed here
    # (it queues the render for the worker, which does not run in this test, and answers at once).
    return client


def _path(case, committee) -> str:
    if not case.committee_url:
        return reverse(case.name)
    kwargs = {"code": committee.code, **(case.extra(committee) if case.extra else {})}  # noqa: S610
    return reverse(case.name, kwargs=kwargs)


@pytest.mark.parametrize("case", GET_CASES, ids=[c.name for c in GET_CASES])
def test_no_query_string_gives_a_500(district_secretary, tree, case):
    path = _path(case, tree["P-D1"])

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=queries)
    # The probe's reproductions, always tried first.
    @example(query={"per_page": ["-1"]})
    @example(query={"per_page": ["-5"]})
    @example(query={"page": ["999999"]})
    @example(query={"page": ["999999"], "per_page": ["-1"], "sort": ["-number"]})
    def check(query):
        response = district_secretary.get(path, query)
        assert response.status_code < 500, (path, query, response.status_code)

    check()
