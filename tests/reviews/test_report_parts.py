"""The report (PDF's HTML and DOCX) prints each group's parts indented under it."""

import io
import re

import pytest
from docx import Document

from indicators.models import Assessment
from reviews.report.docx import context_to_docx
from reviews.report.html import render_report_html
from reviews.report.selectors import report_context
from tests.reviews.test_assess_parts import _build


@pytest.fixture
def committee(make_committee):
    committee = make_committee("X")
    _build(committee, 3)
    # Part 2.2's numbers now suggest "not achieved": its group 2 (hard) takes the worst.
    from indicators.results import Results
    from indicators.services.assessments import AssessmentEdit, assessments_update

    part = Assessment.objects.get(indicator__number="2.2")
    assessments_update(edits=[AssessmentEdit(part.pk, "not_assessed", results=Results(forecast="50"))])
    return committee


def test_the_annex_prints_parts_indented_under_their_group_with_their_suggestion(committee):
    html = render_report_html(report_context(committee=committee))
    rows = re.findall(r'<tr( class="part")?>\s*<td class="i-no">([^<]+)</td>', html)
    assert [(bool(part), number) for part, number in rows] == [
        (False, "1"), (True, "1.1"), (True, "1.2"),
        (False, "2"), (True, "2.1"), (True, "2.2"),
        (False, "3"), (True, "3.1"), (True, "3.2"),
    ]  # fmt: skip
    assert '<td class="i-status part-status">Gợi ý: Không đạt</td>' in html
    # The group: the committee's status, and what its parts suggest when it differs.
    assert "(số liệu gợi ý: Không đạt)" in html
    # The sentence counts the three groups, never their six parts.
    assert "2/3 chỉ tiêu có khả năng đạt và vượt; 1 chỉ tiêu khó đạt" in html


def test_the_docx_annex_indents_the_parts_too(committee):
    doc = Document(io.BytesIO(context_to_docx(report_context(committee=committee))))
    annex = doc.tables[-1]
    by_number = {row.cells[0].text: row for row in annex.rows}
    part, group = by_number["2.2"], by_number["2"]
    assert part.cells[1].paragraphs[0].paragraph_format.left_indent is not None
    assert group.cells[1].paragraphs[0].paragraph_format.left_indent is None
    status_at = len(part.cells) - 2
    assert part.cells[status_at].text == "Gợi ý: Không đạt"
    assert group.cells[status_at].text.startswith("Khó đạt")


@pytest.mark.parametrize("n", [4, 16])
def test_the_report_with_groups_reads_in_constant_queries(make_committee, n, django_assert_num_queries):
    committee = make_committee("X")
    _build(committee, n)
    # as test_report.py's, without a stored review (its lists are not read) and with nothing below
    # (the rollup reads no children)
    with django_assert_num_queries(5):
        context = report_context(committee=committee)
    assert sum(row.is_part for g in context.annex for row in g.rows) == 2 * n
    with django_assert_num_queries(0):
        render_report_html(context)
        context_to_docx(context)
