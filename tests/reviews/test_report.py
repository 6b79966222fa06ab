"""The PDF report: its text, fonts, watermark, the safe URL fetcher, the size bound, the command."""

import dataclasses
import io
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from pypdf import PdfReader
from pypdf.generic import ContentStream

from indicators.models import Assessment
from reviews.models import Lesson, Review, ReviewState, SolutionArea
from reviews.report import ReportTooLarge
from reviews.report.html import report_html
from reviews.report.layout import MARGINS_MM, page_css
from reviews.report.pdf import BASE_URL, StaticOnlyFetcher, URLRefused, html_to_pdf, report_pdf
from reviews.report.selectors import ReportContext, issuer_of, report_context
from reviews.services import SolutionItem, review_document_seed


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.fixture
def province(make_committee, make_indicators):
    bk = make_committee("BK", name="Đảng bộ tỉnh Bắc Kạn")
    make_indicators(bk, ["achieved", "achieved", "hard", "not_achieved"])
    district = make_committee("BK-CD", bk, name="Đảng bộ huyện Chợ Đồn")
    make_indicators(district, ["achieved", "hard"])
    review_document_seed(
        committee=bk,
        fields={"overall": "Đánh giá chung của Tỉnh ủy.", "signer_name": "Hoàng Văn Minh"},
        lessons=["Bài học thứ nhất", "Bài học thứ hai"],
        solutions=[SolutionItem(SolutionArea.PARTY_BUILDING, "Xây dựng Đảng trong sạch")],
    )
    return bk


class Listener:
    """A socket on 127.0.0.1 that records whether anyone connected."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_pdf_text_has_tally_sentence_names_and_every_indicator(province):
    text = _text(report_pdf(committee=province))
    assert "2/4 chỉ tiêu có khả năng đạt và vượt; 1 chỉ tiêu khó đạt; 1 chỉ tiêu không đạt" in text
    assert "ĐẢNG BỘ TỈNH BẮC KẠN" in text and "TỈNH ỦY" in text
    assert "Đảng bộ huyện Chợ Đồn" in text
    for i in range(1, 5):
        assert f"Chỉ tiêu {i}" in text
    assert "2 bài học kinh nghiệm" in text and "1 nhóm giải pháp" in text
    assert "Hoàng Văn Minh" in text and "T/M TỈNH ỦY" in text


def test_pdf_fonts_are_embedded(province):
    reader = PdfReader(io.BytesIO(report_pdf(committee=province)))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)[
                "/FontDescriptor"
            ].get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    assert any("Liberation-Serif" in name for name in fonts)


def _embedded_fonts(pdf):
    """BaseFont name → the full name in the embedded font file's own name table."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = descendants[0].get_object()["/FontDescriptor"].get_object()
            embedded = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            fonts[str(font["/BaseFont"])] = embedded["name"].getDebugName(4)
    return fonts


# Renders HTML in a process whose fontconfig knows no font at all: what the shipped fonts alone give.
_RENDER_WITHOUT_SYSTEM_FONTS = """
import sys, django
django.setup()
from reviews.report.pdf import html_to_pdf
sys.stdout.buffer.write(html_to_pdf(sys.stdin.read()))
"""


def test_pdf_is_set_in_the_shipped_fonts_with_no_system_font(province, tmp_path):
    """static/fonts/ alone sets the report: Liberation Serif in its four styles, Vietnamese included,
    and DejaVu Sans for characters Liberation Serif lacks. No system font is consulted."""
    Review.objects.filter(committee=province).update(overall="Đạt ✓ – xếp hạng ★ – mã 12‑34 ☐")
    html = report_html(committee=province)
    config = tmp_path / "fonts.conf"
    config.write_text(f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>")
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(config),
        "FONTCONFIG_PATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "test-only",
    }
    assert subprocess.run(["fc-list"], env=env, capture_output=True, text=True).stdout.strip() == ""
    done = subprocess.run(
        [sys.executable, "-c", _RENDER_WITHOUT_SYSTEM_FONTS],
        input=html.encode(),
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        timeout=120,
        check=True,
    )
    pdf = done.stdout
    fonts = set(_embedded_fonts(pdf).values())
    assert fonts == {
        "Liberation Serif",
        "Liberation Serif Bold",
        "Liberation Serif Italic",
        "Liberation Serif Bold Italic",
        "DejaVu Sans",
    }, fonts
    text = _text(pdf)
    assert "ĐẢNG BỘ TỈNH BẮC KẠN" in text and "Đạt ✓ – xếp hạng ★" in text


