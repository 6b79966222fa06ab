"""The report as a Word document, read back with python-docx (and once with LibreOffice)."""

import io
import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from indicators.models import Assessment, Indicator
from reviews.models import Review, ReviewState, SolutionArea
from reviews.report import ReportTooLarge
from reviews.report import docx as report_docx_module
from reviews.report import tasks as report_tasks
from reviews.report.docx import context_to_docx, report_docx
from reviews.report.html import render_report_html
from reviews.report.layout import MARGINS_MM
from reviews.report.pdf import report_pdf
from reviews.report.selectors import report_context
from reviews.services import SolutionItem, review_document_seed
from tests.reviews.test_report import listener  # noqa: F401 -- the fixture
from tests.tooling import skip_or_fail_under_ci

TALLY = "2/4 chỉ tiêu có khả năng đạt và vượt; 1 chỉ tiêu khó đạt; 1 chỉ tiêu không đạt"
HOSTILE_NOTE = '<w:p><w:r><w:t>x</w:t></w:r></w:p> ]]> <script>alert("x")</script> &amp; {{ note }} %(x)s'


@pytest.fixture
def province(make_committee, make_indicators):
    bk = make_committee("BK", name="Đảng bộ tỉnh Bắc Kạn")
    make_indicators(bk, ["achieved", "achieved", "hard", "not_achieved"])
    district = make_committee("BK-CD", bk, name="Đảng bộ huyện Chợ Đồn")
    make_indicators(district, ["achieved", "hard"])
    review_document_seed(
        committee=bk,
        fields={
            "overall": "Đoạn thứ nhất.\nDòng thứ hai của đoạn một.\n\nĐoạn thứ hai.",
            "signer_name": "Hoàng Văn Minh",
            "signer_title": "Bí thư",
            "recipients": "Ban Bí thư (b/c)\nLưu Văn phòng Tỉnh ủy",
        },
        lessons=["Bài học thứ nhất", "Bài học thứ hai"],
        solutions=[
            SolutionItem(SolutionArea.PARTY_BUILDING, "Xây dựng Đảng trong sạch"),
            SolutionItem(SolutionArea.SOCIO_ECONOMIC, "Phát triển kinh tế nhanh"),
        ],
    )
    return bk


def _open(data: bytes):
    return Document(io.BytesIO(data))


def _paragraphs(doc):
    """Every paragraph of the body, tables included, in document order."""
    return [Paragraph(p, doc) for p in doc.element.body.iter(qn("w:p"))]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _all_text(doc) -> str:
    return _flat(" ".join(p.text for p in _paragraphs(doc)))


class _BlockTexts(HTMLParser):
    """The text of each block of the report's HTML (chart SVGs and the watermark left out)."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "td", "th", "div"}

    def __init__(self):
        super().__init__()
        self.blocks, self.current, self.skip, self.tags = [], [], 0, []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag in ("svg", "head") or "watermark" in classes:
            self.skip += 1
            self.tags.append(("skip", tag))
            return
        self.tags.append(("keep", tag))
        if tag == "br":
            self.current.append(" ")
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        while self.tags:
            kind, open_tag = self.tags.pop()
            if kind == "skip":
                self.skip -= 1
            if open_tag == tag:
                break
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)

    def _flush(self):
        text = _flat("".join(self.current))
        if text:
            self.blocks.append(text)
        self.current = []


def _html_blocks(html: str) -> list[str]:
    parser = _BlockTexts()
    parser.feed(html)
    parser.close()
    return parser.blocks


def test_docx_says_everything_the_html_says(province):
    """Same content as the PDF: every block of text of the report's HTML is in the DOCX."""
    context = report_context(committee=province)
    html = render_report_html(context)
    text = _all_text(_open(context_to_docx(context)))
    missing = [block for block in _html_blocks(html) if block not in text]
    assert not missing, missing
    assert len(_html_blocks(html)) > 60


