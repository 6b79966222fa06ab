"""The dashboard's cached fragments (reviews.fragments) are exact: whatever changes shows on the very
next request, a repeated request is a hit that costs no extra query, and a cache that is down only
costs rendering. Every test runs against local memory and against the machine's Redis
(127.0.0.1:6379, or TEST_REDIS_URL) under a key prefix of its own, which it alone deletes."""

import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
import redis
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from config.settings import BASE_DIR
from indicators.models import Assessment, Role
from indicators.results import Results
from indicators.services.assessments import AssessmentEdit, assessments_update
from indicators.services.committees import committee_update
from indicators.services.indicators import indicator_update
from indicators.services.terms import term_get_or_create
from reviews import fragments
from reviews.campaign.services import deadlines_set
from reviews.filters import IndicatorFilter
from reviews.models import ReviewAction
from reviews.services import review_step
from reviews.tables import ChildrenTable, IndicatorTable
from tests.conftest import fill_document
from tests.tooling import skip_or_fail_under_ci

from .dashboard_data import build_tree
from .test_dashboard import TestConstantQueries

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# A fragment per kind on a committee with children: campaign panel, charts, children, the
# indicators' filter form, indicators.
FRAGMENTS = 5


class FragmentCache:
    """The test's own fragment cache, and what pages wrote to it."""

    def __init__(self, kind: str, prefix: str):
        self.kind, self.prefix = kind, prefix
        self.writes: list[str] = []

    def spy(self, monkeypatch):
        store = caches[fragments.ALIAS]
        real = store.set

        def counted_set(key, value, *args, **kwargs):
            self.writes.append(key)
            return real(key, value, *args, **kwargs)

        monkeypatch.setattr(store, "set", counted_set)

    def flush(self):
        """Only this test's entries (never the shared Redis's other keys)."""
        if self.kind == "redis":
            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=f"{self.prefix}:*"))
            if keys:
                client.delete(*keys)
        else:
            caches[fragments.ALIAS].clear()


@pytest.fixture(params=["locmem", "redis"])
def cache(request, settings, monkeypatch):
    monkeypatch.setattr(fragments, "_down_until", 0.0)
    prefix = f"soket-test-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        except redis.RedisError as error:
            skip_or_fail_under_ci(
                "the fragment cache tests on Redis", f"no Redis answers at {REDIS_URL}: {error}"
            )
        config = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "TIMEOUT": 600,
        }
    else:
        config = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    settings.CACHES = {**settings.CACHES, fragments.ALIAS: config}
    handle = FragmentCache(request.param, prefix)
    handle.spy(monkeypatch)
    yield handle
    handle.flush()


def dashboard(code, term="2020-2025", **params):
    query = "&".join(f"{k}={v}" for k, v in {"term": term, **params}.items())
    return f"{reverse('dashboard', args=[code])}?{query}"


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    # The CSRF token of the logout form is masked afresh on every response.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def fresh(client, url, cache) -> str:
    """The page rendered with an empty fragment cache: what a hit must equal."""
    cache.flush()
    return page(client, url)


def warm(client, url, cache) -> str:
    """Fill the cache, then prove the next request is a hit that writes nothing."""
    first = page(client, url)
    cache.writes.clear()
    second = page(client, url)
    assert cache.writes == [], "a repeated request must be served from the cache"
    assert second == first
    return second


def after_change(client, url, cache) -> str:
    """The very next request after a change: it must equal a render from scratch."""
    cache.writes.clear()
    html = page(client, url)
    assert cache.writes, "the change must have made a new key"
    assert html == fresh(client, url, cache)
    return html


@pytest.fixture
def viewer(client, tree, make_user):
    user = make_user("v", tree["P"])
    client.force_login(user)
    return user


def _own(committee):
    return list(Assessment.objects.filter(indicator__resolution__committee=committee).order_by("pk"))


