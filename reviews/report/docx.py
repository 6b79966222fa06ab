"""The report as a Word document (python-docx), written from the same context as the HTML/PDF.

An office finishes the report in Word, so this is Word's own structure, not a picture of a page:
paragraph styles for headings and body (restyle one and the document follows), real tables whose
header rows repeat on every page, the page number in a PAGE field, and the annex in a section of
its own, landscape when its columns are too wide for portrait. Nothing is fetched: the only
pictures, the charts, are rasterised from the report's own SVG with every URL refused.

Called in the time-limited child process (time_limit.py): it must not query the database, so it reads only
what report_context already loaded (tests pin zero queries)."""

import io
import logging
import math
import re
import weakref

from defusedxml import ElementTree
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from indicators.models import Committee, Status

from .layout import A4_MM, MARGINS_MM
from .selectors import ReportContext, report_context

FONT = "Times New Roman"  # LibreOffice sets it in Liberation Serif, its metric twin
BODY_PT = 13.5
CHART_WIDTH_MM = 140
_CHART_MAX_PIXELS = 6_000_000  # a chart of hundreds of children stays a few MB in memory
_BLACK = RGBColor(0, 0, 0)
_GREY = RGBColor(0x55, 0x55, 0x55)
_EMPTY_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
logger = logging.getLogger(__name__)

# Annex columns in mm on a portrait page (165 mm of text), as in report.css.
# The unit column is 4 mm wider than report.css's: LibreOffice does not break "đồng/người" at the slash.
_ANNEX_COLUMNS_MM = (8, 46, 19, 16, 16, 16, 44)
# A part of a group (5.1 of 5) is indented this far in its cell, under its group (report.css: 6 mm).
_PART_INDENT_MM = 4
# A year of results over time (e.g. "TH 2021", "Ước 2023"): numbers only.
_YEAR_COLUMN_MM = 14
# A children table this short stays on one page, as report.css's `break-inside: avoid` keeps it.
_WHOLE_TABLE_ROWS = 30
# Characters XML 1.0 cannot hold (python-docx would refuse the whole document for one of them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def report_docx(*, committee: Committee, stage: str = "mid") -> bytes:
    """The committee's review report at `stage`; raises ReportTooLarge before writing a huge one."""
    return context_to_docx(report_context(committee=committee, stage=stage))


def context_to_docx(context: ReportContext) -> bytes:
    doc = Document()
    _styles(doc)
    _properties(doc, context)
    section = doc.sections[0]
    _page(section, landscape=False)
    _header(section, draft=context.is_draft, title_page=True)

    _letterhead(doc, context)
    _body(doc, context)
    _signature(doc, context)
    _annex(doc, context)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- Styles and page ---------------------------------------------------------------------------


def _set_fonts(element) -> None:
    """Times New Roman for every script (Vietnamese is Latin; eastAsia/cs for Word's fallbacks)."""
    rpr = element.find(qn("w:rPr")) if element.tag == qn("w:rPrDefault") else element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _paragraph_style(doc, name, *, base="Normal", size=BODY_PT, bold=None, italic=None, align=None):
    styles = doc.styles
    style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        style.base_style = styles[base]
    style.quick_style = True
    _set_fonts(style.element)
    font = style.font
    font.size = Pt(size)
    font.bold, font.italic = bold, italic
    font.color.rgb = _BLACK
    color = style.element.rPr.find(qn("w:color"))
    for attr in ("w:themeColor", "w:themeShade"):
        color.attrib.pop(qn(attr), None)
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):  # the template's Title carries a blue rule
        ppr.remove(border)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.first_line_indent = None
    fmt.line_spacing = 1.13  # Word's single line is ~1.15 em: this is report.css's line-height 1.3
    return style