def test_headings_and_body_use_word_styles(province):
    context = report_context(committee=province)
    doc = _open(context_to_docx(context))
    html = render_report_html(context)
    html_headings = [_flat(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h[234]>(.*?)</h[234]>", html)]
    docx_headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert docx_headings == html_headings
    levels = {p.text: p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")}
    assert levels["I. KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT"] == "Heading 1"
    assert levels["1. Đánh giá chung"] == "Heading 2"
    assert levels["a) Nguyên nhân khách quan"] == "Heading 3"
    styles = {p.text: p.style.name for p in doc.paragraphs}
    assert styles["BÁO CÁO"] == "Title"
    assert styles[context.subject] == "Subtitle"
    assert styles[context.sentences.lead] == "Body Text"
    # Free text keeps its paragraphs (blank line) and line breaks (single newline).
    assert styles["Đoạn thứ nhất.\nDòng thứ hai của đoạn một."] == "Body Text"
    assert styles["Đoạn thứ hai."] == "Body Text"
    body = doc.styles["Body Text"]
    assert round(body.paragraph_format.first_line_indent.mm) == 10
    assert body.paragraph_format.alignment == 3  # justified


def test_tally_sentence_is_the_computed_one(province):
    doc = _open(report_docx(committee=province))
    tally = [p for p in doc.paragraphs if p.style.name == "Tally Sentence"]
    assert len(tally) == 1
    assert tally[0].text == (
        f"Qua kiểm điểm, đánh giá và dự báo, đến cuối nhiệm kỳ có {TALLY} (chi tiết tại Phụ lục kèm theo)."
    )
    assert doc.styles["Tally Sentence"].font.bold is True


def test_letterhead_signature_and_recipients(province):
    doc = _open(report_docx(committee=province))
    letterhead = doc.tables[0]
    left, right = (cell.text for cell in letterhead.rows[0].cells)
    assert left.split("\n")[:3] == ["ĐẢNG BỘ TỈNH BẮC KẠN", "TỈNH ỦY", "*"]
    assert left.split("\n")[3].startswith("Số ") and left.endswith("-BC/TU")
    party, place = right.split("\n")
    assert party == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert place.startswith("Bắc Kạn, ngày")
    assert letterhead.rows[0].cells[1].paragraphs[0].runs[0].underline is True
    signature = doc.tables[-2]
    recipients, signer = (cell.text for cell in signature.rows[0].cells)
    assert recipients.split("\n") == ["Nơi nhận:", "- Ban Bí thư (b/c),", "- Lưu Văn phòng Tỉnh ủy."]
    assert [line for line in signer.split("\n") if line] == [
        "T/M TỈNH ỦY",
        "BÍ THƯ",
        "(Dự thảo – chưa ký)",
        "Hoàng Văn Minh",
    ]


def test_children_table_and_every_indicator_in_the_annex(province):
    doc = _open(report_docx(committee=province))
    children = doc.tables[1]
    assert [c.text for c in children.rows[0].cells][:3] == ["TT", "Đơn vị", "Tổng số chỉ tiêu"]
    assert [c.text for c in children.rows[1].cells] == ["1", "Đảng bộ huyện Chợ Đồn", "2", "1", "1", "0", "0"]
    assert [c.text for c in children.rows[-1].cells][1:] == ["Cộng", "2", "1", "1", "0", "0"]

    annex = doc.tables[-1]
    rows = [[c.text for c in row.cells] for row in annex.rows]
    assert rows[0] == [
        "STT",
        "Chỉ tiêu",
        "ĐVT",
        "Mục tiêu NQ",
        "Thực hiện giữa nhiệm kỳ",
        "Đánh giá",
        "Ghi chú",
    ]
    assert rows[1][0].startswith("Nghị quyết Đại hội số 01-NQ/ĐH")
    indicators = Indicator.objects.of_committee(province).for_assessment_form()
    assert len(indicators) == 4
    by_number = {row[0]: row for row in rows[2:]}
    for indicator in indicators:
        row = by_number[indicator.number]
        assert row[1] == indicator.text
        assert row[5] == indicator.assessment.get_status_display()
        assert row[6] == indicator.assessment.note


def test_fonts_are_times_new_roman_13_to_14_pt_and_vietnamese(province):
    data = report_docx(committee=province)
    doc = _open(data)
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    for name in ("Normal", "Body Text", "Heading 1", "Heading 2", "Heading 3", "Tally Sentence"):
        style = doc.styles[name]
        assert style.font.name == "Times New Roman", name
        assert 13 <= style.font.size.pt <= 14, name
        assert style.font.color.rgb == (0, 0, 0) and style.font.color.theme_color is None, name
    # No theme font (Calibri, Cambria) in any style the document uses, nor in any run.
    chain = {}
    for style in [p.style for p in _paragraphs(doc)] + [doc.styles["Header"]]:
        while style is not None:
            chain[style.name] = style
            style = style.base_style
    assert {"Normal", "Body Text", "Title", "Heading 1", "Annex Text"} <= chain.keys()
    for style in chain.values():
        fonts = style.element.rPr.find(qn("w:rFonts")) if style.element.rPr is not None else None
        if fonts is not None:
            assert not any("Theme" in k or "theme" in k for k in fonts.attrib), style.name
            assert set(fonts.attrib.values()) <= {"Times New Roman"}, style.name
    document_xml = doc.element.xml
    assert set(re.findall(r'w:(?:ascii|hAnsi|cs)="([^"]+)"', document_xml)) <= {"Times New Roman"}
    assert "Theme=" not in document_xml and "w:cstheme" not in document_xml
    body_styles = {p.style.name for p in doc.paragraphs}
    assert "Body Text" in body_styles and "Heading 1" in body_styles
    assert "Chợ Đồn" in _all_text(doc) and "Bắc Kạn" in _all_text(doc)


def test_a4_with_party_document_margins(province):
    doc = _open(report_docx(committee=province))
    assert len(doc.sections) == 2  # the body, then the annex on its own pages
    for section in doc.sections:
        size = sorted((round(section.page_width.mm), round(section.page_height.mm)))
        assert size == [210, 297]
        assert 20 <= round(section.top_margin.mm) <= 25
        assert 20 <= round(section.bottom_margin.mm) <= 25
        assert 30 <= round(section.left_margin.mm) <= 35
        assert 15 <= round(section.right_margin.mm) <= 20
    assert doc.sections[0].page_width < doc.sections[0].page_height  # portrait body


def test_annex_goes_landscape_only_when_wide(province):
    doc = _open(report_docx(committee=province))
    assert doc.sections[1].page_width < doc.sections[1].page_height
    assessment = Assessment.objects.filter(indicator__resolution__committee=province).first()
    Assessment.objects.filter(pk=assessment.pk).update(value="Đạt 95,5% (ước năm 2025: 97%)")
    doc = _open(report_docx(committee=province))
    assert doc.sections[1].page_width > doc.sections[1].page_height
    assert doc.sections[1].orientation == 1  # landscape
    assert doc.sections[0].page_width < doc.sections[0].page_height


def test_pdf_and_docx_turn_the_annex_by_one_rule_with_one_set_of_margins(province):
    """A value too long for a narrow column turns the annex landscape in the PDF as in the DOCX
    (once only the DOCX did), and every page of both keeps the same margins."""
    assessment = Assessment.objects.filter(indicator__resolution__committee=province).first()
    for value, landscape in (("12", False), ("Đạt 95,5% (ước năm 2025: 97%)", True)):
        Assessment.objects.filter(pk=assessment.pk).update(value=value)
        annex_page = PdfReader(io.BytesIO(report_pdf(committee=province))).pages[-1]
        assert (annex_page.mediabox.width > annex_page.mediabox.height) is landscape, value
        doc = _open(report_docx(committee=province))
        assert (doc.sections[1].page_width > doc.sections[1].page_height) is landscape, value
        for section in doc.sections:
            margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
            assert tuple(round(m.mm) for m in margins) == (
                MARGINS_MM.top,
                MARGINS_MM.right,
                MARGINS_MM.bottom,
                MARGINS_MM.left,
            )


def test_table_header_rows_repeat_on_every_page(province):
    doc = _open(report_docx(committee=province))
    children, annex = doc.tables[1], doc.tables[-1]
    for table in (children, annex):
        flags = [
            row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
            for row in table.rows
        ]
        assert flags[0] and not any(flags[1:])
        assert table.style.name == "Table Grid"  # real ruled tables


def test_page_number_is_a_field_and_draft_mark_is_in_the_header(province):
    doc = _open(report_docx(committee=province))
    for section in doc.sections:
        header_xml = section.header._element.xml
        assert "<w:instrText" in header_xml and " PAGE " in header_xml
        assert "DỰ THẢO" in "".join(p.text for p in section.header.paragraphs)
    first = doc.sections[0]
    assert first.different_first_page_header_footer  # no number on the first page
    assert "DỰ THẢO" in "".join(p.text for p in first.first_page_header.paragraphs)
    assert "DỰ THẢO" not in _all_text(doc)  # in the header, never over the text

    Review.objects.filter(committee=province).update(state=ReviewState.APPROVED)
    doc = _open(report_docx(committee=province))
    headers = [s.header for s in doc.sections] + [doc.sections[0].first_page_header]
    assert all("DỰ THẢO" not in "".join(p.text for p in h.paragraphs) for h in headers)
    assert "Dự thảo" not in _all_text(doc)


def test_hostile_text_is_literal(province):
    # Control characters a DOCX (XML 1.0) cannot hold; \x01, not NUL, which PostgreSQL refuses to store.
    Review.objects.filter(committee=province).update(overall='<img src="file:///etc/passwd"> \x01\x0bhết')
    assessment = Assessment.objects.filter(indicator__resolution__committee=province).first()
    Assessment.objects.filter(pk=assessment.pk).update(note=HOSTILE_NOTE)
    Indicator.objects.filter(pk=assessment.indicator_id).update(text="Chỉ tiêu <b>đậm</b> & {% if %}")
    data = report_docx(committee=province)
    doc = _open(data)
    row = next(r for r in doc.tables[-1].rows if r.cells[6].text == HOSTILE_NOTE)
    assert row.cells[1].text == "Chỉ tiêu <b>đậm</b> & {% if %}"
    assert len(row.cells[6].paragraphs) == 1  # the note's markup made no paragraph of its own
    assert '<img src="file:///etc/passwd"> hết' in _all_text(doc)  # control characters dropped
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        rels = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".rels"))
        document = package.read("word/document.xml").decode()
    assert 'TargetMode="External"' not in rels  # nothing linked from outside the file
    assert "&lt;script&gt;" in document and "<script>" not in document


def test_charts_are_pictures_of_the_same_svg(province):
    context = report_context(committee=province)
    doc = _open(context_to_docx(context))
    pictures = doc.inline_shapes
    assert len(pictures) == 2  # the committee's own split, then its children
    descriptions = [shape._inline.docPr.get("descr") for shape in pictures]
    svg = str(context.status_chart)
    title = re.search(r"<title[^>]*>(.*?)</title>", svg).group(1)
    assert descriptions[0].startswith(title)
    assert "Đảng bộ huyện Chợ Đồn" in descriptions[1]
    parts = {rel.target_part.content_type for rel in doc.part.rels.values() if "image" in rel.reltype}
    assert parts == {"image/png"}
    assert pictures[0].width == Mm(140)


def test_chart_rasteriser_fetches_nothing(listener):  # noqa: F811
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' viewBox="0 0 100 50" width="100" height="50">'
        f'<image href="http://127.0.0.1:{listener.port}/x.png" width="10" height="10"/>'
        '<image xlink:href="file:///etc/passwd" width="10" height="10"/>'
        '<image href="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E"/>'
        '<rect width="50" height="20" fill="#1b6e3a"/></svg>'
    )
    png = report_docx_module._rasterise(svg, pixels_wide=200)
    assert png.startswith(b"\x89PNG")
    assert listener.connections == 0