def test_shipped_fonts_carry_their_licences():
    fonts = Path(settings.BASE_DIR, "static", "fonts")
    shipped = {path.name for path in fonts.glob("*.ttf")}
    assert shipped == {
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
        "DejaVuSans.ttf",
    }
    assert "SIL Open Font License" in (fonts / "LICENSE-Liberation.txt").read_text()
    assert "Bitstream" in (fonts / "LICENSE-DejaVu.txt").read_text()
    readme = (fonts / "README.md").read_text()
    assert "fonts-liberation2" in readme and "fonts-dejavu-core" in readme
    css = Path(settings.BASE_DIR, "static", "css", "report.css").read_text()
    for name in shipped:  # each shipped file is loaded, none is dead weight
        assert f'url("../fonts/{name}")' in css


def _images(pdf: bytes) -> int:
    resources = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"].get_object()
    assert isinstance(resources, dict)
    xobjects = resources.get("/XObject", {})
    return sum(x["/Subtype"] == "/Image" for x in xobjects.values())


def test_draft_has_watermark_approved_has_none(province):
    draft = report_pdf(committee=province)
    assert _images(draft) == 1 and "DỰ THẢO" not in _text(draft)  # drawn, not text
    Review.objects.filter(committee=province).update(state=ReviewState.APPROVED)
    assert _images(report_pdf(committee=province)) == 0


def _image_centres_mm(pdf):
    """Per page: its width and height, and the centre (x from the left, y from the top) of its image."""
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    for page in reader.pages:
        xobjects = page["/Resources"]["/XObject"]
        ctm, stack = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                a, b, c, d, e, f = (float(x) for x in operands)
                m = ctm
                ctm = (
                    a * m[0] + b * m[2],
                    a * m[1] + b * m[3],
                    c * m[0] + d * m[2],
                    c * m[1] + d * m[3],
                    e * m[0] + f * m[2] + m[4],
                    e * m[1] + f * m[3] + m[5],
                )
            elif operator == b"Do" and xobjects[operands[0]].get_object()["/Subtype"] == "/Image":
                width, height = float(page.mediabox.width), float(page.mediabox.height)
                x, y = ctm[4] + ctm[0] / 2, ctm[5] + ctm[3] / 2
                found.append(tuple(round(v * 25.4 / 72, 1) for v in (width, height, x, height - y)))
    return found


def test_watermark_is_centred_on_portrait_and_landscape_pages():
    """On the text area of each page (the report's margins), not 10 mm from its left edge."""
    html = (
        '<html><head><link rel="stylesheet" href="/static/css/report.css">'
        f"<style>{page_css()}</style></head><body>"
        '<div class="watermark"><img src="/static/img/draft-watermark.png" alt=""></div>'
        '<p>Trang dọc</p><section class="annex wide"><p>Trang ngang</p></section></body></html>'
    )
    portrait, landscape = _image_centres_mm(html_to_pdf(html))
    assert (MARGINS_MM.top, MARGINS_MM.right, MARGINS_MM.bottom, MARGINS_MM.left) == (20, 15, 20, 30)
    assert portrait == (210.0, 297.0, 30 + 165 / 2, 20 + 257 / 2)
    assert landscape == (297.0, 210.0, 30 + 252 / 2, 20 + 170 / 2)


# Names the report's templates bind themselves (loops, `with`), and the renderer's own additions.
_TEMPLATE_LOCALS = {"area", "cell", "changed", "child", "forloop", "group", "header", "ind", "lesson"}
_TEMPLATE_LOCALS |= {"line", "part", "row", "suggested", "text", "name", "content", "url"}
_RENDERER_ADDS = {"annex_columns", "value_label", "page_css", "static_prefix"}
# The first name a tag reads: {% if x %}, {% for a in x %}, {% with a=x %}, {% include "…" with a=x %}.
_TAG_READS = (
    r'{%\s*(?:if|elif|ifchanged|for [\w, ]+ in|(?:include "[^"]+" )?with \w+=)\s*(?:not\s+)?([a-z_]+)'
)


