"""The dashboard's tables: what each rendered cell says under which header, sorting by every column,
filters in the URL, one table per resolution, CSV and xlsx exports."""

import csv
import io
from html.parser import HTMLParser

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


class _Tables(HTMLParser):
    """Every <table> of a page as {"class", "headers", "rows"}; a row is a list of cells, a cell
    the pair (the label it carries for phones, its visible text without that label)."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._in_label, self._in_th, self._in_thead = [], None, False, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"class": attrs.get("class", ""), "headers": [], "rows": []})
        elif tag == "thead":
            self._in_thead = True
        elif tag == "th" and self.tables:
            self._in_th = True
            self.tables[-1]["headers"].append("")
        elif tag == "tr" and self.tables and not self._in_thead:
            self.tables[-1]["rows"].append([])
        elif tag == "td":
            self._cell = ["", ""]
        elif tag == "span" and self._cell is not None and "cell-label" in attrs.get("class", ""):
            self._in_label = True

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_thead = False
        elif tag == "th":
            self._in_th = False
        elif tag == "td" and self._cell is not None:
            self.tables[-1]["rows"][-1].append(
                (self._cell[0].strip().rstrip(":"), " ".join(self._cell[1].split()))
            )
            self._cell = None
        elif tag == "span":
            self._in_label = False

    def handle_data(self, data):
        if self._in_th:
            self.tables[-1]["headers"][-1] += data.strip()
        elif self._cell is not None:
            self._cell[0 if self._in_label else 1] += data


def rendered(html: str, css_class: str) -> list[list[tuple[str, str]]]:
    """The rows of every table with that class, each as (header, text) per cell; fails unless
    every cell sits under the header it names (what a phone shows as the cell's label)."""
    parser = _Tables()
    parser.feed(html)
    tables = [t for t in parser.tables if css_class in t["class"].split()]
    assert tables, f"no table.{css_class}"
    rows = []
    for table in tables:
        for row in table["rows"]:
            if len(row) == 1 and not row[0][0]:  # the empty-text row
                continue
            cells = list(zip(row, table["headers"], strict=True))
            # Every cell names its own header; only an empty cell (no note) carries no label.
            assert all(label == header or (label, text) == ("", "") for (label, text), header in cells), row
            row = [(header, text) for (_label, text), header in cells]
            rows.append(row)
    return rows


def _codes(response):
    return [dict(row)["Mã"] for row in rendered(response.content.decode(), "children-table")]


def _indicator_rows(response):
    return [row for _resolution, table in response.context["indicator_groups"] for row in table.rows]


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
            ("review_state", ["P-D1", "P-D2"]),  # not started before submitted
        ],
    )
    def test_every_column_sorts_both_ways(self, viewer_client, varied, column, ascending):
        assert _codes(_page(viewer_client, **{"c-sort": column})) == ascending
        if column != "not_achieved":
            assert _codes(_page(viewer_client, **{"c-sort": f"-{column}"})) == ascending[::-1]

    def test_each_cell_shows_its_value_under_its_own_header(self, viewer_client, varied):
        rows = rendered(_page(viewer_client).content.decode(), "children-table")
        assert rows == [
            [
                ("Đơn vị", "Đảng bộ P-D1"),
                ("Mã", "P-D1"),
                ("Đạt và vượt", "1"),
                ("Tổng số", "2"),
                ("Tỷ lệ đạt", "50,0%"),
                ("Khó đạt", "1"),
                ("Không đạt", "0"),
                ("Chưa thể đánh giá", "0"),
                ("Chưa đánh giá", "0"),
                ("Báo cáo sơ kết", "Dự thảo"),  # no review row, but its indicators are assessed
            ],
            [
                ("Đơn vị", "Đảng bộ P-D2"),
                ("Mã", "P-D2"),
                ("Đạt và vượt", "5"),
                ("Tổng số", "6"),
                ("Tỷ lệ đạt", "83,3%"),
                ("Khó đạt", "0"),
                ("Không đạt", "0"),
                ("Chưa thể đánh giá", "0"),
                ("Chưa đánh giá", "1"),
                ("Báo cáo sơ kết", "Đã gửi cấp trên"),
            ],
        ]

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
            "Chưa thể đánh giá",
            "Chưa đánh giá",
            "Báo cáo sơ kết",
        ]
        assert rows[1] == ["Đảng bộ P-D1", "P-D1", "1", "2", "50.0", "1", "0", "0", "0", "Dự thảo"]
        assert rows[2] == ["Đảng bộ P-D2", "P-D2", "5", "6", "83.3", "0", "0", "0", "1", "Đã gửi cấp trên"]

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
        assert [r.record.text for r in _indicator_rows(response)] == [
            "Chỉ tiêu 1",
            "Chỉ tiêu 2",
        ]
        response = _page(client, field="environment")
        assert [r.record.text for r in _indicator_rows(response)] == ["Chỉ tiêu 3"]

    def test_sorting_by_status_and_back_by_number(self, viewer_client):
        response = _page(viewer_client, **{"i-sort": "status"})
        statuses = [r.record.assessment.status for r in _indicator_rows(response)]
        assert statuses == sorted(statuses)
        response = _page(viewer_client, **{"i-sort": "-number"})
        assert [r.record.number for r in _indicator_rows(response)] == ["4", "3", "2", "1"]

    def test_each_cell_shows_its_value_with_the_unit_under_its_own_header(self, viewer_client, tree):
        from indicators.models import Assessment, Indicator

        first = Indicator.objects.of_committee(tree["P"]).get(number="1")
        Indicator.objects.filter(pk=first.pk).update(unit="triệu đồng", target="6,5")
        Assessment.objects.filter(indicator=first).update(value="1300", note="Vượt")
        rows = rendered(_page(viewer_client).content.decode(), "indicator-table")
        assert rows[0] == [
            ("STT", "1"),
            ("Chỉ tiêu", "Chỉ tiêu 1"),
            ("Lĩnh vực", "Kinh tế"),
            ("Mục tiêu", "6,5 triệu đồng"),
            ("Giữa nhiệm kỳ", "1300 triệu đồng"),
            ("Đánh giá", "Đạt và vượt"),
            ("Gợi ý", "—"),
            ("Ghi chú", "Vượt"),
        ]
        assert [dict(row)["Đánh giá"] for row in rows] == [
            "Đạt và vượt",
            "Đạt và vượt",
            "Khó đạt",
            "Không đạt",
        ]
        assert dict(rows[3])["Ghi chú"] == "Lý do" and dict(rows[3])["Mục tiêu"] == "—"

    def test_thematic_resolution_has_its_own_table_marked_as_not_counted(
        self, viewer_client, tree, make_indicators
    ):
        make_indicators(tree["P"], ["not_achieved"], number="04-NQ/TU", kind="thematic")
        response = _page(viewer_client)
        groups = response.context["indicator_groups"]
        assert [(r.number, len(t.rows)) for r, t in groups] == [("01-NQ/ĐH", 4), ("04-NQ/TU", 1)]
        html = response.content.decode()
        congress, thematic = html.split('class="resolution-group not-counted"')
        assert "Nghị quyết Đại hội 01-NQ/ĐH" in congress and "không tính vào kết quả chung" not in congress
        assert "Nghị quyết chuyên đề 04-NQ/TU" in thematic and "Không tính vào kết quả chung" in thematic
        assert [dict(row)["STT"] for row in rendered(thematic, "indicator-table")] == ["04-NQ/TU – 1"]
        # The tally above counts the Congress resolution only: one "không đạt", not two.
        assert "2/4 chỉ tiêu có khả năng đạt và vượt" in congress

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
        rows = rendered(html, "trouble-table")
        assert rows[0] == [
            ("Đơn vị", "Đảng bộ P"),
            ("Cấp huyện", "—"),  # the province's own indicator is in no district
            ("STT", "4"),
            ("Chỉ tiêu", "Chỉ tiêu 4"),
            ("Lĩnh vực", "Kinh tế"),
            ("Mục tiêu", "—"),
            ("Giữa nhiệm kỳ", "—"),
            ("Đánh giá", "Không đạt"),
            ("Gợi ý", "—"),
            ("Ghi chú", "Lý do"),
        ]
        assert {dict(row)["Đánh giá"] for row in rows[1:]} == {"Khó đạt"}
        assert {dict(row)["Cấp huyện"] for row in rows[1:]} == {"Đảng bộ P-D1", "Đảng bộ P-D2", "—"}

    def test_an_empty_note_is_an_empty_cell(self, viewer_client):
        rows = rendered(_page(viewer_client).content.decode(), "indicator-table")
        assert dict(rows[0])["Ghi chú"] == "" and dict(rows[2])["Ghi chú"] == "Lý do"


