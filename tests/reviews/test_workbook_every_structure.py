"""One workbook holding every structure of real resolutions at once (#27, "Done means"): real
status words, a range target adjusted by a decision, a group with its parts, and an indicator the
province assigned to the district. It imports, reads as domain.md's sentences and JSON counts,
reports (HTML and DOCX), and exports back unchanged."""

import io

from docx import Document

from indicators.assignments import assigned_tally
from indicators.models import AssessmentChange, Committee, Indicator, IndicatorChange
from indicators.selectors import committee_rollup, indicators_json
from reviews.report.selectors import report_context
from reviews.report.tasks import render_file
from reviews.workbook.exporter import workbook_export
from reviews.workbook.services import workbook_import
from tests.reviews.workbook_files import INDICATOR_HEADER, indicator, xlsx

HEADER = [
    *INDICATOR_HEADER,
    "Vượt",
    "Thuộc chỉ tiêu",
    "Mục tiêu điều chỉnh",
    "Văn bản điều chỉnh",
    "Đơn vị giao",
]
COMMITTEES = [["HB", "Tỉnh ủy Hòa Bình", "tỉnh", ""], ["HB-LS", "Huyện ủy Lương Sơn", "huyện", "HB"]]
DECISION = "15-NQ/TU ngày 10/3/2022"


def _row(code, number, status, *, note="", resolution="25-NQ/ĐH", exceeded="", part_of="", adjusted=("", ""),
         assigned_by="", **extra):  # fmt: skip
    return [
        *indicator(code, number, status, note=note, resolution=resolution, **extra),
        exceeded,
        part_of,
        *adjusted,
        assigned_by,
    ]


ROWS = [
    _row("HB", "1", "Chưa đánh giá", resolution="17-NQ/ĐH"),
    _row("HB-LS", "1", "đạt 100%", target="7,5 – 8", value="6,2", adjusted=("6", DECISION)),
    _row("HB-LS", "2", "Khó đạt", note="Thiếu vốn đầu tư"),
    _row("HB-LS", "2.1", "", part_of="2", target="≥ 75", value="60"),
    _row("HB-LS", "2.2", "", part_of="2", target="không quá 3", value="2,5"),
    _row("HB-LS", "3", "vượt kế hoạch"),
    _row("HB-LS", "4", "chưa có số liệu", note="Chưa có số liệu thống kê năm 2022"),
    _row(
        "HB-LS", "1", "Không đạt", note="Chưa đủ nguồn lực", resolution="17-NQ/ĐH", kind="", assigned_by="HB"
    ),
]


def _import(data):
    result = workbook_import(data=data, term_code="2020-2025")
    assert result.ok, result.errors
    return result


def test_every_structure_imports_counts_as_domain_md_says_reports_and_exports_back_unchanged(db):
    _import(xlsx(COMMITTEES, ROWS, indicator_header=HEADER))
    district = Committee.objects.get(code="HB-LS")

    # The tally: four indicators (the group once, never its parts), "vượt" inside the achieved part.
    own = committee_rollup(committee=district).own
    assert own.sentence() == (
        "2/4 chỉ tiêu có khả năng đạt và vượt (trong đó 1 chỉ tiêu vượt); 1 chỉ tiêu khó đạt; "
        "1 chỉ tiêu chưa thể đánh giá"
    )
    assert assigned_tally(committee=district).sentence() == (
        "Thực hiện chỉ tiêu Nghị quyết Đại hội tỉnh trên địa bàn: 0/1 chỉ tiêu có khả năng đạt và vượt; "
        "1 chỉ tiêu không đạt"
    )
    shape = committee_rollup(committee=district).as_json(assigned=assigned_tally(committee=district))
    assert (shape["own"]["total"], shape["own"]["exceeded"], shape["own"]["not_assessable"]) == (4, 1, 1)
    assert (shape["assigned"]["from"], shape["assigned"]["total"], shape["assigned"]["not_achieved"]) == (
        "HB",
        1,
        1,
    )

    # The JSON: the adjusted target with its decision, the parts under their group.
    rows = {(r["resolution"], r["number"]): r for r in indicators_json(committee=district)["indicators"]}
    first = rows[("25-NQ/ĐH", "1")]
    assert (first["target"], first["target_adjusted"], first["target_adjusted_by"]) == (
        "7,5 – 8",
        "6",
        DECISION,
    )
    assert [p["number"] for p in rows[("25-NQ/ĐH", "2")]["parts"]] == ["2.1", "2.2"]
    assert ("25-NQ/ĐH", "2.1") not in rows

    # The report: the adjustment beside the Congress's target, the parts, the assigned section.
    context = report_context(committee=district)
    document = Document(io.BytesIO(render_file("docx", context)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert f"7,5 – 8; điều chỉnh: 6 theo {DECISION}" in text + cells
    assert "2.1" in cells and "2.2" in cells
    assert "Thực hiện chỉ tiêu Nghị quyết Đại hội tỉnh trên địa bàn" in text

    # Exported and imported again: nothing changes, no history row is written.
    history = (AssessmentChange.objects.count(), IndicatorChange.objects.count())
    again = _import(workbook_export(committee=Committee.objects.get(code="HB")))
    assert again.assessments_changed == 0
    assert (AssessmentChange.objects.count(), IndicatorChange.objects.count()) == history
    assert Indicator.objects.get(resolution__committee=district, number="2.2").group.number == "2"