def test_the_report_templates_read_only_what_the_context_holds():
    """mypy holds the DOCX writer to ReportContext; this holds the HTML (the PDF) to it: every name
    the report's templates read at the top level is one of its fields, so a renamed field cannot
    leave a blank in one format only."""
    folder = Path(settings.BASE_DIR) / "reviews" / "templates" / "reviews" / "report"
    names: set[str] = set()
    for template in ("report.html", "heading.html", "signature.html", "text.html", "verification.html"):
        text = (folder / template).read_text(encoding="utf-8")
        names |= set(re.findall(r"{{\s*([a-z_]+)", text))
        names |= set(re.findall(_TAG_READS, text))
    fields = {field.name for field in dataclasses.fields(ReportContext)}
    assert {"sentences", "annex", "issuer", "review"} <= names  # the templates were read
    unknown = names - _TEMPLATE_LOCALS - fields - _RENDERER_ADDS
    assert not unknown, f"the report templates read {sorted(unknown)}, which ReportContext does not hold"


def test_issuer_by_level(province):
    district = province.children.get()
    assert issuer_of(province).name == "TỈNH ỦY" and issuer_of(province).abbreviation == "TU"
    issuer = issuer_of(district)
    assert (issuer.superior, issuer.name, issuer.abbreviation, issuer.on_behalf) == (
        "ĐẢNG BỘ TỈNH BẮC KẠN",
        "HUYỆN ỦY CHỢ ĐỒN",
        "HU",
        "T/M HUYỆN ỦY",
    )


# Each kind of unit, with a name that says another kind: the heading follows the stored kind only.
ISSUER_BY_KIND = [
    # (level, kind, name, the heading's issuer line, the number's suffix, the signature)
    ("province", "province", "Đảng bộ thành phố Mẫu", "TỈNH ỦY", "TU", "T/M TỈNH ỦY"),
    ("province", "central_city", "Đảng bộ tỉnh Mẫu", "THÀNH ỦY", "TU", "T/M THÀNH ỦY"),
    ("district", "district", "Đảng bộ thị xã Mẫu", "HUYỆN ỦY MẪU", "HU", "T/M HUYỆN ỦY"),
    ("district", "town", "Đảng bộ huyện Mẫu", "THỊ ỦY MẪU", "TU", "T/M THỊ ỦY"),
    ("district", "city", "Đảng bộ huyện Mẫu", "THÀNH ỦY MẪU", "TU", "T/M THÀNH ỦY"),
    ("district", "urban_district", "Đảng bộ huyện Mẫu", "QUẬN ỦY MẪU", "QU", "T/M QUẬN ỦY"),
    ("commune", "commune", "Đảng bộ phường Mẫu", "ĐẢNG ỦY XÃ MẪU", "ĐU", "T/M ĐẢNG ỦY"),
    ("commune", "ward", "Đảng bộ xã Mẫu", "ĐẢNG ỦY PHƯỜNG MẪU", "ĐU", "T/M ĐẢNG ỦY"),
    ("commune", "township", "Đảng bộ xã Mẫu", "ĐẢNG ỦY THỊ TRẤN MẪU", "ĐU", "T/M ĐẢNG ỦY"),
    ("commune", "special_zone", "Đảng bộ xã Mẫu", "ĐẢNG ỦY ĐẶC KHU MẪU", "ĐU", "T/M ĐẢNG ỦY"),
]


@pytest.mark.parametrize(("level", "kind", "name", "heading", "suffix", "on_behalf"), ISSUER_BY_KIND)
def test_issuer_heading_comes_from_the_stored_kind_in_the_html_and_the_docx(
    term, level, kind, name, heading, suffix, on_behalf
):
    """A district stored as "thị xã" is headed "THỊ ỦY" whatever its name says, in both renderings."""
    from indicators.services.committees import committee_create
    from reviews.report.docx import context_to_docx
    from reviews.report.html import render_report_html
    from tests.reviews.test_report_docx import _open

    parent = None
    if level != "province":
        parent = committee_create(term=term, code="P", name="Đảng bộ tỉnh Trên", level="province")
    if level == "commune":
        parent = committee_create(
            term=term, code="P-D", name="Đảng bộ huyện Giữa", level="district", parent=parent
        )
    committee = committee_create(term=term, code="U", name=name, level=level, parent=parent, kind=kind)
    issuer = issuer_of(committee)
    assert (issuer.name, issuer.abbreviation, issuer.on_behalf) == (heading, suffix, on_behalf)

    context = report_context(committee=committee)
    html = render_report_html(context)
    assert f'<div class="issuer-name">{heading}</div>' in html
    assert f"-BC/{suffix}" in html
    letterhead = _open(context_to_docx(context)).tables[0]
    issuer_lines = letterhead.rows[0].cells[0].text.split("\n")
    assert heading in issuer_lines and issuer_lines[-1].endswith(f"-BC/{suffix}")


