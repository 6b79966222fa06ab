"""The report's text and annex show an adjusted target beside the Congress's, and the tally by
field adding up (HTML for the PDF, and the DOCX), in both languages (issue #27)."""

import io

from django.utils import translation
from docx import Document

from indicators.models import Indicator
from indicators.services.indicators import indicator_adjust_target, indicator_update
from reviews.report.docx import report_docx
from reviews.report.html import report_html

SHOWN = "7,5 – 8; điều chỉnh: 6 theo 15-NQ/TU ngày 10/3/2022"


def _adjusted(tree):
    province = tree["P"]  # 2 achieved, 1 hard, 1 not achieved, all "Kinh tế"
    first = Indicator.objects.of_committee(province).get(number="1")
    indicator_update(indicator=first, number="1", text="Tăng trưởng GRDP", field="economy", target="7,5 – 8")
    indicator_adjust_target(indicator=first, target_adjusted="6", adjusted_by="15-NQ/TU ngày 10/3/2022")
    fourth = Indicator.objects.of_committee(province).get(number="4")
    indicator_update(indicator=fourth, number="4", text=fourth.text, field="culture_society")
    return province


def test_the_html_report_shows_both_targets_and_the_fields(tree):
    html = report_html(committee=_adjusted(tree))
    assert f'<td class="i-target">{SHOWN}</td>' in html  # the annex
    assert f"1. Tăng trưởng GRDP: {SHOWN}" in html  # the text
    assert "Theo lĩnh vực: Kinh tế 2/3; Văn hóa – xã hội 0/1." in html
    with translation.override("en"):
        english = report_html(committee=tree["P"])
    assert "7,5 – 8; adjusted: 6 by 15-NQ/TU ngày 10/3/2022" in english
    assert "By field: Economy 2/3;" in english


def test_the_docx_report_shows_the_same(tree):
    doc = Document(io.BytesIO(report_docx(committee=_adjusted(tree))))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert SHOWN in cells
    assert f"1. Tăng trưởng GRDP: {SHOWN}" in text
    assert "Theo lĩnh vực: Kinh tế 2/3; Văn hóa – xã hội 0/1." in text