def test_without_cairo_the_chart_is_written_as_text(province, monkeypatch):
    monkeypatch.setattr(report_docx_module, "_rasterise", lambda svg, pixels_wide: None)
    doc = _open(report_docx(committee=province))
    assert len(doc.inline_shapes) == 0
    charts = [p.text for p in doc.paragraphs if p.style.name == "Chart"]
    assert len(charts) == 2 and "Đạt và vượt: 2" in charts[0]


def test_writing_the_docx_queries_nothing(province, django_assert_num_queries):
    """It runs in the time-limited child (time_limit.py), which must not touch the database."""
    context = report_context(committee=province)
    render_report_html(context)
    with django_assert_num_queries(0):
        context_to_docx(context)


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


def test_style_ids_resolved_once_write_what_python_docx_writes(province, monkeypatch):
    """The speed-up (each style name resolved once per document) changes no byte of the body:
    the same document as python-docx's own `paragraph.style = name`, for two documents in a row."""
    context = report_context(committee=province)
    fast = [_document_xml(context_to_docx(context)) for _ in range(2)]

    def plain(paragraph, name):
        paragraph.style = name

    monkeypatch.setattr(report_docx_module, "_set_style", plain)
    assert fast == [_document_xml(context_to_docx(context))] * 2
    assert b'<w:pStyle w:val="AnnexText"/>' in fast[0] and b'<w:pStyle w:val="BodyText"/>' in fast[0]


