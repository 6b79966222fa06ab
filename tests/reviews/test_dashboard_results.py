"""Dashboards with results over time: the "Gợi ý" column, the "Cần giải trình" filter and count."""

import pytest
from django.urls import reverse

from indicators.models import Assessment, Committee, Role, Term
from indicators.services.terms import term_get_or_create

from .dashboard_data import build_tree, demo  # noqa: F401  (fixture)


def page(name, code, **query):
    params = "&".join(f"{k}={v}" for k, v in {"term": "2020-2025", **query}.items())
    return f"{reverse(name, args=[code])}?{params}"


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemo:
    @pytest.fixture
    def viewer(self, client, make_user):
        bk = Committee.objects.get(term=Term.objects.get(code="2020-2025"), code="BK")
        client.force_login(make_user("v", bk))
        return client

    def test_dashboard_counts_and_links_the_judgements_the_numbers_do_not_support(self, viewer):
        """The demo's three disagreements all carry a note: explained, not to explain."""
        html = viewer.get(page("dashboard", "BK")).content.decode()
        assert "2 chỉ tiêu khác gợi ý đã giải trình" in html
        assert "chỉ tiêu cần giải trình" not in html
        assert 'href="?term=2020-2025&amp;explain=explained#indicators"' in html
        assert f'href="{reverse("trouble", args=["BK"])}?term=2020-2025&amp;explain=all"' in html

    @pytest.mark.parametrize("query", [{"status": "achieved"}, {"field": "economy"}, {"explain": "1"}])
    def test_a_filtered_list_still_counts_every_disagreement(self, viewer, query):
        """Unfiltered, the count is read off the page's list; filtered, the list is not all of them."""
        html = viewer.get(page("dashboard", "BK", **query)).content.decode()
        assert "2 chỉ tiêu khác gợi ý đã giải trình" in html

    def test_the_filter_keeps_only_those_and_shows_the_suggestion_with_a_sparkline(self, viewer):
        response = viewer.get(page("dashboard", "BK", explain="explained"))
        rows = [table.rows for _resolution, table in response.context["indicator_groups"]]
        numbers = [row.record.number for table_rows in rows for row in table_rows]
        assert numbers == ["1", "58"]
        html = response.content.decode()
        assert '<span class="explained">đã giải trình</span>' in html
        assert '<strong class="needs-explanation">' not in html
        assert (
            "<title>Kết quả từng năm: 2020: 5,1; 2021: 4,1; 2022: 4,5; 2023 (ước): 4,3; mục tiêu 6,5</title>"
            in html
        )

    def test_a_disagreement_without_a_note_needs_explaining_and_the_filter_tells_them_apart(self, viewer):
        Assessment.objects.filter(indicator__resolution__committee__code="BK", indicator__number="58").update(
            note=""
        )
        html = viewer.get(page("dashboard", "BK")).content.decode()
        assert "1 chỉ tiêu cần giải trình" in html and "1 chỉ tiêu khác gợi ý đã giải trình" in html
        assert '<strong class="needs-explanation">cần giải trình</strong>' in html
        for explain, expected in (("1", ["58"]), ("explained", ["1"]), ("all", ["1", "58"])):
            response = viewer.get(page("dashboard", "BK", explain=explain))
            rows = [
                row.record.number for _r, table in response.context["indicator_groups"] for row in table.rows
            ]
            assert rows == expected, explain
        below = viewer.get(page("trouble", "BK", explain="1"))
        assert [r.record.number for r in below.context["table"].rows] == ["58"]
        assert "<h1>Chỉ tiêu cần giải trình</h1>" in below.content.decode()

    def test_subtree_list_holds_every_disagreement_whatever_its_status(self, viewer):
        response = viewer.get(page("trouble", "BK", explain="all"))
        found = [
            (r.record.resolution.committee.code, r.record.number) for r in response.context["table"].rows
        ]
        assert found == [("BK", "1"), ("BK", "58"), ("BK-CD", "1")]
        # BK 58 is "achieved" while its numbers say "hard": not in the plain hard/not-achieved list.
        plain = viewer.get(page("trouble", "BK", per_page="200")).context["table"].rows
        assert ("BK", "58") not in [(r.record.resolution.committee.code, r.record.number) for r in plain]

    def test_export_values_carry_the_suggestion_in_words(self, viewer):
        table = viewer.get(page("trouble", "BK", explain="all")).context["table"]
        header, first, *_rest = table.as_values()
        assert first[list(header).index("Gợi ý")] == "Không đạt (đã giải trình)"

    def test_the_subtree_list_of_disagreements_says_so_and_offers_every_status(self, viewer):
        html = viewer.get(page("trouble", "BK", explain="all")).content.decode()
        assert "<h1>Chỉ tiêu khác gợi ý</h1>" in html
        assert "Chỉ tiêu cần chú ý" not in html
        assert '<option value="achieved">Đạt và vượt</option>' in html
        assert (
            "<h1>Chỉ tiêu khác gợi ý đã giải trình</h1>"
            in viewer.get(page("trouble", "BK", explain="explained")).content.decode()
        )
        plain = viewer.get(page("trouble", "BK")).content.decode()
        assert "<h1>Chỉ tiêu cần chú ý</h1>" in plain

    def test_the_indicator_list_is_folded_unless_filtered_or_sorted(self, viewer):
        assert '<details class="indicator-fold">' in viewer.get(page("dashboard", "BK")).content.decode()
        queries = ({"explain": "explained"}, {"status": "hard"}, {"field": "economy"}, {"i-sort": "number"})
        for query in queries:
            html = viewer.get(page("dashboard", "BK", **query)).content.decode()
            assert '<details class="indicator-fold" open>' in html, query

    def test_filtering_comes_back_to_the_indicator_list(self, viewer):
        html = viewer.get(page("dashboard", "BK")).content.decode()
        assert f'class="filter-form" action="{reverse("dashboard", args=["BK"])}#indicators"' in html

    def test_a_district_counts_its_own(self, viewer):
        html = viewer.get(page("dashboard", "BK-CD")).content.decode()
        assert "1 chỉ tiêu khác gợi ý đã giải trình" in html


@pytest.mark.django_db
def test_the_explanation_list_costs_the_same_queries_on_a_tree_ten_times_larger(
    client, make_user, django_assert_num_queries
):
    small = build_tree(
        term_get_or_create(code="2020-2025")[0], code="S", districts=2, communes=3, indicators=4
    )
    big = build_tree(
        term_get_or_create(code="2025-2030")[0], code="B", districts=8, communes=10, indicators=12
    )
    # Every hard indicator's numbers "suggest" achieved: each tree has disagreements to list.
    Assessment.objects.filter(status="hard").update(suggested_status="achieved", progress=1.0)
    user = make_user("v", small)
    Role.objects.create(user=user, committee=big, role="viewer")
    client.force_login(user)
    for code, term in (("S", "2020-2025"), ("B", "2025-2030")):
        url = f"{reverse('trouble', args=[code])}?term={term}&explain=all"
        client.get(url)
        with django_assert_num_queries(8):  # as the plain trouble list (tests/reviews/test_dashboard.py)
            assert client.get(url).status_code == 200