def _styles(doc) -> None:
    """Word styles an office can restyle: Normal, Body Text, Heading 1–3, Title, Subtitle, tables."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    _set_fonts(rpr_default)
    lang = rpr_default.find(qn("w:rPr")).find(qn("w:lang"))
    lang.set(qn("w:val"), "vi-VN")  # Word's spelling and hyphenation: Vietnamese

    _paragraph_style(doc, "Normal")
    body = _paragraph_style(doc, "Body Text", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    body.paragraph_format.first_line_indent = Mm(10)
    body.paragraph_format.space_after = Pt(5)
    for name, bold, italic, before, after in (
        ("Heading 1", True, None, 12, 5),  # parts: I, II, III
        ("Heading 2", True, None, 8, 4),  # sections: 1, 2, 3
        ("Heading 3", True, True, 6, 3),  # a), b)
    ):
        style = _paragraph_style(doc, name, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        fmt = style.paragraph_format
        fmt.first_line_indent = Mm(10)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = True
    title = _paragraph_style(doc, "Title", size=15, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_before = Pt(14)
    title.element.rPr.remove_all("w:spacing", "w:kern")
    subtitle = _paragraph_style(
        doc, "Subtitle", size=14, bold=True, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    subtitle.paragraph_format.left_indent = subtitle.paragraph_format.right_indent = Mm(12)
    subtitle.paragraph_format.space_before = Pt(2)
    subtitle.element.rPr.remove_all("w:spacing")

    tally = _paragraph_style(
        doc, "Tally Sentence", base="Body Text", bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY
    )
    tally.paragraph_format.first_line_indent = Mm(10)
    tally.paragraph_format.space_after = Pt(5)
    intro = _paragraph_style(doc, "Intro", base="Body Text", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    intro.paragraph_format.first_line_indent = Mm(10)
    intro.paragraph_format.space_after = Pt(5)
    intro.paragraph_format.keep_with_next = True
    area = _paragraph_style(doc, "Solution Area", base="Body Text", bold=True, italic=True)
    area.paragraph_format.first_line_indent = Mm(10)
    area.paragraph_format.space_before, area.paragraph_format.space_after = Pt(6), Pt(5)
    area.paragraph_format.keep_with_next = True
    empty = _paragraph_style(doc, "Empty Section", base="Body Text", italic=True)
    empty.paragraph_format.first_line_indent = Mm(10)
    empty.paragraph_format.space_after = Pt(5)
    empty.font.color.rgb = _GREY
    chart = _paragraph_style(doc, "Chart", align=WD_ALIGN_PARAGRAPH.CENTER)
    chart.paragraph_format.space_before, chart.paragraph_format.space_after = Pt(6), Pt(10)
    for name, size, padding in (("Table Text", 11, 2.5), ("Annex Text", 9.5, 2)):
        cell_style = _paragraph_style(doc, name, size=size, align=WD_ALIGN_PARAGRAPH.LEFT)
        cell_style.paragraph_format.space_before = cell_style.paragraph_format.space_after = Pt(padding)
        cell_style.paragraph_format.line_spacing = 1.0
    _paragraph_style(doc, "Recipients", size=11)
    annex_title = _paragraph_style(
        doc, "Annex Title", size=BODY_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    annex_title.paragraph_format.keep_with_next = True
    _paragraph_style(doc, "Header", size=13).paragraph_format.tab_stops.clear_all()


def _properties(doc, context: ReportContext) -> None:
    props = doc.core_properties
    props.title = _clean(f"{_('Báo cáo')} {context.subject}")[:255]
    props.author = _clean(f"{context.issuer.office} {context.issuer.place}")[:255]
    props.language = "vi-VN"
    props.comments = "Sơ kết"


def _text_width(section) -> Emu:
    return Emu(section.page_width - section.left_margin - section.right_margin)


def _page(section, *, landscape: bool) -> None:
    """A4 with the Party document margins (kept on a landscape page: binding on the left)."""
    width, height = (Mm(A4_MM[1]), Mm(A4_MM[0])) if landscape else (Mm(A4_MM[0]), Mm(A4_MM[1]))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM.top), Mm(MARGINS_MM.bottom)
    section.left_margin, section.right_margin = Mm(MARGINS_MM.left), Mm(MARGINS_MM.right)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE): begin, instruction, separate, its last value, end; a run each, as Word
    writes them."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        paragraph.add_run()._r.append(element)


def _header(section, *, draft: bool, title_page: bool) -> None:
    """Page number centred at the top (none on the first page); "DỰ THẢO" at the right on a draft,
    in the header, so it never sits over the text."""
    section.different_first_page_header_footer = title_page
    width = _text_width(section)
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = "Header"
    tabs = paragraph.paragraph_format.tab_stops
    tabs.clear_all()
    tabs.add_tab_stop(Emu(width // 2), WD_TAB_ALIGNMENT.CENTER)
    tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run("\t")
    _field(paragraph, "PAGE", "2")
    if draft:
        paragraph.add_run("\t")
        _draft_mark(paragraph)
    if title_page:
        first = section.first_page_header
        first.is_linked_to_previous = False
        first_paragraph = first.paragraphs[0]
        first_paragraph.style = "Header"
        if draft:
            first_paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _draft_mark(first_paragraph)


def _draft_mark(paragraph) -> None:
    run = paragraph.add_run(_("DỰ THẢO"))
    run.bold = True
    run.font.size = Pt(12)


# --- Building blocks ---------------------------------------------------------------------------


def _clean(text) -> str:
    return _NOT_XML.sub("", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")


def _add(container, text="", style=None, **kwargs):
    return _fill(container.add_paragraph(), text, style, **kwargs)


# python-docx resolves a style name on every assignment by walking all the document's styles, and
# again to tell whether it is the default: ~10 ms a paragraph, most of a big annex's time. Each
# document resolves a name once; the paragraph gets the same w:pStyle python-docx would write.
_STYLE_IDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _set_style(paragraph, name: str) -> None:
    part = paragraph.part
    ids = _STYLE_IDS.setdefault(part, {})
    if name not in ids:
        ids[name] = part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
    paragraph._p.style = ids[name]


def _fill(paragraph, text="", style=None, *, bold=None, italic=None, size=None, align=None, keep=False):
    if style:
        _set_style(paragraph, style)
    if text:
        run = paragraph.add_run(_clean(text))
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if keep:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _cell_paragraph(cell, text="", style=None, **kwargs):
    """The cell's own empty paragraph first, then new ones: a cell never starts with a blank line."""
    paragraphs = cell.paragraphs
    pristine = len(paragraphs) == 1 and not paragraphs[0].runs and paragraphs[0]._p.pPr is None
    return _fill(paragraphs[0] if pristine else cell.add_paragraph(), text, style, **kwargs)


