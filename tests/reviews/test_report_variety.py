"""The report shows the "vượt" mark, "Chưa thể đánh giá" and the completed sentence (HTML and DOCX)."""

import io

from docx import Document

from indicators.models import Resolution
from indicators.services.indicators import indicator_create
from reviews.report.docx import report_docx
from reviews.report.html import report_html


def _lao_cai_like(tree):
    province = tree["P"]  # 2 achieved, 1 hard, 1 not achieved
    resolution = Resolution.objects.get(committee=province)
    indicator_create(resolution=resolution, number="90", text="Vượt", status="achieved", exceeded=True)
    indicator_create(
        resolution=resolution,
        number="91",
        text="Không số liệu",
        status="not_assessable",
        note="Chưa có số liệu",
    )
    return province


def test_the_html_report_writes_the_completed_sentence_and_the_status_words(tree):
    html = report_html(committee=_lao_cai_like(tree))
    assert (
        "3/6 chỉ tiêu có khả năng đạt và vượt (trong đó 1 chỉ tiêu vượt); 1 chỉ tiêu khó đạt; "
        "1 chỉ tiêu không đạt; 1 chỉ tiêu chưa thể đánh giá"
    ) in html
    assert "Đạt và vượt (vượt)" in html
    assert "Chưa thể đánh giá" in html


def test_the_docx_report_writes_the_same(tree):
    doc = Document(io.BytesIO(report_docx(committee=_lao_cai_like(tree))))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "(trong đó 1 chỉ tiêu vượt)" in text and "1 chỉ tiêu chưa thể đánh giá" in text
    assert "Đạt và vượt (vượt)" in cells and "Chưa thể đánh giá" in cells


def test_the_childrens_table_gets_a_column_for_cannot_yet_be_assessed_only_when_one_has_it(tree):
    district = tree["P-D1"]
    html = report_html(committee=tree["P"])
    assert "Chưa thể đánh giá</th>" not in html
    indicator_create(
        resolution=Resolution.objects.get(committee=district),
        number="9",
        text="t",
        status="not_assessable",
        note="n",
    )
    html = report_html(committee=tree["P"])
    assert "Chưa thể đánh giá</th>" in html
    doc = Document(io.BytesIO(report_docx(committee=tree["P"])))
    headers = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert any("Chưa thể đánh giá" in h and len(h) == 8 for h in headers)