@pytest.mark.django_db
class TestHits:
    def test_a_repeated_request_is_served_from_the_cache(self, client, tree, viewer, cache):
        url = dashboard("P")
        page(client, url)
        assert len(cache.writes) == FRAGMENTS
        warm(client, url, cache)

    def test_a_hit_makes_no_table_and_no_filter_set(self, client, tree, viewer, cache, monkeypatch):
        """The tables and the unused filter set are made only to draw a missing fragment: a hit
        needs only the rows."""
        url = dashboard("P")
        page(client, url)
        made: list[str] = []
        for table in (ChildrenTable, IndicatorTable, IndicatorFilter):
            real = table.__init__

            def counted(self, *args, _real=real, **kwargs):
                made.append(type(self).__name__)
                _real(self, *args, **kwargs)

            monkeypatch.setattr(table, "__init__", counted)
        warm(client, url, cache)
        assert made == []
        cache.flush()
        page(client, url)
        assert sorted(set(made)) == ["ChildrenTable", "IndicatorFilter", "IndicatorTable"]

    @pytest.mark.parametrize("kind", ["cold", "warm"])
    def test_a_hit_costs_no_extra_query_on_both_tree_sizes(
        self, client, make_user, cache, django_assert_num_queries, kind
    ):
        small = build_tree(
            term_get_or_create(code="2020-2025")[0], code="S", districts=2, communes=3, indicators=4
        )
        big = build_tree(
            term_get_or_create(code="2025-2030")[0], code="B", districts=8, communes=10, indicators=12
        )
        user = make_user("v", small)
        Role.objects.create(user=user, committee=big, role="viewer")
        client.force_login(user)
        for code, term in (("S", "2020-2025"), ("B", "2025-2030")):
            url = dashboard(code, term)
            client.get(url)  # template loading is not what is measured
            if kind == "cold":
                cache.flush()
            cache.writes.clear()
            with django_assert_num_queries(TestConstantQueries.PINNED["dashboard"]):
                assert client.get(url).status_code == 200
            assert len(cache.writes) == (FRAGMENTS if kind == "cold" else 0)