# Word refuses a file whose property elements are out of the schema's order: each element we add
# goes before the first of these that is already there.
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_TBL_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_P_BDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, *_AFTER_TBL_BORDERS)


def _widths(table, widths_mm) -> None:
    """Fixed column widths (Word and LibreOffice both read tblGrid and every cell's tcW)."""
    table.autofit = False  # w:tblLayout type="fixed"
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_margins(table, *, sides_pt: float) -> None:
    """Side padding as report.css's (Word's default 1.9 mm would wrap "TT" in its 9 mm). The
    vertical padding is the cell styles' paragraph spacing instead: LibreOffice, given top and
    bottom cell margins with repeated header rows, leaves a quarter of each page empty."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(sides_pt * 20)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, *_AFTER_TBL_CELL_MAR)


def _repeat_header(row) -> None:
    """w:tblHeader: Word repeats this row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.insert_element_before(
        header, "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange"
    )


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    tr_pr.insert_element_before(element, "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    successors = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
    cell._tc.get_or_add_tcPr().insert_element_before(shading, *successors)


def _rule(doc, width_mm: float) -> None:
    """A short centred rule under the title: an empty paragraph with a bottom border."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    side = Emu((_text_width(doc.sections[-1]) - Mm(width_mm)) // 2)
    fmt.left_indent = fmt.right_indent = side
    fmt.space_after = Pt(14)
    fmt.line_spacing = Pt(4)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_AFTER_P_BDR)


def _text(doc, text) -> None:
    """A free-text section as Django's `linebreaks` shows it: blank lines part paragraphs, a single
    newline breaks the line. User text is only ever a run's text: nothing in it is markup."""
    text = _clean(text).strip()
    if not text:
        _add(doc, _("(Chưa có nội dung)"), "Empty Section")
        return
    for block in re.split(r"\n{2,}", text):
        paragraph = _add(doc, style="Body Text")
        for i, line in enumerate(block.split("\n")):
            if i:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            paragraph.add_run(line)


def _numbered(doc, n: int, text: str) -> None:
    paragraph = _add(doc, style="Body Text")
    paragraph.add_run(f"{n}.").bold = True
    paragraph.add_run(f" {_clean(text)}")


def _chart(doc, svg) -> None:
    """The chart the PDF shows, rasterised from the same SVG; its title and description become the
    picture's alternative text. An image taller than the page is scaled down to fit it."""
    svg = str(svg or "")
    if not svg:
        return
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    alt = ". ".join(filter(None, ((root.findtext(f"{ns}title") or ""), (root.findtext(f"{ns}desc") or ""))))
    _x, _y, view_w, view_h = (float(v) for v in root.attrib["viewBox"].split())
    section = doc.sections[-1]
    width: Length = Mm(CHART_WIDTH_MM)
    max_height = section.page_height - section.top_margin - section.bottom_margin - Mm(20)
    height = Emu(int(width * view_h / view_w))
    if height > max_height:
        width, height = Emu(int(width * max_height / height)), Emu(max_height)
    pixels_wide = min(1200, int(math.sqrt(_CHART_MAX_PIXELS * view_w / view_h)))
    png = _rasterise(svg, pixels_wide=pixels_wide)
    paragraph = _add(doc, style="Chart")
    if png is None:  # no cairo on this machine: the chart's own words instead of its picture
        paragraph.add_run(_clean(alt)).italic = True
        return
    run = paragraph.add_run()
    shape = run.add_picture(io.BytesIO(png), width=width, height=height)
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", _clean(alt)[:2000])
    doc_pr.set("title", _clean(root.findtext(f"{ns}title") or "")[:255])


def _rasterise(svg: str, *, pixels_wide: int) -> bytes | None:
    try:  # cairosvg loads the system's libcairo when imported
        from cairosvg.surface import PNGSurface
    except OSError:
        logger.warning("report docx: libcairo is missing; charts are written as text")
        return None
    return PNGSurface.convert(bytestring=svg.encode(), output_width=pixels_wide, url_fetcher=_refuse_url)


def _refuse_url(url, resource_type):
    """Our SVG names no URL (its patterns are `url(#id)` inside it); anything else is refused, even
    `data:`, which cairosvg's own safe fetcher would still open."""
    logger.warning("report docx: refused to fetch %.200s", url)
    return _EMPTY_SVG


# --- The document ------------------------------------------------------------------------------


def _letterhead(doc, context: ReportContext) -> None:
    """Issuing committee left, "ĐẢNG CỘNG SẢN VIỆT NAM" right (Hướng dẫn 36), then the title."""
    issuer = context.issuer
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    width = _text_width(doc.sections[-1]).mm
    _widths(table, (width * 0.42, width * 0.58))
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    if issuer.superior:
        _cell_paragraph(left, issuer.superior, size=13, align=center)
    _cell_paragraph(left, issuer.name, bold=True, size=13, align=center)
    _cell_paragraph(left, "*", align=center)
    _cell_paragraph(left, f"{_('Số')} {context.number}", size=13, align=center)
    party = _cell_paragraph(right, _("ĐẢNG CỘNG SẢN VIỆT NAM"), bold=True, size=14, align=center)
    party.runs[0].underline = True
    place = _cell_paragraph(right, context.place_date, italic=True, size=BODY_PT, align=center)
    place.paragraph_format.space_before = Pt(10)

    _add(doc, _("BÁO CÁO"), "Title")
    _add(doc, context.subject, "Subtitle")
    _rule(doc, 30)


def _body(doc, context: ReportContext) -> None:
    review = context.review
    _add(doc, context.sentences.lead, "Body Text")

    _add(doc, _("I. KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT"), "Heading 1")
    _add(doc, _("1. Đánh giá chung"), "Heading 2")
    _text(doc, review.overall)
    _add(doc, _("2. Kết quả thực hiện các chỉ tiêu chủ yếu"), "Heading 2")
    _add(doc, context.sentences.tally_sentence, "Tally Sentence")
    if context.sentences.fields_sentence:
        _add(doc, context.sentences.fields_sentence, "Body Text")
    if context.adjustments:
        _add(doc, _("Chỉ tiêu được điều chỉnh giữa nhiệm kỳ:"), "Intro")
        for line in context.adjustments:
            _add(doc, line, "Body Text")
    _chart(doc, context.status_chart)

    if context.assigned_sentence:
        _add(doc, _("3. Thực hiện chỉ tiêu cấp trên giao trên địa bàn"), "Heading 2")
        note = _("(không cộng vào kết quả trên; chi tiết tại Phụ lục kèm theo).")
        _add(doc, f"{context.assigned_sentence} {note}", "Tally Sentence")

    children = context.rollup.children
    if children:
        heading = (
            _("4. Kết quả của các đơn vị trực thuộc")
            if context.assigned_sentence
            else _("3. Kết quả của các đơn vị trực thuộc")
        )
        _add(doc, heading, "Heading 2")
        _add(doc, context.sentences.children_intro, "Intro")
        _children_table(doc, children, context.children_sum)
        _chart(doc, context.children_chart)

    _add(doc, _("II. TỒN TẠI, HẠN CHẾ, NGUYÊN NHÂN VÀ BÀI HỌC KINH NGHIỆM"), "Heading 1")
    _add(doc, _("1. Tồn tại, hạn chế"), "Heading 2")
    _text(doc, review.shortcomings)
    _add(doc, _("2. Nguyên nhân"), "Heading 2")
    _add(doc, _("a) Nguyên nhân khách quan"), "Heading 3")
    _text(doc, review.causes_objective)
    _add(doc, _("b) Nguyên nhân chủ quan"), "Heading 3")
    _text(doc, review.causes_subjective)
    _add(doc, _("3. Bài học kinh nghiệm"), "Heading 2")
    if context.lessons:
        _add(doc, context.sentences.lessons_intro, "Intro")
        for n, lesson in enumerate(context.lessons, 1):
            _numbered(doc, n, lesson.text)
    else:
        _text(doc, "")

    _add(doc, _("III. NHIỆM VỤ, GIẢI PHÁP NỬA CUỐI NHIỆM KỲ"), "Heading 1")
    _add(doc, _("1. Nhiệm vụ trọng tâm"), "Heading 2")
    _text(doc, review.tasks)
    _add(doc, _("2. Giải pháp"), "Heading 2")
    if context.solutions:
        _add(doc, context.sentences.solutions_intro, "Intro")
        previous_area = None
        for n, (group, area) in enumerate(context.solutions, 1):
            if group.area != previous_area:
                _add(doc, f"{_('Về')} {area}", "Solution Area")
                previous_area = group.area
            _numbered(doc, n, group.text)
    else:
        _text(doc, "")

    closing = _add(doc, context.sentences.closing, "Body Text", keep=True)
    closing.paragraph_format.space_before = Pt(8)


def _children_table(doc, children, total) -> None:
    # "Chưa thể đánh giá" gets its column only where some child has one, so the columns add up.
    assessable = bool(total.not_assessable)
    headers = [_("TT"), _("Đơn vị"), _("Tổng số chỉ tiêu"), _("Đạt và vượt"), _("Khó đạt")]
    headers += [_("Không đạt"), *([_("Chưa thể đánh giá")] if assessable else []), _("Chưa đánh giá")]
    table = doc.add_table(rows=len(children) + 2, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = _text_width(doc.sections[-1]).mm
    numbers = len(headers) - 2
    _widths(table, (9, width - 9 - numbers * 17, *[17] * numbers))
    rows = table.rows
    _cell_margins(table, sides_pt=3)
    _repeat_header(rows[0])
    for cell, text in zip(rows[0].cells, headers, strict=True):
        _cell_paragraph(cell, text, "Table Text", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = [(str(n), child.committee.name, child.tally, False) for n, child in enumerate(children, 1)] + [
        ("", _("Cộng"), total, True)
    ]
    for row, (n, name, tally, bold) in zip(rows[1:], lines, strict=True):
        _cant_split(row)
        cells = row.cells
        values = (
            tally.total,
            tally.achieved,
            tally.hard,
            tally.not_achieved,
            *([tally.not_assessable] if assessable else []),
            tally.not_assessed,
        )
        _cell_paragraph(cells[0], n, "Table Text", align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell_paragraph(cells[1], name, "Table Text", bold=bold or None)
        for cell, value in zip(cells[2:], values, strict=True):
            _cell_paragraph(
                cell, str(value), "Table Text", bold=bold or None, align=WD_ALIGN_PARAGRAPH.CENTER
            )
    if len(rows) <= _WHOLE_TABLE_ROWS:  # Word keeps a table together by keeping each row with the next
        for row in rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _signature(doc, context: ReportContext) -> None:
    """ "Nơi nhận" bottom left in small type, the signer right; one row that never splits."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    width = _text_width(doc.sections[-1]).mm
    _widths(table, (width * 0.48, width * 0.52))
    _cant_split(table.rows[0])
    left, right = table.rows[0].cells
    title = _cell_paragraph(left, _("Nơi nhận:"), "Recipients", bold=True, italic=True, size=12)
    title.paragraph_format.space_before = Pt(14)
    recipients = context.recipients
    if recipients:
        for i, line in enumerate(recipients):
            _cell_paragraph(left, f"- {line}{'.' if i == len(recipients) - 1 else ','}", "Recipients")
    else:
        _cell_paragraph(left, f"- {_('Lưu Văn phòng.')}", "Recipients")

    center = WD_ALIGN_PARAGRAPH.CENTER
    on_behalf = _cell_paragraph(right, context.issuer.on_behalf, bold=True, size=14, align=center)
    on_behalf.paragraph_format.space_before = Pt(14)
    _cell_paragraph(right, (context.review.signer_title or "").upper(), bold=True, size=14, align=center)
    space = _cell_paragraph(right, align=center)
    if context.is_draft:
        space.add_run(_("(Dự thảo – chưa ký)")).italic = True
        space.runs[0].font.size = Pt(11)
        space.runs[0].font.color.rgb = _GREY
    space.paragraph_format.space_before = Pt(17)
    space.paragraph_format.space_after = Pt(40)
    _cell_paragraph(right, context.review.signer_name, bold=True, size=14, align=center)


def _shrink_section_break(doc) -> None:
    """The empty paragraph that ends the body's section holds no text: 1 pt high, so a signature
    at the foot of a full page does not push it onto a blank page of its own."""
    holder = doc.element.body.xpath("./w:p[w:pPr/w:sectPr]")[-1]
    paragraph = Paragraph(holder, doc._body)
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    holder.pPr.find(qn("w:sectPr")).addprevious(mark)


def _annex(doc, context: ReportContext) -> None:
    """Every indicator, in a section of its own: landscape when a narrow column would not fit."""
    groups = context.annex
    years = context.annex_results.headers  # results over time: year columns, as in the PDF
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _shrink_section_break(doc)
    _page(section, landscape=context.annex_landscape)
    _header(section, draft=context.is_draft, title_page=False)

    _add(doc, _("PHỤ LỤC"), "Annex Title", size=14)
    _add(doc, _("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NGHỊ QUYẾT"), "Annex Title")
    sub = _add(doc, context.sentences.annex_sub, "Annex Title", bold=False, italic=True)
    sub.paragraph_format.space_after = Pt(8)

    headers = [_("STT"), _("Chỉ tiêu"), _("ĐVT"), _("Mục tiêu NQ"), *years, context.value_label]
    headers += [_("Đánh giá"), _("Ghi chú")]
    n_cols = len(headers)
    last = n_cols - 1
    n_rows = 1 + sum(1 + len(group.rows) for group in groups) + (0 if groups else 1)
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    columns_mm = [*_ANNEX_COLUMNS_MM[:4], *[_YEAR_COLUMN_MM] * len(years), *_ANNEX_COLUMNS_MM[4:]]
    scale = _text_width(section).mm / sum(columns_mm)
    _widths(table, [w * scale for w in columns_mm])
    rows = iter(table.rows)
    header = next(rows)
    _cell_margins(table, sides_pt=2.5)
    _repeat_header(header)
    for cell, text in zip(header.cells, headers, strict=True):
        _cell_paragraph(cell, text, "Annex Text", bold=True, size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if not groups:
        row = next(rows)
        merged = row.cells[0].merge(row.cells[last])
        _cell_paragraph(merged, _("Đơn vị chưa có chỉ tiêu."), "Annex Text")
    center = WD_ALIGN_PARAGRAPH.CENTER
    for group in groups:
        row = next(rows)
        _cant_split(row)
        merged = row.cells[0].merge(row.cells[last])
        _cell_paragraph(merged, group.label, "Annex Text", bold=True, italic=True)
        _shade(merged, "EEEEEE")
        for annex_row in group.rows:
            indicator = annex_row.indicator
            row = next(rows)
            _cant_split(row)
            assessment = indicator.assessment
            cells = row.cells
            status = assessment.status if assessment else ""
            _cell_paragraph(cells[0], indicator.number, "Annex Text", align=center)
            text = _cell_paragraph(cells[1], indicator.text, "Annex Text")
            if annex_row.is_part:  # indented under its group, as in the PDF
                text.paragraph_format.left_indent = Mm(_PART_INDENT_MM)
            _cell_paragraph(cells[2], indicator.unit, "Annex Text", align=center)
            _cell_paragraph(cells[3], indicator.target_shown, "Annex Text", align=center)
            for i, text in enumerate(annex_row.cells, start=4):
                _cell_paragraph(cells[i], text, "Annex Text", size=9, align=center)
            v = 4 + len(years)
            _cell_paragraph(cells[v], assessment.value if assessment else "", "Annex Text", align=center)
            strong = status in (Status.NOT_ACHIEVED, Status.HARD, Status.NOT_ASSESSABLE) or None
            label = assessment.status_shown if assessment else ""
            if annex_row.is_part:  # no status of its own: the committee judges its group
                paragraph = _cell_paragraph(
                    cells[v + 1], annex_row.part_suggestion, "Annex Text", italic=True, align=center
                )
            else:
                paragraph = _cell_paragraph(cells[v + 1], label, "Annex Text", bold=strong, align=center)
            if annex_row.trajectory:  # at the end: "giữa kỳ: khó đạt → cuối kỳ: đạt"
                paragraph.add_run("\n" + annex_row.trajectory).italic = True
            if assessment and assessment.disagrees and not annex_row.is_part:
                suggested = _("(số liệu gợi ý: %(suggested)s)") % {
                    "suggested": assessment.get_suggested_status_display()
                }
                paragraph.add_run("\n" + suggested).italic = True
            _cell_paragraph(cells[v + 2], assessment.note if assessment else "", "Annex Text", size=9)