def test_user_text_in_table_cells_is_escaped(viewer_client, tree, make_committee):
    from indicators.models import Assessment
    from indicators.services.indicators import indicator_create
    from indicators.services.resolutions import resolution_create

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


def test_the_page_the_export_and_the_chart_agree_on_27_of_32(
    client, make_committee, make_indicators, make_user
):
    """One rounding rule (indicators.tally.percent): 84,4% on the page, 84.4 in the export, in the chart."""
    import io

    import openpyxl

    from indicators.selectors import committee_rollup
    from reviews.charts import status_chart

    province = make_committee("P27")
    child = make_committee("P27-D", province, name="Đảng bộ huyện Hai Bảy")
    make_indicators(child, ["achieved"] * 27 + ["hard"] * 5)
    client.force_login(make_user("tinhuy", province))
    url = reverse("dashboard", args=["P27"]) + "?term=2020-2025"
    page = client.get(url).content.decode()
    assert "84,4%" in page and "84,3" not in page
    xlsx = client.get(url + "&_export=xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert 84.4 in [cell.value for row in sheet.iter_rows() for cell in row]
    chart = str(status_chart(committee_rollup(committee=child).own, name="x", width=600))
    assert "(84,4%)" in chart


def test_children_sort_by_name_in_vietnamese_order(client, make_committee, make_indicators, make_user):
    province = make_committee("VN")
    for code, name in [
        ("VN-1", "Đảng bộ xã Đồng Thắng"),
        ("VN-2", "Đảng bộ xã Đại Sảo"),
        ("VN-3", "Đảng bộ xã Yên Cư"),
    ]:
        make_indicators(make_committee(code, province, name=name), ["achieved"])
    client.force_login(make_user("tinhuy", province))
    html = client.get(reverse("dashboard", args=["VN"]) + "?term=2020-2025&c-sort=name").content.decode()
    html = html[html.index('id="children"') :]  # the table (the chart keeps the tree's order)
    positions = [html.index(n) for n in ("xã Đại Sảo", "xã Đồng Thắng", "xã Yên Cư")]
    assert positions == sorted(positions)  # by code point "Đ" would come after "Y"
