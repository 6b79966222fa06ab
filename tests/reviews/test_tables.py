"""The dashboard's tables: sorting by every column, filters in the URL, CSV and xlsx exports."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from reviews.models import Review, ReviewState


@pytest.fixture
def viewer_client(client, tree, make_user):
    client.force_login(make_user("v", tree["P"]))
    return client


def _page(client, **params):
    params = {"term": "2020-2025", **params}
    return client.get(reverse("dashboard", args=["P"]), params)


def _codes(response):
    return [row.record.code for row in response.context["children_table"].rows]


@pytest.fixture
def varied(tree, make_indicators):
    """Make the two districts differ: D2 gets more achieved, and a submitted review."""
    make_indicators(tree["P-D2"], ["achieved"] * 4, number="02-NQ/ĐH")
    Review.objects.create(committee=tree["P-D2"], state=ReviewState.SUBMITTED)
    return tree


@pytest.mark.django_db
class TestChildrenTable:
    @pytest.mark.parametrize(
        ("column", "ascending"),
        [
            ("name", ["P-D1", "P-D2"]),
            ("code", ["P-D1", "P-D2"]),
            ("achieved", ["P-D1", "P-D2"]),  # 1 vs 5
            ("total", ["P-D1", "P-D2"]),  # 2 vs 6
            ("share", ["P-D1", "P-D2"]),  # 50% vs 83%
            ("hard", ["P-D2", "P-D1"]),  # 0 vs 1
            ("not_achieved", ["P-D1", "P-D2"]),  # ties keep code order
            ("not_assessed", ["P-D1", "P-D2"]),  # 0 vs 1
            ("review_state", ["P-D1", "P-D2"]),  # draft before submitted
        ],
    )
    def test_every_column_sorts_both_ways(self, viewer_client, varied, column, ascending):
        assert _codes(_page(viewer_client, **{"c-sort": column})) == ascending
        if column != "not_achieved":
            assert _codes(_page(viewer_client, **{"c-sort": f"-{column}"})) == ascending[::-1]

    def test_headers_are_sort_links_keeping_the_term(self, viewer_client, varied):
        html = _page(viewer_client).content.decode()
        assert "c-sort=share" in html and "term=2020-2025" in html

    def test_csv_export_reads_back_with_numbers(self, viewer_client, varied):
        response = _page(viewer_client, _export="csv")
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [
            "Đơn vị",
            "Mã",
            "Đạt và vượt",
            "Tổng số",
            "Tỷ lệ đạt",
            "Khó đạt",
            "Không đạt",
            "Chưa đánh giá",
            "Báo cáo sơ kết",
        ]
        assert rows[1] == ["Đảng bộ P-D1", "P-D1", "1", "2", "50.0", "1", "0", "0", "Dự thảo"]
        assert rows[2] == ["Đảng bộ P-D2", "P-D2", "5", "6", "83.3", "0", "0", "1", "Đã gửi cấp trên"]

    def test_xlsx_export_reads_back_with_openpyxl_in_the_chosen_order(self, viewer_client, varied):
        response = _page(viewer_client, _export="xlsx", **{"c-sort": "-share"})
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "Đơn vị"
        assert [r[1] for r in rows[1:]] == ["P-D2", "P-D1"]
        assert rows[1][0] == "Đảng bộ P-D2" and "<a" not in rows[1][0]

    def test_unknown_export_format_shows_the_page(self, viewer_client, varied):
        response = _page(viewer_client, _export="pdf")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
class TestIndicatorTable:
    def test_filter_by_field_and_status_combine(self, client, tree, make_user, make_indicators):
        from indicators.models import Indicator

        Indicator.objects.of_committee(tree["P"]).filter(text="Chỉ tiêu 3").update(field="environment")
        client.force_login(make_user("v", tree["P"]))
        response = _page(client, field="economy", status="achieved")
        assert [r.record.text for r in response.context["indicator_table"].rows] == [
            "Chỉ tiêu 1",
            "Chỉ tiêu 2",
        ]
        response = _page(client, field="environment")
        assert [r.record.text for r in response.context["indicator_table"].rows] == ["Chỉ tiêu 3"]

    def test_sorting_by_status_and_back_by_number(self, viewer_client):
        response = _page(viewer_client, **{"i-sort": "status"})
        statuses = [r.record.assessment.status for r in response.context["indicator_table"].rows]
        assert statuses == sorted(statuses)
        response = _page(viewer_client, **{"i-sort": "-number"})
        assert [r.record.number for r in response.context["indicator_table"].rows] == ["4", "3", "2", "1"]

    def test_empty_filter_result_says_so(self, viewer_client):
        html = _page(viewer_client, status="not_assessed").content.decode()
        assert "Không có chỉ tiêu nào khớp bộ lọc." in html


@pytest.mark.django_db
class TestTroubleTable:
    def test_rows_link_to_their_committee_and_sort_by_status(self, viewer_client):
        response = viewer_client.get(reverse("trouble", args=["P"]), {"term": "2020-2025", "sort": "-status"})
        table = response.context["table"]
        assert table.paginator.count == 7
        assert [r.record.assessment.status for r in table.paginated_rows][0] == "not_achieved"
        html = response.content.decode()
        assert f'href="{reverse("dashboard", args=["P-D1-C1"])}?term=2020-2025"' in html
        assert '<span class="status status-hard">Khó đạt</span>' in html


def test_user_text_in_table_cells_is_escaped(viewer_client, tree, make_committee):
    from indicators.models import Assessment
    from indicators.services import indicator_create, resolution_create

    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    resolution = resolution_create(committee=tree["P"], number="09-NQ/TU", kind="thematic")
    indicator = indicator_create(resolution=resolution, number="1", text=hostile, status="hard", note=hostile)
    make_committee("P-<b>", tree["P"], name=hostile)
    assert Assessment.objects.get(indicator=indicator).note == hostile

    body = _page(viewer_client).content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert body.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 3  # text, note, child name
    # The badges we build ourselves still render as HTML.
    assert '<span class="status status-hard">' in body