@pytest.mark.django_db
class TestEveryChangeShowsOnTheNextRequest:
    def test_a_saved_note_and_value_of_the_committees_own_indicator(self, client, tree, viewer, cache):
        url = dashboard("P")
        warm(client, url, cache)
        a = _own(tree["P"])[0]
        assessments_update(
            edits=[AssessmentEdit(assessment_id=a.pk, status=a.status, value="97,5", note="Ghi chú mới lạ")]
        )
        html = after_change(client, url, cache)
        assert "Ghi chú mới lạ" in html and "97,5" in html

    def test_a_saved_status_of_a_child_changes_its_counts(self, client, tree, viewer, cache):
        url = dashboard("P")
        before = warm(client, url, cache)
        a = next(x for x in _own(tree["P-D1"]) if x.status == "hard")
        assessments_update(edits=[AssessmentEdit(assessment_id=a.pk, status="achieved")])
        assert after_change(client, url, cache) != before

    def test_new_yearly_results_change_the_suggestion(self, client, tree, viewer, cache):
        url = dashboard("P")
        before = warm(client, url, cache)
        a = _own(tree["P"])[0]
        results = Results.build(baseline="10", years={2021: ("11", False), 2022: ("12", True)}, forecast="20")
        assessments_update(edits=[AssessmentEdit(assessment_id=a.pk, status=a.status, results=results)])
        html = after_change(client, url, cache)
        assert html != before

    def test_a_changed_indicator_text(self, client, tree, viewer, cache):
        url = dashboard("P")
        warm(client, url, cache)
        indicator = _own(tree["P"])[0].indicator
        indicator_update(indicator=indicator, number="1", text="Thu nhập bình quân đầu người", target="50")
        assert "Thu nhập bình quân đầu người" in after_change(client, url, cache)

    def test_workflow_steps_send_approve_return(self, client, tree, viewer, make_user, cache):
        url = dashboard("P")
        secretary = make_user("s", tree["P-D1"], role="secretary")
        fill_document(tree["P-D1"])
        warm(client, url, cache)

        review_step(committee=tree["P-D1"], step=ReviewAction.SUBMIT, by=secretary)
        html = after_change(client, url, cache)
        assert "review-badge-submitted" in html
        warm(client, url, cache)

        review_step(committee=tree["P-D1"], step=ReviewAction.APPROVE, by=viewer)
        html = after_change(client, url, cache)
        assert "review-badge-approved" in html
        warm(client, url, cache)

        review_step(committee=tree["P-D1"], step=ReviewAction.REOPEN, by=viewer)
        review_step(committee=tree["P-D1"], step=ReviewAction.SUBMIT, by=secretary)
        warm(client, url, cache)
        review_step(committee=tree["P-D1"], step=ReviewAction.RETURN, by=viewer, reason="Thiếu số liệu")
        html = after_change(client, url, cache)
        assert "review-badge-returned" in html  # the campaign panel tells a returned draft apart

    def test_a_language_change(self, client, tree, viewer, cache):
        url = dashboard("P")
        assert "Các đơn vị trực thuộc" in warm(client, url, cache)
        client.cookies["django_language"] = "en"
        html = after_change(client, url, cache)
        assert "Các đơn vị trực thuộc" not in html and "Committees below" in html

    def test_a_renamed_child(self, client, tree, viewer, cache):
        url = dashboard("P")
        warm(client, url, cache)
        d1 = tree["P-D1"]
        committee_update(committee=d1, name="Đảng bộ huyện Tên Mới", level=d1.level, parent=tree["P"])
        html = after_change(client, url, cache)
        assert "Đảng bộ huyện Tên Mới" in html and "Đảng bộ P-D1" not in html

    def test_sorting_and_filters(self, client, tree, viewer, cache):
        warm(client, dashboard("P"), cache)
        by_name = page(client, dashboard("P", **{"c-sort": "-name"}))
        table = by_name[by_name.index('id="children"') :]
        assert table.index("Đảng bộ P-D2") < table.index("Đảng bộ P-D1")
        assert by_name == fresh(client, dashboard("P", **{"c-sort": "-name"}), cache)
        warm(client, dashboard("P"), cache)
        hard = page(client, dashboard("P", status="hard"))
        assert hard.count('<span class="status status-hard">') == 1
        assert hard == fresh(client, dashboard("P", status="hard"), cache)

    def test_a_new_deadline_and_a_new_day(self, client, tree, viewer, cache, monkeypatch):
        url = dashboard("P")
        warm(client, url, cache)
        due = timezone.localdate() + timedelta(days=2)
        deadlines_set(committee=tree["P"], levels={"district": due}, by=viewer)
        warm(client, url, cache)
        assert 'class="late-badge"' not in page(client, url)
        # Three days later, with nothing else changed, the districts are overdue.
        real = timezone.localdate
        later = due + timedelta(days=1)
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: later if value is None else real(value, tz)
        )
        assert 'class="late-badge"' in after_change(client, url, cache)

    def test_what_one_user_may_do_never_shows_to_another(self, client, tree, viewer, make_user, cache):
        url = dashboard("P")
        assert "Đặt hạn gửi báo cáo" in warm(client, url, cache)
        client.force_login(make_user("staff", is_staff=True))  # sees everything, sets no deadline
        html = page(client, url)
        assert "Đặt hạn gửi báo cáo" not in html
        assert html == fresh(client, url, cache)


def campaign(code, term="2020-2025", **params):
    query = "&".join(f"{k}={v}" for k, v in {"term": term, **params}.items())
    return f"{reverse('campaign', args=[code])}?{query}"