def test_huge_report_is_refused_like_the_pdf(province, monkeypatch, client, make_user):
    monkeypatch.setattr("reviews.report.selectors.MAX_REPORT_INDICATORS", 3)
    monkeypatch.setattr("reviews.report.MAX_REPORT_INDICATORS", 3)
    with pytest.raises(ReportTooLarge):
        report_docx(committee=province)
    client.force_login(make_user("xem", province))
    response = client.get(f"{reverse('report_docx', args=['BK'])}?term=2020-2025")
    assert response.status_code == 413
    assert "vượt giới hạn 3 chỉ tiêu" in response.content.decode()


def test_docx_view_is_a_cached_attachment(province, client, make_user, monkeypatch, settings):
    # Rendered at once instead of by the worker (tests/reviews/test_report_serve.py tests the queue).
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "reports", "email"],
        }
    }
    renders = []
    real = report_tasks.render_file

    def counting(fmt, context):
        renders.append(fmt)
        return real(fmt, context)

    monkeypatch.setattr(report_tasks, "render_file", counting)
    client.force_login(make_user("xem", province))
    url = f"{reverse('report_docx', args=['BK'])}?term=2020-2025"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert first["Content-Disposition"] == 'attachment; filename="bao-cao-so-ket-BK-2020-2025.docx"'
    assert first.content == second.content and first.content.startswith(b"PK")
    assert renders == ["docx"]

    assessment = Assessment.objects.filter(indicator__resolution__committee=province).first()
    Assessment.objects.filter(pk=assessment.pk).update(note="Ghi chú mới")
    third = client.get(url)
    assert len(renders) == 2
    assert "Ghi chú mới" in _all_text(_open(third.content))


