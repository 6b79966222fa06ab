"""Indicators assigned from above in the pages: the assignee's dashboard and report (PDF's HTML,
DOCX) with both sentences, the assign page, and the side-by-side page of the committee above."""

import io
import json

import pytest
from django.urls import reverse
from docx import Document

from indicators.assignments import indicator_assign
from indicators.models import Indicator
from indicators.services.resolutions import resolution_create
from reviews.report.docx import report_docx
from reviews.report.html import report_html
from tests import assigned_case

OWN = "10/18 chỉ tiêu có khả năng đạt và vượt; 6 chỉ tiêu khó đạt; 2 chỉ tiêu không đạt"
ASSIGNED = (
    "Thực hiện chỉ tiêu Nghị quyết Đại hội tỉnh trên địa bàn: 10/17 chỉ tiêu có khả năng đạt và vượt; "
    "4 chỉ tiêu khó đạt; 2 chỉ tiêu không đạt; 1 chỉ tiêu chưa đánh giá"
)


@pytest.fixture
def ls(term):
    return assigned_case.build(term)


def _url(name, code, **query):
    params = "&".join(f"{k}={v}" for k, v in {"term": "2020-2025", **query}.items())
    return f"{reverse(name, args=[code])}?{params}"


def test_the_assignees_dashboard_shows_both_sentences_and_a_section_apart(client, make_user, ls):
    client.force_login(make_user("ls", ls.district, role="secretary"))
    html = client.get(_url("dashboard", "HB-LS")).content.decode()
    assert f'<p class="tally-sentence">{OWN}</p>' in html
    assert f'<p class="assigned-sentence">{ASSIGNED}</p>' in html
    assert "Chỉ tiêu cấp trên giao – Nghị quyết 17-NQ/ĐH" in html


def test_the_assignees_form_has_the_assigned_indicators_in_their_own_section(client, make_user, ls):
    client.force_login(make_user("ls", ls.district, role="secretary"))
    html = client.get(_url("assess", "HB-LS")).content.decode()
    assert "Nghị quyết 17-NQ/ĐH" in html and "chỉ tiêu cấp trên giao" in html
    assert html.index("25-NQ/ĐH") < html.index("17-NQ/ĐH")  # own resolution first


def test_the_api_adds_assigned_beside_own(client, make_user, ls):
    client.force_login(make_user("ls", ls.district, role="viewer"))
    shape = json.loads(client.get(_url("api_tally", "HB-LS")).content)
    assert shape["own"]["total"] == 18
    assert shape["assigned"]["from"] == "HB" and shape["assigned"]["total"] == 17
    assert shape["assigned"]["achieved"] == 10


def test_the_report_has_the_assigned_section_in_html_and_docx(ls):
    html = report_html(committee=ls.district)
    assert OWN in html and ASSIGNED in html
    assert "3. Thực hiện chỉ tiêu cấp trên giao trên địa bàn" in html
    assert "Chỉ tiêu cấp trên giao – Nghị quyết số 17-NQ/ĐH" in html  # the annex's group
    doc = Document(io.BytesIO(report_docx(committee=ls.district)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert OWN in text and ASSIGNED in text
    assert "3. Thực hiện chỉ tiêu cấp trên giao trên địa bàn" in text


def test_a_report_without_assigned_indicators_has_no_such_section(ls):
    assert "cấp trên giao trên địa bàn" not in report_html(committee=ls.neighbour.parent)


def test_the_assign_page_assigns_with_local_targets(client, make_user, ls):
    client.force_login(make_user("office", ls.province, role="viewer"))
    indicator = ls.above[4]
    page = client.get(_url("assign", "HB", indicator=indicator.pk)).content.decode()
    assert 'name="target-HB-LS" value="65"' in page and "đã giao" in page
    response = client.post(
        _url("assign", "HB", indicator=indicator.pk), {"target-HB-KS": "≥ 72", "target-HB-LS": "66"}
    )
    assert response.status_code == 302
    targets = dict(
        Indicator.objects.filter(assigned_from=indicator).values_list("resolution__committee__code", "target")
    )
    assert targets == {"HB-LS": "66", "HB-KS": "≥ 72"}


def test_an_error_names_the_row_and_nothing_is_saved(client, make_user, make_committee, ls):
    client.force_login(make_user("office", ls.province, role="viewer"))
    indicator = ls.above[5]
    # Lạc Thủy has a resolution of its own numbered like the province's: refused for that row.
    lac_thuy = make_committee("HB-LT", parent=ls.province, name="Huyện ủy Lạc Thủy")
    resolution_create(committee=lac_thuy, number="17-NQ/ĐH")
    response = client.post(
        _url("assign", "HB", indicator=indicator.pk), {"target-HB-LT": "70", "target-HB-LS": "60"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-HB-LT"' in page and "Đơn vị HB-LT đã có nghị quyết số 17-NQ/ĐH" in page
    assert Indicator.objects.get(assigned_from=indicator).target == "65"  # Lương Sơn's unchanged too


def test_the_assignee_may_not_assign(client, make_user, ls):
    client.force_login(make_user("ls", ls.district, role="secretary"))
    response = client.post(_url("assign", "HB", indicator=ls.above[0].pk), {"target-HB-KS": "1"})
    assert response.status_code == 404  # the province is not visible from the district


def test_the_side_by_side_page_lists_the_ones_holding_back_first(client, make_user, ls):
    client.force_login(make_user("office", ls.province, role="viewer"))
    html = client.get(_url("assigned_below", "HB", indicator=ls.above[10].pk)).content.decode()
    assert html.index("Huyện ủy Lương Sơn") < html.index("Huyện ủy Kim Bôi")
    assert "Khó đạt" in html and "Thiếu vốn" in html
    assert "1/2 đơn vị có khả năng đạt và vượt" in html
    assert "Chỉ tiêu tỉnh 1." not in html  # only the chosen indicator


@pytest.mark.parametrize("extra", [0, 5])
def test_the_new_pages_take_the_same_queries_on_two_tree_sizes(
    client, make_user, make_committee, term, django_assert_num_queries, extra
):
    ls = assigned_case.build(term)
    for n in range(extra):
        child = make_committee(f"HB-N{n}", parent=ls.province)
        for indicator in ls.above[:4]:
            indicator_assign(indicator=indicator, assignee=child, target="1")
    client.force_login(make_user("office", ls.province, role="viewer"))
    # session, user, the committee with its term, roles, the header's unread count; then the one read of every
    # assignee's row
    with django_assert_num_queries(6):
        assert client.get(_url("assigned_below", "HB")).status_code == 200
    # … and for the assign page: the Congress indicators, the children, the targets already given
    with django_assert_num_queries(8):
        assert client.get(_url("assign", "HB", indicator=ls.above[0].pk)).status_code == 200


def test_the_side_by_side_page_is_cards_on_a_phone_each_cell_naming_its_column(client, make_user, ls):
    """At 360 px the table was a box scrolling sideways with the status cut at the edge (#27 walk):
    it is the site's "table as cards" (.table-container), every value cell naming its column."""
    client.force_login(make_user("office", ls.province, role="viewer"))
    html = client.get(_url("assigned_below", "HB", indicator=ls.above[10].pk)).content.decode()
    assert '<div class="table-container">' in html and "table-wrap" not in html
    assert '<span class="cell-label">Mục tiêu giao: </span>65 %' in html
    assert '<span class="cell-label">Thực hiện: </span>50 %</td>' in html  # with its unit, as the target
    assert '<td class="card-status"><span class="status status-hard">' in html