def test_report_context_query_count_is_fixed(
    province, make_committee, make_indicators, django_assert_num_queries
):
    """The same queries on a small tree and on one with more children, indicators, resolutions
    and lessons: nothing is fetched per child, per indicator or per list item."""
    with django_assert_num_queries(8):
        small = report_context(committee=province)
    for i in range(6):
        district = make_committee(f"BK-X{i}", province, name=f"Đảng bộ huyện X{i}")
        make_indicators(district, ["achieved", "hard", "not_assessed"])
        for j in range(3):
            make_indicators(make_committee(f"BK-X{i}-{j}", district), ["achieved"])
    make_indicators(province, ["hard", "achieved", "not_achieved"], number="05-NQ/TU", kind="thematic")
    review = Review.objects.get(committee=province)
    Lesson.objects.bulk_create(Lesson(review=review, position=10 + k, text=f"Bài học {k}") for k in range(5))
    with django_assert_num_queries(8):
        large = report_context(committee=province)
    assert (len(large.rollup.children), sum(len(g.rows) for g in large.annex)) == (7, 7)
    assert (len(small.rollup.children), sum(len(g.rows) for g in small.annex)) == (1, 4)
    assert len(large.lessons) == 7


def test_user_text_with_urls_is_printed_literally_and_fetches_nothing(province, listener):
    evil_img = '<img src="file:///etc/passwd">'
    evil_link = '<link rel="attachment" href="file:///etc/hostname">'
    evil_net = f'<img src="http://127.0.0.1:{listener.port}/x.png">'
    Review.objects.filter(committee=province).update(overall=f"{evil_link} {evil_net}")
    assessment = Assessment.objects.filter(indicator__resolution__committee=province).first()
    Assessment.objects.filter(pk=assessment.pk).update(note=evil_img)
    fetcher = StaticOnlyFetcher()
    pdf = html_to_pdf(report_html(committee=province), fetcher=fetcher)
    # A narrow annex cell may wrap a long word anywhere: compare the text without its white space.
    text = "".join(_text(pdf).split())
    assert "file:///etc/hostname" in text and f"127.0.0.1:{listener.port}/x.png" in text
    assert '<imgsrc="file:///etc/passwd">' in text
    assert b"/EmbeddedFile" not in pdf and b"/FileAttachment" not in pdf
    assert fetcher.refused == []  # escaped text names no URL at all
    assert listener.connections == 0


def test_fetcher_refuses_files_network_and_data_even_in_raw_html(listener):
    """Defence in depth: even HTML that names URLs (not our template) fetches nothing but our CSS."""
    html = (
        '<html><head><link rel="stylesheet" href="/static/css/report.css">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/a.css">'
        '<link rel="attachment" href="file:///etc/hostname"></head><body>'
        '<img src="file:///etc/passwd">'
        f'<img src="http://127.0.0.1:{listener.port}/x.png">'
        f'<img src="https://127.0.0.1:{listener.port}/y.png">'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
        '<img src="/static/../../../etc/passwd.png"><p>Xin chào</p></body></html>'
    )
    fetcher = StaticOnlyFetcher()
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert fetcher.served[0] == BASE_URL + "static/css/report.css"
    assert sorted(fetcher.served[1:]) == sorted(
        f"{BASE_URL}static/fonts/{name}.ttf"
        for name in ("LiberationSerif-Regular", "LiberationSerif-Bold", "LiberationSerif-Italic")
        + ("LiberationSerif-BoldItalic", "DejaVuSans")
    )
    assert len(fetcher.refused) == 7
    assert listener.connections == 0
    assert b"/EmbeddedFile" not in pdf and b"/FileAttachment" not in pdf
    with open("/etc/hostname", "rb") as file:
        hostname = file.read().strip()
    assert not hostname or hostname not in pdf


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/static/css/report.css",
        "https://report.soket.invalid/static/../config/settings.py",
        "https://report.soket.invalid/static/css/../../manage.py",
        "https://report.soket.invalid/static/css/report.css?x=1",
        "https://report.soket.invalid/media/x.css",
        "https://user@report.soket.invalid/static/css/report.css",
        "data:text/css,body{}",
        "file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "http://127.0.0.1/static/fonts/DejaVuSans.ttf",
        "https://report.soket.invalid/static/fonts/../../static/fonts/DejaVuSans.ttf",
        "https://report.soket.invalid/static/fonts/README.md",
        "https://report.soket.invalid/static/fonts/LICENSE-DejaVu.txt",
    ],
)
def test_fetcher_refuses(url):
    with pytest.raises(URLRefused):
        StaticOnlyFetcher().fetch(url)


