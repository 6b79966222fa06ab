"""The SVG charts: readable without colour, by screen readers, and by WeasyPrint."""

import re

import defusedxml.ElementTree as ET
import pytest

from indicators.models import Committee
from indicators.selectors import ChildTally, Rollup
from indicators.tally import Tally
from reviews.charts import PAGE_WIDTH, children_chart, status_chart

SVG = "{http://www.w3.org/2000/svg}"


def _rollup(children):
    return Rollup(
        committee=Committee(code="BK", name="Đảng bộ tỉnh Bắc Kạn"),
        own=Tally(achieved=54, hard=11, not_achieved=1),
        children=[ChildTally(committee=Committee(code=c, name=n), tally=t) for c, n, t in children],
        subtree=Tally(),
        subtree_committees=1,
        below_by_level={},
    )


@pytest.fixture
def rollup():
    return _rollup(
        [
            ("BK-CD", "Đảng bộ huyện Chợ Đồn", Tally(achieved=17, hard=10, not_achieved=4)),
            ("BK-X", "Xã <Thử> & Đồng", Tally(achieved=2, not_assessed=3)),
            ("BK-E", "Đảng bộ trống", Tally()),
        ]
    )


def test_children_chart_is_well_formed_svg_with_title_desc_and_role(rollup):
    root = ET.fromstring(str(children_chart(rollup)))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 360 \d+", root.get("viewBox"))
    assert "Đảng bộ tỉnh Bắc Kạn" in root.find(f"{SVG}title").text
    desc = root.find(f"{SVG}desc").text
    assert (
        "Đảng bộ huyện Chợ Đồn: Đạt và vượt: 17; Khó đạt: 10; Không đạt: 4; "
        "Chưa thể đánh giá: 0; Chưa đánh giá: 0"
    ) in desc
    assert root.get("aria-labelledby") == "chart-children-title chart-children-desc"


def test_children_chart_draws_one_labelled_row_per_child_with_achieved_over_total(rollup):
    svg = str(children_chart(rollup))
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "Đảng bộ huyện Chợ Đồn" in texts
    assert "17/31" in texts and "2/5" in texts and "0/0" in texts
    assert "Chưa có chỉ tiêu" in texts  # the empty committee says so instead of an empty bar


def test_children_chart_escapes_committee_names(rollup):
    svg = str(children_chart(rollup))
    assert "Xã &lt;Thử&gt; &amp; Đồng" in svg
    assert "<Thử>" not in svg


def test_charts_use_presentation_attributes_only_and_no_foreign_object(rollup):
    for svg in (str(children_chart(rollup)), str(status_chart(rollup.own))):
        assert "style=" not in svg
        assert "foreignObject" not in svg
        assert "<script" not in svg


def test_each_status_has_its_own_pattern_so_greyscale_still_tells_them_apart(rollup):
    svg = str(children_chart(rollup))
    for status in ("hard", "not_achieved", "not_assessed"):
        assert f'<pattern id="chart-children-{status}"' in svg
        assert f'fill="url(#chart-children-{status})"' in svg

    # Read each status's base colour from the chart's own legend: the stroked swatch drawn
    # just before its label. Achieved is the only solid fill; hard and not assessed are much
    # lighter; not achieved, as dark as achieved, carries a white cross-hatch.
    base, last_fill = {}, None
    for element in ET.fromstring(svg).iter():
        if element.tag == f"{SVG}rect" and element.get("stroke"):
            last_fill = element.get("fill")
        elif element.tag == f"{SVG}text" and element.text in LABELS and last_fill:
            base[LABELS[element.text]] = last_fill
    assert base.keys() == {"achieved", "hard", "not_achieved", "not_assessed"}

    def lightness(colour):
        return sum(int(colour[i : i + 2], 16) * w for i, w in ((1, 0.299), (3, 0.587), (5, 0.114)))

    assert lightness(base["hard"]) - lightness(base["achieved"]) > 50
    assert lightness(base["not_assessed"]) - lightness(base["hard"]) > 30
    assert abs(lightness(base["not_achieved"]) - lightness(base["achieved"])) < 40
    assert 'fill="url(#chart-children-achieved)"' not in svg
    not_achieved = re.search(r'<pattern id="chart-children-not_achieved".*?</pattern>', svg).group(0)
    assert not_achieved.count('fill="#ffffff"') == 2


LABELS = {
    "Đạt và vượt": "achieved",
    "Khó đạt": "hard",
    "Không đạt": "not_achieved",
    "Chưa đánh giá": "not_assessed",
}


def test_legend_names_every_status(rollup):
    texts = [t.text for t in ET.fromstring(str(children_chart(rollup))).iter(f"{SVG}text")]
    for label in ("Đạt và vượt", "Khó đạt", "Không đạt", "Chưa đánh giá"):
        assert label in texts


def test_status_chart_writes_counts_and_shares_in_text():
    svg = str(status_chart(Tally(achieved=54, hard=11, not_achieved=1), name="Bắc Kạn"))
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    # The one rounding rule of pages, exports and reports (indicators.tally.percent).
    assert "Đạt và vượt: 54 (81,8%)" in texts
    assert "Khó đạt: 11 (16,7%)" in texts
    assert "Không đạt: 1 (1,5%)" in texts
    assert "54" in texts and "11" in texts  # written on the bar segments too
    assert "Bắc Kạn" in root.find(f"{SVG}title").text
    assert "tổng số: 66" in root.find(f"{SVG}desc").text


def test_two_charts_on_one_page_do_not_share_ids(rollup):
    ids_a = set(re.findall(r'id="([^"]+)"', str(children_chart(rollup))))
    ids_b = set(re.findall(r'id="([^"]+)"', str(status_chart(rollup.own))))
    assert ids_a and ids_b and not ids_a & ids_b


def test_no_children_gives_no_chart():
    assert str(children_chart(_rollup([]))) == ""


def test_status_chart_of_a_committee_without_indicators():
    texts = [t.text for t in ET.fromstring(str(status_chart(Tally()))).iter(f"{SVG}text")]
    assert "Chưa có chỉ tiêu" in texts


def test_charts_render_in_weasyprint(rollup):
    import io

    from pypdf import PdfReader
    from weasyprint import HTML

    html = f"<html><body><div>{children_chart(rollup)}{status_chart(rollup.own)}</div></body></html>"
    pdf = HTML(string=html).write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Chợ Đồn" in text and "17/31" in text


def test_page_charts_keep_every_label_at_12_px_on_a_360_px_phone(rollup):
    """The dashboard draws its charts PAGE_WIDTH units wide; a 360 px phone gives the chart card
    about 310 px, so every font size, scaled by 310 / PAGE_WIDTH, stays at 12 px or more."""
    for svg in (
        children_chart(rollup, width=PAGE_WIDTH),
        status_chart(rollup.own, width=PAGE_WIDTH),
        status_chart(Tally(), width=PAGE_WIDTH),
    ):
        assert f'viewBox="0 0 {PAGE_WIDTH} ' in svg
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
        assert sizes and min(sizes) * 310 / PAGE_WIDTH >= 12