def test_dashboard_links_the_word_document(province, client, make_user):
    client.force_login(make_user("xem", province))
    page = client.get(f"{reverse('dashboard', args=['BK'])}?term=2020-2025").content.decode()
    assert f"{reverse('report_docx', args=['BK'])}?term=2020-2025" in page


def test_report_command_chooses_the_format_by_extension(province, tmp_path):
    docx_path, pdf_path = tmp_path / "bk.docx", tmp_path / "bk.pdf"
    call_command("report", "BK", "--term", "2020-2025", "-o", str(docx_path), stderr=io.StringIO())
    call_command("report", "BK", "--term", "2020-2025", "-o", str(pdf_path), stderr=io.StringIO())
    assert TALLY in _all_text(Document(str(docx_path)))
    assert pdf_path.read_bytes().startswith(b"%PDF")


def test_libreoffice_reads_our_file(province, tmp_path):
    """A real word processor opens the DOCX: its PDF has the tally and the names with diacritics."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        skip_or_fail_under_ci(
            "LibreOffice conversion test", "soffice not found (Debian libreoffice-writer-nogui)"
        )
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(report_docx(committee=province))
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
        check=False,
    )
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.exists(), result.stderr.decode(errors="replace")
    reader = PdfReader(str(pdf))
    text = _flat(" ".join(page.extract_text() or "" for page in reader.pages))
    assert TALLY in text
    assert "ĐẢNG BỘ TỈNH BẮC KẠN" in text and "Đảng bộ huyện Chợ Đồn" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert len(reader.pages) >= 3


# The schema's order of the property elements we write (ECMA-376 part 1, §17): Word refuses to
# open a file ("unreadable content") whose children come out of order, LibreOffice does not care.
_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr "
    "sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect "
    "bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
    "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi "
    "rtlGutter docGrid printerSettings",
}


def test_property_elements_are_in_schema_order(province):
    import zipfile

    from lxml import etree

    data = report_docx(committee=province)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    wrong = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = [n for n in package.namelist() if re.fullmatch(r"word/(document|styles|header\d*)\.xml", n)]
        for name in parts:
            root = etree.fromstring(package.read(name))
            for parent, order in _ORDER.items():
                rank = {tag: i for i, tag in enumerate(order.split())}
                if parent == "sectPr":
                    rank["footerReference"] = rank["headerReference"]  # one group, any order
                for element in root.iter(f"{w}{parent}"):
                    tags = [etree.QName(child).localname for child in element]
                    ranks = [rank.get(tag, -1) for tag in tags]
                    if -1 in ranks or ranks != sorted(ranks):
                        wrong.append(f"{name} {parent}: {tags}")
    assert len(parts) >= 3
    assert not wrong, wrong[:5]