def test_huge_report_is_refused_with_clear_message(province, monkeypatch, client, make_user):
    monkeypatch.setattr("reviews.report.selectors.MAX_REPORT_INDICATORS", 3)
    monkeypatch.setattr("reviews.report.MAX_REPORT_INDICATORS", 3)
    with pytest.raises(ReportTooLarge, match="4 chỉ tiêu, vượt giới hạn 3"):
        report_pdf(committee=province)
    client.force_login(make_user("xem", province))
    response = client.get(f"{reverse('report_pdf', args=['BK'])}?term=2020-2025")
    assert response.status_code == 413
    assert "vượt giới hạn 3 chỉ tiêu" in response.content.decode()


def test_pdf_view_is_an_attachment_with_ascii_name(province, client, make_user, settings):
    # Rendered at once instead of by the worker (tests/reviews/test_report_serve.py tests the queue).
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "reports", "email"],
        }
    }
    client.force_login(make_user("xem", province))
    response = client.get(f"{reverse('report_pdf', args=['BK'])}?term=2020-2025")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-so-ket-BK-2020-2025.pdf"'
    assert response.content.startswith(b"%PDF")


def test_report_command_writes_pdf(province, tmp_path):
    out = tmp_path / "bk.pdf"
    call_command("report", "BK", "--term", "2020-2025", "-o", str(out), stderr=io.StringIO())
    assert "ĐẢNG BỘ TỈNH BẮC KẠN" in _text(out.read_bytes())


@pytest.mark.parametrize(
    ("code", "term_code", "message"),
    [("XX", "2020-2025", "unknown committee"), ("BK", "1990-1995", "unknown term")],
)
def test_report_command_unknown_code_or_term_exits_1(province, tmp_path, code, term_code, message):
    # CommandError: manage.py prints its one line on stderr and exits 1.
    with pytest.raises(CommandError, match=message) as error:
        call_command("report", code, "--term", term_code, "-o", str(tmp_path / "x.pdf"))
    assert "\n" not in str(error.value)
    assert not (tmp_path / "x.pdf").exists()


def test_seed_is_idempotent(province):
    review = Review.objects.get(committee=province)
    assert (
        review_document_seed(committee=province, fields={"overall": "khác"}, lessons=["x"], solutions=[])
        is False
    )
    assert Review.objects.get(pk=review.pk).overall == "Đánh giá chung của Tỉnh ủy."


def test_a_committee_named_by_its_office_is_headed_once_under_its_superior_body(term):
    """Workbooks often name committees by their office ("Huyện ủy Lương Sơn", "Đảng ủy phường Tứ
    Hạ"): the heading reads "HUYỆN ỦY LƯƠNG SƠN" under "ĐẢNG BỘ TỈNH HÒA BÌNH" and the place line
    "Lương Sơn, ngày …", never "HUYỆN ỦY HUYỆN ỦY LƯƠNG SƠN" (#27, seen in the walk)."""
    from indicators.services.committees import committee_create

    province = committee_create(term=term, code="HB", name="Tỉnh ủy Hòa Bình", level="province")
    district = committee_create(
        term=term, code="HB-LS", name="Huyện ủy Lương Sơn", level="district", parent=province
    )
    town = committee_create(term=term, code="HT", name="Thị uỷ Hương Trà", level="district", parent=province)
    ward = committee_create(
        term=term, code="HT-TH", name="Đảng ủy phường Tứ Hạ", level="commune", parent=town
    )
    lines = {
        c.code: (issuer_of(c).superior, issuer_of(c).name, issuer_of(c).place)
        for c in (province, district, ward)
    }
    assert lines == {
        "HB": ("ĐẢNG BỘ TỈNH HÒA BÌNH", "TỈNH ỦY", "Hòa Bình"),
        "HB-LS": ("ĐẢNG BỘ TỈNH HÒA BÌNH", "HUYỆN ỦY LƯƠNG SƠN", "Lương Sơn"),
        "HT-TH": ("ĐẢNG BỘ THỊ XÃ HƯƠNG TRÀ", "ĐẢNG ỦY PHƯỜNG TỨ HẠ", "Tứ Hạ"),
    }
