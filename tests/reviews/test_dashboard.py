"""The dashboard and the trouble list: figures, drill-down, access, both tree shapes, constant queries."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst

from indicators.models import Assessment, Committee, Role, Term
from indicators.services.terms import term_get_or_create
from reviews.models import Review, ReviewState
from reviews.selectors import review_checklist
from tests.conftest import fill_document

from .dashboard_data import build_tree, demo  # noqa: F401  (fixture)


def dashboard(code, term="2020-2025", **params):
    query = "&".join(f"{k}={v}" for k, v in {"term": term, **params}.items())
    return f"{reverse('dashboard', args=[code])}?{query}"


def _indicator_rows(response):
    """Every indicator row of the dashboard, across its tables (one per resolution)."""
    return [row for _resolution, table in response.context["indicator_groups"] for row in table.rows]


def trouble(code, term="2020-2025", **params):
    query = "&".join(f"{k}={v}" for k, v in {"term": term, **params}.items())
    return f"{reverse('trouble', args=[code])}?{query}"


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemoFigures:
    @pytest.fixture
    def viewer(self, make_user):
        def make(code):
            term = Term.objects.get(code="2020-2025")
            return make_user(f"viewer-{code}", Committee.objects.get(term=term, code=code))

        return make

    def test_province_dashboard_shows_the_seed_sentence_and_subtree_totals(self, client, viewer):
        client.force_login(viewer("BK"))
        html = client.get(dashboard("BK")).content.decode()
        assert "54/66 chỉ tiêu có khả năng đạt và vượt; 11 chỉ tiêu khó đạt; 1 chỉ tiêu không đạt" in html
        assert "Toàn tỉnh (7 huyện, 1 thành phố; 96 xã, 6 phường, 6 thị trấn; 1 chi bộ):" in html

    def test_province_dashboard_compares_districts_with_drill_down_links(self, client, viewer):
        client.force_login(viewer("BK"))
        response = client.get(dashboard("BK"))
        rows = {row.record.code: row.record for row in response.context["children_table"].rows}
        assert len(rows) == 8
        assert (rows["BK-CD"].achieved, rows["BK-CD"].total) == (17, 31)
        html = response.content.decode()
        assert f'href="{dashboard("BK-CD")}"' in html
        assert "17/31" in html  # in the chart too

    def test_district_dashboard_shows_its_own_figures_and_breadcrumb(self, client, viewer):
        client.force_login(viewer("BK"))
        html = client.get(dashboard("BK-CD")).content.decode()
        assert "17/31 chỉ tiêu có khả năng đạt và vượt" in html
        assert "Toàn huyện (19 xã, 1 thị trấn; 1 chi bộ):" in html
        assert f'<a href="{dashboard("BK")}">Đảng bộ tỉnh Bắc Kạn</a>' in html

    def test_commune_dashboard_lists_its_indicators_with_status_badges(self, client, viewer):
        client.force_login(viewer("BK-CD"))
        response = client.get(dashboard("BK-CD-NC"))
        html = response.content.decode()
        assert _indicator_rows(response)
        assert '<span class="status status-achieved">Đạt và vượt</span>' in html
        assert f'<a href="{dashboard("BK-CD")}">' in html

    def test_district_viewer_cannot_see_another_district(self, client, viewer):
        client.force_login(viewer("BK-CD"))
        assert client.get(dashboard("BK-CM")).status_code == 404
        assert client.get(trouble("BK-CM")).status_code == 404

    def test_trouble_list_holds_every_hard_and_not_achieved_indicator_of_the_subtree(self, client, viewer):
        client.force_login(viewer("BK"))
        response = client.get(trouble("BK-CD"))
        # BK-CD's subtree: 47 hard + 25 not achieved.
        assert response.context["table"].paginator.count == 72
        statuses = {row.record.assessment.status for row in response.context["table"].paginated_rows}
        assert statuses <= {"hard", "not_achieved", "not_assessable"}

    def test_the_unfiltered_trouble_lists_count_is_its_rows_read_off_the_counters(self, client, viewer):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from reviews.selectors import trouble_indicators

        client.force_login(viewer("BK"))
        for code in ("BK", "BK-CD", "BK-CD-NC"):
            committee = Committee.objects.get(term__code="2020-2025", code=code)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(trouble(code))
            assert (
                response.context["table"].paginator.count == trouble_indicators(committee=committee).count()
            )
            # Never a COUNT over the subtree's indicators (30 ms for a province, issue 29).
            assert not [q for q in queries if "COUNT(" in q["sql"] and "indicators_indicator" in q["sql"]]
        # Any filter, an invalid value included, counts the rows it keeps.
        assert client.get(trouble("BK-CD", status="not_achieved")).context["table"].paginator.count == 25
        for params in ({"status": "bogus"}, {"field": "economy"}, {"district": "BK-CD"}):
            response = client.get(trouble("BK", **params))
            assert response.context["table"].paginator.count == response.context["filter"].qs.count()

    def test_trouble_list_filters_by_field_and_status(self, client, viewer):
        client.force_login(viewer("BK"))
        response = client.get(trouble("BK-CD", status="not_achieved"))
        assert response.context["table"].paginator.count == 25
        response = client.get(trouble("BK-CD", field="economy"))
        records = list(response.context["filter"].qs)
        assert records and all(r.field == "economy" for r in records)


@pytest.mark.django_db
class TestSmallTrees:
    def test_anonymous_visitor_is_sent_to_login(self, client, tree):
        response = client.get(dashboard("P"))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_stranger_gets_404_for_another_province(self, client, tree, make_user, make_committee):
        other = make_committee("Q")
        client.force_login(make_user("q-viewer", other))
        assert client.get(dashboard("P")).status_code == 404
        assert client.get(trouble("P")).status_code == 404

    def test_children_table_shows_review_state_of_each_child(self, client, tree, make_user, make_committee):
        Review.objects.create(committee=tree["P-D2"], state=ReviewState.SUBMITTED)
        make_committee("P-D3", tree["P"])  # no review, nothing assessed
        client.force_login(make_user("v", tree["P"]))
        html = client.get(dashboard("P")).content.decode()
        assert '<span class="review-badge review-badge-submitted">Đã gửi cấp trên</span>' in html
        # P-D3 never opened its review nor assessed anything: "not started", as the campaign says.
        assert html.count('<span class="review-badge review-badge-not_started">Chưa bắt đầu</span>') == 2
        # P-D1 has no review row yet but its indicators are assessed: work has begun, a draft.
        drafts = html.count('<span class="review-badge review-badge-draft">Dự thảo</span>')
        assert drafts == 3  # P-D1 in the children table and the campaign table, P's own panel
        Review.objects.create(committee=tree["P-D1"], state=ReviewState.DRAFT)
        html = client.get(dashboard("P")).content.decode()
        assert html.count('<span class="review-badge review-badge-draft">Dự thảo</span>') == drafts

    def test_indicator_filter_by_status_is_in_the_url(self, client, tree, make_user):
        client.force_login(make_user("v", tree["P"]))
        response = client.get(dashboard("P", status="hard"))
        assert [r.record.assessment.status for r in _indicator_rows(response)] == ["hard"]
        assert 'value="hard" selected' in response.content.decode()

    def test_indicator_filter_by_the_exceeded_mark(self, client, tree, make_user):
        """Lào Cai's 12 "vượt" among its 23 achieved can be listed on their own (#27 walk): the
        status filter offers "Vượt" under "Đạt và vượt"."""
        Assessment.objects.filter(indicator__resolution__committee=tree["P"], indicator__number="2").update(
            exceeded=True
        )
        client.force_login(make_user("v", tree["P"]))
        response = client.get(dashboard("P", status="exceeded"))
        assert [r.record.number for r in _indicator_rows(response)] == ["2"]
        assert (
            '<option value="exceeded" selected>Vượt (trong đạt và vượt)</option>' in response.content.decode()
        )
        achieved = client.get(dashboard("P", status="achieved"))
        assert [r.record.number for r in _indicator_rows(achieved)] == ["1", "2"]

    def test_bad_filter_values_are_ignored_not_a_500(self, client, tree, make_user):
        client.force_login(make_user("v", tree["P"]))

        def shown(response):
            assert response.status_code == 200
            children = [row.record.code for row in response.context["children_table"].rows]
            return [r.record.pk for r in _indicator_rows(response)], children

        plain = shown(client.get(dashboard("P")))
        assert len(plain[0]) == 4 and len(plain[1]) == 2
        bad = dashboard("P", status="nonsense", field="x", explain="2", **{"c-sort": "nope", "i-sort": "zz"})
        assert shown(client.get(bad)) == plain  # every bad value dropped: the list as unfiltered
        # A bad value beside a good one drops only itself.
        mixed = client.get(dashboard("P", status="hard", field="x"))
        assert [r.record.assessment.status for r in _indicator_rows(mixed)] == ["hard"]

    def test_trouble_link_counts_the_subtree(self, client, tree, make_user):
        client.force_login(make_user("v", tree["P"]))
        html = client.get(dashboard("P")).content.decode()
        # P: 1 hard + 1 not achieved; D1: 1 hard; communes: 4 hard.
        assert "7 chỉ tiêu cần chú ý" in html
        assert f'href="{trouble("P")}"' in html

    def test_commune_without_children_has_no_children_table_or_subtree_sentence(
        self, client, tree, make_user
    ):
        client.force_login(make_user("v", tree["P"]))
        response = client.get(dashboard("P-D1-C1"))
        assert response.context["children_table"] is None
        assert "Toàn xã" not in response.content.decode()


@pytest.mark.django_db
class TestTwoTerms:
    """The 2020–2025 three-level tree and the 2025–2030 two-level tree (districts abolished)."""

    @pytest.fixture
    def terms(self):
        old = term_get_or_create(code="2020-2025")[0]
        new = term_get_or_create(code="2025-2030")[0]
        build_tree(old, code="BK", districts=2, communes=3)
        build_tree(new, code="BK", districts=2, communes=3, two_level=True)
        return old, new

    def test_three_level_term_shows_districts(self, admin_client, terms):
        response = admin_client.get(dashboard("BK", "2020-2025"))
        assert [r.record.committee.level for r in response.context["children_table"].rows] == ["district"] * 2
        assert "Toàn tỉnh (2 huyện; 6 xã):" in response.content.decode()

    def test_two_level_term_shows_communes_directly_under_the_province(self, admin_client, terms):
        response = admin_client.get(dashboard("BK", "2025-2030"))
        assert [r.record.committee.level for r in response.context["children_table"].rows] == ["commune"] * 6
        html = response.content.decode()
        assert "Toàn tỉnh (6 xã):" in html
        assert "huyện" not in response.context["subtree_sentence"]

    def test_term_switcher_links_the_same_code_in_the_other_term(self, admin_client, terms):
        html = admin_client.get(dashboard("BK", "2025-2030")).content.decode()
        assert f'href="{dashboard("BK", "2020-2025")}"' in html
        assert '<span class="current" aria-current="page">2025 – 2030</span>' in html

    def test_without_term_the_newest_term_is_shown(self, admin_client, terms):
        response = admin_client.get(reverse("dashboard", args=["BK"]))
        assert response.context["term"].code == "2025-2030"


@pytest.mark.django_db
class TestConstantQueries:
    """Pages cost the same number of queries on a tree 10× larger (and more indicators each)."""

    # session, user, the committee with its term, roles, then the page's own reads; every HTML page adds the
    # header's unread count; the dashboard adds "Chờ duyệt" (1) and the campaign panel (2), whose
    # children rows also give the children table its review states; its predecessors and successors
    # across terms are one query (indicators.selectors.committee_lineage). Its count of indicators that
    # need an explanation is read off its own (unfiltered) indicator list: no query.
    # trouble: 8 with the province's districts (the district column and filter).
    PINNED = {"dashboard": 14, "trouble": 8, "api_tally": 6, "api_reporting": 6}

    @pytest.mark.parametrize("page", ["dashboard", "trouble", "api_tally", "api_reporting"])
    def test_query_count_does_not_grow_with_the_tree(
        self, client, make_user, django_assert_num_queries, page
    ):
        small = build_tree(
            term_get_or_create(code="2020-2025")[0], code="S", districts=2, communes=3, indicators=4
        )
        big = build_tree(
            term_get_or_create(code="2025-2030")[0], code="B", districts=8, communes=10, indicators=12
        )
        assert Committee.objects.in_subtree(big).count() >= 9 * Committee.objects.in_subtree(small).count()
        user = make_user("v", small)
        Role.objects.create(user=user, committee=big, role="viewer")
        client.force_login(user)
        for code, term in (("S", "2020-2025"), ("B", "2025-2030")):
            url = f"{reverse(page, args=[code])}?term={term}"
            client.get(url)  # template loading is not what is measured
            with django_assert_num_queries(self.PINNED[page]):
                assert client.get(url).status_code == 200

    # A commune (nothing below): no children to read, and no assigned tally to count when its
    # own list holds no assigned indicator; the committees above it come with it (no query).
    COMMUNE = 12

    @pytest.mark.parametrize("indicators", [4, 12])
    def test_a_commune_dashboard_reads_no_children_and_no_assigned_tally(
        self, client, make_user, django_assert_num_queries, indicators
    ):
        root = build_tree(
            term_get_or_create(code="2020-2025")[0], code="S", districts=2, communes=3, indicators=indicators
        )
        commune = Committee.objects.get(code="S-D1-X2")
        client.force_login(make_user("v", root))
        url = f"{reverse('dashboard', args=[commune.code])}?term=2020-2025"
        client.get(url)
        with django_assert_num_queries(self.COMMUNE):
            response = client.get(url)
        assert response.status_code == 200
        assert response.context["rollup"].children == []
        assert response.context["assigned"] is None

    @pytest.mark.parametrize("indicators", [4, 12])
    def test_a_secretarys_checklist_is_judged_from_the_dashboards_own_list(
        self, client, make_user, django_assert_num_queries, indicators
    ):
        """The secretary who may send sees what is missing, from the rows the page has read: a
        viewer's commune page but "Chờ duyệt" (a commune's secretary approves nothing below), and
        no query for the checklist (the review never saved has no lists to look for)."""
        root = build_tree(
            term_get_or_create(code="2020-2025")[0], code="S", districts=2, communes=3, indicators=indicators
        )
        commune = Committee.objects.get(code="S-D1-X2")
        client.force_login(make_user("s", commune, role="secretary"))
        url = f"{reverse('dashboard', args=[commune.code])}?term=2020-2025"
        client.get(url)
        with django_assert_num_queries(self.COMMUNE - 1):
            response = client.get(url)
        review = response.context["review"] or Review(committee=commune, stage="mid")
        expected = review_checklist(committee=commune, review=review)
        assert expected and root != commune
        page = response.content.decode()
        for missing in expected:
            assert escape(capfirst(missing.message)) in page and escape(missing.url(commune, "mid")) in page

    def test_a_saved_review_with_steps_costs_one_query_more(
        self, client, make_user, django_assert_num_queries
    ):
        from reviews.models import ReviewAction
        from reviews.services import review_step

        root = build_tree(
            term_get_or_create(code="2020-2025")[0], code="S", districts=2, communes=3, indicators=4
        )
        secretary = make_user("s", root, role="secretary")
        Assessment.objects.filter(indicator__resolution__committee=root).update(status="achieved")
        fill_document(root)
        review_step(committee=root, step=ReviewAction.SUBMIT, by=secretary)
        client.force_login(make_user("v", root))
        url = f"{reverse('dashboard', args=['S'])}?term=2020-2025"
        client.get(url)
        # The review and its committee come in one query with the page's own reads; the +1 is
        # the panel's latest workflow step. Its committee and term are never fetched again.
        with django_assert_num_queries(self.PINNED["dashboard"] + 1):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
class TestHome:
    def test_user_with_one_committee_goes_to_its_dashboard(self, client, tree, make_user):
        client.force_login(make_user("v", tree["P-D1"]))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"] == dashboard("P-D1")

    def test_staff_sees_the_top_of_the_tree_with_tallies(self, client, tree, make_user):
        client.force_login(make_user("staff", is_staff=True))
        html = client.get(reverse("home")).content.decode()
        assert f'href="{dashboard("P")}"' in html and f'href="{dashboard("P-D1")}"' in html
        assert "2/4 chỉ tiêu có khả năng đạt và vượt" in html

    def test_user_with_two_committees_gets_the_list(self, client, tree, make_user):
        user = make_user("v", tree["P-D1"])
        Role.objects.create(user=user, committee=tree["P-D2"], role="viewer")
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert f'href="{dashboard("P-D1")}"' in html and f'href="{dashboard("P-D2")}"' in html