@pytest.mark.django_db
class TestCampaignPage:
    """The campaign page's table is cached the same way (reviews.campaign.views.campaign)."""

    def test_a_repeated_request_is_a_hit(self, client, tree, viewer, cache):
        url = campaign("P")
        page(client, url)
        assert len(cache.writes) == 1
        warm(client, url, cache)

    def test_a_sent_and_returned_review_shows_on_the_next_request(
        self, client, tree, viewer, make_user, cache
    ):
        url = campaign("P")
        secretary = make_user("s", tree["P-D1"], role="secretary")
        fill_document(tree["P-D1"])
        warm(client, url, cache)
        review_step(committee=tree["P-D1"], step=ReviewAction.SUBMIT, by=secretary)
        assert "review-badge-submitted" in after_change(client, url, cache)
        warm(client, url, cache)
        review_step(committee=tree["P-D1"], step=ReviewAction.RETURN, by=viewer, reason="Thiếu số liệu")
        assert "review-badge-returned" in after_change(client, url, cache)

    def test_a_renamed_child_a_new_day_and_the_sorting(self, client, tree, viewer, cache, monkeypatch):
        url = campaign("P")
        due = timezone.localdate() + timedelta(days=2)
        deadlines_set(committee=tree["P"], levels={"district": due}, by=viewer)
        warm(client, url, cache)
        d1 = tree["P-D1"]
        committee_update(committee=d1, name="Đảng bộ huyện Tên Mới", level=d1.level, parent=tree["P"])
        assert "Đảng bộ huyện Tên Mới" in after_change(client, url, cache)
        names = ("Đảng bộ P-D2", "Đảng bộ huyện Tên Mới")
        up, down = (page(client, campaign("P", **{"r-sort": order})) for order in ("name", "-name"))
        assert (up.index(names[0]) < up.index(names[1])) != (down.index(names[0]) < down.index(names[1]))
        assert down == fresh(client, campaign("P", **{"r-sort": "-name"}), cache)
        warm(client, url, cache)
        real = timezone.localdate
        later = due + timedelta(days=1)
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: later if value is None else real(value, tz)
        )
        assert 'class="late-badge"' in after_change(client, url, cache)


@pytest.mark.django_db
def test_a_cache_that_is_down_costs_rendering_not_the_page(
    client, tree, viewer, settings, monkeypatch, caplog
):
    monkeypatch.setattr(fragments, "_down_until", 0.0)
    url = dashboard("P")
    settings.CACHES = {
        **settings.CACHES,
        fragments.ALIAS: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    expected = page(client, url)
    settings.CACHES = {
        **settings.CACHES,
        fragments.ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    assert page(client, url) == expected
    assert "fragment cache read failed" in caplog.text
    assert page(client, url) == expected  # and again, without asking the dead cache meanwhile


def test_the_key_covers_language_and_code():
    from django.utils import translation

    with translation.override("vi"):
        vi = fragments.fragment_key("x", 1)
    with translation.override("en"):
        en = fragments.fragment_key("x", 1)
    assert vi != en
    assert fragments.code_digest() in vi


def _settings_caches(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL", "CACHE_KEY_PREFIX"}}
    code = (
        "import config.settings as s; c = s.CACHES['fragments']; "
        "print(c['BACKEND'], c.get('LOCATION'), c.get('KEY_PREFIX'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env={**clean, **env}, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "LocMemCache fragments None"),
        (
            {"CACHE_URL": "redis://cache.internal:6379/2"},
            "RedisCache redis://cache.internal:6379/2 soket:fragments",
        ),
        (
            {"REDIS_URL": "redis://old.internal:6379/0"},
            "RedisCache redis://old.internal:6379/0 soket:fragments",
        ),
        (
            {"CACHE_URL": "redis://a:6379/0", "REDIS_URL": "redis://b:6379/0", "CACHE_KEY_PREFIX": "site2"},
            "RedisCache redis://a:6379/0 site2:fragments",
        ),
    ],
)
def test_cache_url_selects_the_cache(env, expected):
    result = _settings_caches(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(expected)


def test_a_cache_url_that_is_not_redis_stops_start_up():
    result = _settings_caches({"CACHE_URL": "memcached://x:11211"})
    assert result.returncode != 0 and "CACHE_URL must be a Redis URL" in result.stderr
