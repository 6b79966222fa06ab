"""The report's annex with results over time: year columns as real annexes print them, in PDF and DOCX."""

import io

import docx
import pytest
from pypdf import PdfReader

from indicators.models import Measure, Status
from indicators.results import Results
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from reviews.report.docx import report_docx
from reviews.report.pdf import report_pdf
from reviews.report.selectors import report_context


@pytest.fixture
def commune(make_committee):
    committee = make_committee("X", name="Đảng bộ xã Xuân")
    resolution = resolution_create(committee=committee, number="01-NQ/ĐH")
    growth = Results.build(
        baseline="5,1", years={2021: ("4,1", False), 2022: ("4,5", False), 2023: ("4,3", True)}
    )
    forest = Results.build(years={2021: ("20", False), 2022: ("21", True)}, forecast="104")
    indicator_create(
        resolution=resolution, number="1", text="Tăng trưởng bình quân", unit="%", target="6,5",
        measure=Measure.AVERAGE, status=Status.HARD, note="Do dịch bệnh", results=growth,
    )  # fmt: skip
    indicator_create(
        resolution=resolution, number="2", text="Trồng rừng", unit="ha", target="100",
        measure=Measure.CUMULATIVE, status=Status.ACHIEVED, results=forest,
    )  # fmt: skip
    indicator_create(
        resolution=resolution, number="3", text="Định tính", target="Duy trì", status=Status.ACHIEVED
    )
    return committee


@pytest.mark.django_db
class TestAnnexYears:
    def test_only_years_with_values_with_estimates_and_forecast_named(self, commune):
        context = report_context(committee=commune)
        results = context.annex_results
        assert results.headers == ["Đầu kỳ 2020", "TH 2021", "TH 2022", "Ước 2023", "Dự báo 2025"]
        cells = {row.indicator.number: row.cells for g in context.annex for row in g.rows}
        assert cells["1"] == ["5,1", "4,1", "4,5", "4,3", ""]
        assert cells["2"] == ["", "20", "21 (ước)", "", "104"]  # an estimate in a column of actual values
        assert cells["3"] == ["", "", "", "", ""]
        assert context.annex_columns == 12

    def test_pdf_annex_is_landscape_with_the_columns_and_the_disagreement(self, commune):
        reader = PdfReader(io.BytesIO(report_pdf(committee=commune)))
        last = reader.pages[-1]
        assert last.mediabox.width > last.mediabox.height  # the annex's landscape page
        assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height
        text = " ".join(last.extract_text().split())
        for header in ("Đầu kỳ 2020", "TH 2021", "Ước 2023", "Dự báo 2025"):
            assert header in text
        assert "(số liệu gợi ý: Không đạt)" in text  # indicator 1: hard, the numbers say not achieved
        assert text.count("số liệu gợi ý") == 1

    def test_docx_annex_has_the_same_columns(self, commune):
        document = docx.Document(io.BytesIO(report_docx(committee=commune)))
        table = document.tables[-1]
        header = [c.text for c in table.rows[0].cells]
        assert header[4:9] == ["Đầu kỳ 2020", "TH 2021", "TH 2022", "Ước 2023", "Dự báo 2025"]
        first = [c.text for c in table.rows[2].cells]
        assert first[4:9] == ["5,1", "4,1", "4,5", "4,3", ""]
        assert first[10] == "Khó đạt\n(số liệu gợi ý: Không đạt)"

    def test_without_results_the_annex_keeps_its_seven_columns(self, make_committee, make_indicators):
        committee = make_committee("Y")
        make_indicators(committee, [Status.ACHIEVED, Status.HARD])
        context = report_context(committee=committee)
        assert not context.annex_results and context.annex_columns == 7
        reader = PdfReader(io.BytesIO(report_pdf(committee=committee)))
        assert all(p.mediabox.width < p.mediabox.height for p in reader.pages)
