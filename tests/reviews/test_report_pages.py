"""The three demo reports page by page: charts whole, the closing with the signature, a watermark that is
not text, the report's serif in charts, word pairs kept together."""

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from indicators.models import Committee
from reviews.report.layout import MARGINS_MM
from reviews.report.pdf import report_pdf
from reviews.report.selectors import CHART_CHILDREN_PER_PART, report_context

from .dashboard_data import demo  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow
CODES = ("BK", "BK-CD", "BK-CM-NH")


def _pdftotext(pdf: bytes, *args: str) -> list[str]:
    """Text per page, as poppler's pdftotext extracts it (what copy and paste gives)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext (poppler-utils)")
    done = subprocess.run(["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode().split("\f")


@pytest.fixture(scope="class")
def pdfs(demo, django_db_blocker):  # noqa: F811  (the fixture, imported above)
    """The demo's reports, rendered once for the class (a module-level fixture: pytest retires
    class-scoped fixtures written as methods)."""
    with django_db_blocker.unblock():
        return {code: report_pdf(committee=Committee.objects.get(code=code)) for code in CODES}


@pytest.mark.usefixtures("demo")
@pytest.mark.django_db
class TestDemoReports:
    def test_the_children_chart_comes_in_whole_parts_with_the_title_repeated(self, pdfs):
        pages = _pdftotext(pdfs["BK-CD"])
        names = [c.name for c in Committee.objects.get(code="BK-CD").children.order_by("code")]
        # 20 communes: two parts of 10; the first follows the section's table, the second says it continues.
        first = max(i for i, page in enumerate(pages) if names[0] in page)  # after the table, or with it
        title = "Biểu đồ kết quả đánh giá chỉ tiêu của các đơn vị trực thuộc (tiếp theo)"
        with_title = [i for i, page in enumerate(pages) if title in page]
        assert len(with_title) == 1 and with_title[0] > first
        parts = [pages[first].rsplit("Cộng", 1)[-1], pages[with_title[0]].split(title, 1)[1]]
        for n, part in enumerate(parts):
            for name in names[n * 10 : (n + 1) * 10]:
                assert name in part, (n, name)
            assert "Chưa đánh giá" in part

    def test_a_chart_part_fits_a_page(self):
        context = report_context(committee=Committee.objects.get(code="BK-CD"))
        parts = context.children_chart_parts
        assert len(parts) == 2
        for svg in parts:
            height_units = float(re.search(r'viewBox="0 0 360 (\d+)"', svg).group(1))
            assert height_units * 140 / 360 < 257 - 10  # mm: the chart is 140 mm wide; a page holds 257
        assert CHART_CHILDREN_PER_PART * 40 + 60 <= 247 * 360 / 140

    @pytest.mark.parametrize("code", CODES)
    def test_the_closing_sentence_stays_with_the_recipients_and_the_signature(self, pdfs, code):
        pages = _pdftotext(pdfs[code])
        closing = [i for i, page in enumerate(pages) if "Trên đây là báo cáo" in page]
        signature = [i for i, page in enumerate(pages) if "Nơi nhận:" in page]
        assert closing == signature and len(closing) == 1

    @pytest.mark.parametrize("code", CODES)
    def test_the_watermark_is_drawn_but_not_extractable_text(self, pdfs, code):
        reader = PdfReader(io.BytesIO(pdfs[code]))
        for page in reader.pages:
            images = [x for x in page["/Resources"].get("/XObject", {}).values() if x["/Subtype"] == "/Image"]
            assert images, "every page of a draft shows the watermark"
        for page in _pdftotext(pdfs[code], "-layout"):
            assert "DỰ THẢO" not in page and "THẢO" not in page.replace("Dự thảo", "")
            for line in page.splitlines():
                # The old text watermark left lines made of its scattered capitals.
                assert not re.fullmatch(r"[\sDỰTHẢO]+", line) or not line.strip(), repr(line)

    @pytest.mark.parametrize("code", CODES)
    def test_charts_use_the_reports_serif(self, pdfs, code):
        reader = PdfReader(io.BytesIO(pdfs[code]))
        fonts = set()
        for page in reader.pages:
            for font in page["/Resources"].get("/Font", {}).values():
                fonts.add(str(font.get_object()["/BaseFont"]))
        assert fonts and all("Serif" in name for name in fonts), fonts

    @pytest.mark.parametrize("code", CODES)
    def test_no_text_runs_into_the_right_margin(self, pdfs, code):
        """The annex's last column (notes) once ran 9 to 14 mm into the right margin, 6 mm from the
        paper's edge: its fixed width plus every cell's padding summed past the text width."""
        for page in _pdftotext(pdfs[code], "-bbox")[0].split("<page ")[1:]:
            width, height = (float(v) for v in re.findall(r'(?:width|height)="([\d.]+)"', page)[:2])
            limit = width - MARGINS_MM.right * 72 / 25.4  # the same on portrait and landscape pages
            right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', page)]
            assert right_edges and max(right_edges) <= limit + 1, (code, width, max(right_edges), limit)

    @pytest.mark.parametrize("code", CODES)
    def test_no_line_breaks_inside_dang_bo_or_nghi_quyet(self, pdfs, code):
        lines = [line.strip() for page in _pdftotext(pdfs[code]) for line in page.splitlines()]
        for line, following in zip(lines, lines[1:], strict=False):
            assert not (line.endswith("Đảng") and re.match(r"(bộ|ủy)\b", following)), (line, following)
            assert not (line.endswith("Nghị") and following.startswith("quyết")), (line, following)
