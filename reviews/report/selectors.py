"""The report's data: everything the printed document says, computed from the database once, as one
typed value (ReportContext) that the HTML (html.py, for the PDF) and the DOCX (docx.py) are written from."""

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.assignments import assigned_tally
from indicators.labels import status_label
from indicators.models import (
    TALLY_KINDS,
    Assessment,
    Committee,
    Indicator,
    Level,
    Resolution,
    Stage,
    Status,
    UnitKind,
)
from indicators.results import Results
from indicators.selectors import Rollup, committee_field_tallies, committee_indicators, committee_rollup
from indicators.tally import FieldTally, Tally, fields_phrase
from indicators.units import usual_kind
from indicators.values import display_value
from reviews.charts import children_chart, status_chart
from reviews.models import Lesson, Review, ReviewState, SolutionArea, SolutionGroup
from reviews.selectors import ReviewDocument, lessons_phrase, review_document, solutions_phrase

from . import MAX_DOCUMENT_CHARS, MAX_REPORT_CHILDREN, MAX_REPORT_INDICATORS, ReportTooLarge
from .layout import NARROW_COLUMN_CHARS

_BLANK_NUMBER = "\u00a0" * 6  # "Số      -BC/TU": the number is written in when the report is signed

# The issuer of each kind of unit, from the committee's stored kind (indicators.units), never from
# its name: (the word the unit's name uses, the committee that issues for it, the abbreviation
# after "-BC/"). A province-level committee heads its documents with its office alone ("TỈNH ỦY"
# under "ĐẢNG BỘ TỈNH BẮC KẠN"); a district-level one with its office and place ("THỊ ỦY BẮC
# KẠN"); a commune-level one with "ĐẢNG ỦY", the kind and the place ("ĐẢNG ỦY PHƯỜNG ĐỨC XUÂN").
_ISSUER: dict[str, tuple[str, str, str]] = {
    UnitKind.PROVINCE: ("tỉnh", "Tỉnh ủy", "TU"),
    UnitKind.CENTRAL_CITY: ("thành phố", "Thành ủy", "TU"),
    UnitKind.DISTRICT: ("huyện", "Huyện ủy", "HU"),
    UnitKind.TOWN: ("thị xã", "Thị ủy", "TU"),
    UnitKind.CITY: ("thành phố", "Thành ủy", "TU"),
    UnitKind.URBAN_DISTRICT: ("quận", "Quận ủy", "QU"),
    UnitKind.COMMUNE: ("xã", "Đảng ủy", "ĐU"),
    UnitKind.WARD: ("phường", "Đảng ủy", "ĐU"),
    UnitKind.TOWNSHIP: ("thị trấn", "Đảng ủy", "ĐU"),
    UnitKind.SPECIAL_ZONE: ("đặc khu", "Đảng ủy", "ĐU"),
    UnitKind.CELL: ("", "Chi bộ", "CB"),
    UnitKind.GRASSROOTS: ("", "Đảng ủy", "ĐU"),
}
# Every word a unit's name may start with, longest first ("thị xã" before "xã"): what is left of
# the name after the body and this word is the place ("Đảng bộ thị xã Bắc Kạn" → "Bắc Kạn").
_KIND_WORDS = sorted({word for word, _office, _abbr in _ISSUER.values() if word}, key=len, reverse=True)
# A committee is named by its body ("Đảng bộ huyện Chợ Đồn") or, as many workbooks do, by its
# office ("Huyện ủy Lương Sơn", "Đảng ủy phường Tứ Hạ"; "uỷ" as often as "ủy").
_BODY = r"Đảng bộ|Chi bộ"
_OFFICES = r"(?:Đảng|Tỉnh|Thành|Huyện|Thị|Quận) (?:ủy|uỷ)"
_PLACE = re.compile(
    rf"^(?:{_BODY}|{_OFFICES})\s+(?:(?:{'|'.join(_KIND_WORDS)})\s+)?(?P<place>.+)$",
    re.IGNORECASE,
)


def _place(name: str) -> str:
    """The place a committee's name names: "Chợ Đồn" for "Đảng bộ huyện Chợ Đồn" (and for
    "Huyện ủy Chợ Đồn")."""
    match = _PLACE.match(name)
    return match["place"] if match else name


def _body_name(committee: Committee) -> str:
    """The body a committee heads: its name when that names the body ("Đảng bộ tỉnh Bắc Kạn"),
    else the body of its kind and place ("Tỉnh ủy Hòa Bình" → "Đảng bộ tỉnh Hòa Bình")."""
    name = " ".join(committee.name.split())
    if re.match(rf"(?:{_BODY})(?!\w)", name, re.IGNORECASE):
        return name
    word = _ISSUER.get(committee.kind or usual_kind(committee.level), ("", "", ""))[0]
    return " ".join(filter(None, ["Đảng bộ", word, _place(name)]))


@dataclass(frozen=True)
class Issuer:
    """Who issues the report, in the words of the document's heading and signature."""

    superior: str  # "ĐẢNG BỘ TỈNH BẮC KẠN"
    name: str  # "TỈNH ỦY", "HUYỆN ỦY CHỢ ĐỒN", "ĐẢNG ỦY XÃ NÔNG HẠ"
    office: str  # "Tỉnh ủy" (signs "T/M TỈNH ỦY")
    abbreviation: str  # "TU"
    place: str  # "Bắc Kạn"
    body_generic: str  # "Đảng bộ tỉnh": how the body names itself in its own documents

    @property
    def on_behalf(self) -> str:
        return _("T/M %(office)s") % {"office": self.office.upper()}


def issuer_of(committee: Committee) -> Issuer:
    """Who issues the committee's report: from its stored kind of unit (its level's usual kind when
    the kind is blank), so a "thị xã" is headed "THỊ ỦY" whatever its name says."""
    name_text = " ".join(committee.name.split())
    kind = committee.kind or usual_kind(committee.level)
    word, office, abbreviation = _ISSUER.get(kind, ("", "Đảng ủy", "ĐU"))
    place = _place(name_text)
    if kind == UnitKind.CELL:
        name, generic = name_text.upper(), "Chi bộ"
    elif committee.level == Level.PROVINCE:  # "TỈNH ỦY" under "ĐẢNG BỘ TỈNH BẮC KẠN"
        name, generic = office.upper(), f"Đảng bộ {word}"
    elif office == "Đảng ủy":  # "ĐẢNG ỦY XÃ NÔNG HẠ", "ĐẢNG ỦY PHƯỜNG ĐỨC XUÂN"
        name, generic = " ".join(filter(None, [office, word, place])).upper(), f"Đảng bộ {word}".strip()
    else:  # "HUYỆN ỦY CHỢ ĐỒN", "THỊ ỦY BẮC KẠN", "THÀNH ỦY BẮC KẠN"
        name, generic = f"{office} {place}".upper(), f"Đảng bộ {word}"
    if committee.level == Level.PROVINCE or committee.parent is None:
        superior = _body_name(committee).upper() if committee.level == Level.PROVINCE else ""
    else:
        superior = _body_name(committee.parent).upper()
    return Issuer(
        superior=superior,
        name=name,
        office=office,
        abbreviation=abbreviation,
        place=place,
        body_generic=generic,
    )


def report_subject(
    committee: Committee, congress: Resolution | None, issuer: Issuer, stage: str = Stage.MID
) -> str:
    """ "Sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XII, …"."""
    title = (congress.title if congress else "").strip()
    if not title.lower().startswith("nghị quyết"):
        title = _("Nghị quyết Đại hội đại biểu %(name)s, nhiệm kỳ %(term)s") % {
            "name": committee.name,
            "term": committee.term,
        }
    # In its own documents a body does not repeat its place name after "Đảng bộ tỉnh".
    if issuer.body_generic and committee.name in title:
        title = title.replace(committee.name, issuer.body_generic, 1)
    if stage == Stage.END:
        # Under "BÁO CÁO": "tổng kết thực hiện Nghị quyết Đại hội …" (domain.md, "The life of a term").
        return _("tổng kết thực hiện %(title)s") % {"title": title}
    return _("Sơ kết giữa nhiệm kỳ thực hiện %(title)s") % {"title": title}


def document_number(review, issuer: Issuer) -> str:
    """ "125-BC/TU"; a bare number gets the suffix; none leaves the blank a draft has."""
    raw = (review.document_number or "").strip()
    if raw.lower().startswith("số"):
        raw = raw[2:].strip()
    if "/" in raw or "-" in raw:
        return raw
    return f"{raw or _BLANK_NUMBER}-BC/{issuer.abbreviation}"


def place_and_date(review, issuer: Issuer, fallback_year: int) -> str:
    place = (review.place or "").strip() or issuer.place
    when: date | None = review.document_date
    if when:
        return _("%(place)s, ngày %(d)d tháng %(m)d năm %(y)d") % {
            "place": place,
            "d": when.day,
            "m": when.month,
            "y": when.year,
        }
    gap = "\u00a0" * 5
    return _("%(place)s, ngày%(gap)s tháng%(gap)s năm %(y)d") % {
        "place": place,
        "gap": gap,
        "y": fallback_year,
    }


@dataclass(frozen=True)
class AnnexRow:
    """An indicator's row in the annex; `cells` are its results over time under AnnexResults.headers."""

    indicator: Indicator
    cells: list[str]
    # A part (5.1 of 5): printed indented under its group, with its suggestion for a status (the
    # committee judges the group, never the part).
    is_part: bool = False

    @property
    def part_suggestion(self) -> str:
        """ "Gợi ý: Khó đạt" for a part whose numbers suggest a status, "" otherwise."""
        a = self.indicator.assessment
        if not self.is_part or not a.suggested_status:
            return ""
        return _("Gợi ý: %(suggested)s") % {"suggested": a.get_suggested_status_display()}

    # At the end of a term, beside the end status: "giữa kỳ: khó đạt → cuối kỳ: đạt" (empty mid-term).
    trajectory: str = ""


@dataclass(frozen=True)
class AnnexGroup:
    resolution: Resolution
    rows: list[AnnexRow]

    @property
    def label(self) -> str:
        """The annex row naming the resolution: "Nghị quyết Đại hội số 16-NQ/ĐH: …"."""
        resolution = self.resolution
        if resolution.is_from_above:
            kind = _("Chỉ tiêu cấp trên giao – Nghị quyết")
        elif resolution.counts_in_tally:
            kind = _("Nghị quyết Đại hội")
        else:
            kind = _("Nghị quyết chuyên đề")
        label = f"{kind} {_('số')} {resolution.number}"
        return f"{label}: {resolution.title}" if resolution.title else label


@dataclass(frozen=True)
class AnnexResults:
    """The annex's columns of results over time, as real annexes print them ("thực hiện 2021,
    2022, ước 2023, dự báo 2025"): only the years that hold a value, the baseline and the
    forecast only when some indicator has one. Empty when no indicator has results."""

    baseline_year: int | None
    years: list[tuple[int, bool]]  # (year, every value of it an estimate: the column is "Ước")
    forecast_year: int | None

    @classmethod
    def of(cls, indicators: list[Indicator], term) -> "AnnexResults":
        results = [Results.of(i.assessment) for i in indicators]
        values = [r for res in results for r in res.years]
        years = sorted({r.year for r in values})
        return cls(
            baseline_year=term.start_year if any(r.baseline for r in results) else None,
            years=[(y, all(r.estimate for r in values if r.year == y)) for y in years],
            forecast_year=term.end_year if any(r.forecast for r in results) else None,
        )

    def __bool__(self) -> bool:
        return bool(self.baseline_year or self.years or self.forecast_year)

    @property
    def headers(self) -> list[str]:
        out = [_("Đầu kỳ %(year)s") % {"year": self.baseline_year}] if self.baseline_year else []
        out += [(_("Ước %(year)s") if est else _("TH %(year)s")) % {"year": y} for y, est in self.years]
        if self.forecast_year:
            out.append(_("Dự báo %(year)s") % {"year": self.forecast_year})
        return out

    def cells(self, indicator: Indicator) -> list[str]:
        """The row's cells under `headers`: numbers in the reader's notation; an estimate in a
        column of actual values is marked "(ước)"."""
        results = Results.of(indicator.assessment)
        out = [display_value(results.baseline)] if self.baseline_year else []
        for year, all_estimates in self.years:
            shown = results.value_of(year)
            cell = display_value(shown.value) if shown else ""
            if shown and shown.estimate and not all_estimates:
                cell += " " + _("(ước)")
            out.append(cell)
        if self.forecast_year:
            out.append(display_value(results.forecast))
        return out


def check_size(*, committee: Committee, document: ReviewDocument) -> int:
    """Refuse before any rendering when the report would be too long (one COUNT query)."""
    n_indicators = Indicator.objects.of_committee(committee).count()
    n_children = committee.children.count() if n_indicators <= MAX_REPORT_INDICATORS else 0
    chars = document.chars
    if n_indicators > MAX_REPORT_INDICATORS or n_children > MAX_REPORT_CHILDREN or chars > MAX_DOCUMENT_CHARS:
        raise ReportTooLarge(indicators=n_indicators, children=n_children, chars=chars)
    return n_indicators


# WeasyPrint styles an inline SVG only from inside it: the report gives the chart drawn for the page
# (reviews.charts) its own type, Liberation Serif at about the body's size (12 units of a 360-unit
# chart 140 mm wide = 13.2 pt), instead of drawing a second chart; the families are report.css's @font-face.
PRINT_CHART_STYLE = (
    "<style>text{font-family:'Soket Liberation Serif','Soket DejaVu Sans',serif;font-size:12px}</style>"
)
# Children per chart part: a part (title, bars, legend: under 215 mm of the 257 a page holds) never
# needs to split across pages.
CHART_CHILDREN_PER_PART = 12


def in_report_type(svg: str) -> SafeString:
    return mark_safe(svg.replace("<defs>", PRINT_CHART_STYLE + "<defs>", 1))  # noqa: S308 -- a constant into safe SVG


def children_chart_parts(rollup) -> list[SafeString]:
    """The children chart in parts of at most CHART_CHILDREN_PER_PART children, evenly filled."""
    children = rollup.children
    if not children:
        return []
    size = math.ceil(len(children) / math.ceil(len(children) / CHART_CHILDREN_PER_PART))
    return [
        in_report_type(
            children_chart(replace(rollup, children=children[i : i + size]), id_prefix=f"report-children-{i}")
        )
        for i in range(0, len(children), size)
    ]


@dataclass(frozen=True)
class Sentences:
    """The report's computed sentences, written once for every format (HTML/PDF and DOCX)."""

    lead: str
    tally_sentence: str
    fields_sentence: str  # "Theo lĩnh vực: Kinh tế 4/4; …"; empty without tallied indicators
    children_intro: str
    lessons_intro: str
    solutions_intro: str
    closing: str
    annex_sub: str


def report_sentences(
    *,
    issuer: Issuer,
    tally: Tally,
    n_children: int,
    lessons: int,
    solutions: int,
    solution_areas: list[tuple[str, int]],
    number: str,
    fields: list[FieldTally] | None = None,
    stage: str = Stage.MID,
) -> Sentences:
    solutions_intro = _("Tập trung thực hiện đồng bộ %(solutions)s") % {
        "solutions": solutions_phrase(solutions)
    }
    if len(solution_areas) > 1:
        groups = "; ".join(f"{n} {_('nhóm về')} {label}" for label, n in solution_areas)
        solutions_intro += f", {_('gồm')} {groups}"
    # What the two reports say alike; the stage decides the rest (mid-term: a forecast to the end of
    # the term; end of term: the whole term reviewed, the results known).
    shared = {
        "fields_sentence": _("Theo lĩnh vực: %(fields)s.") % {"fields": fields_phrase(fields)}
        if fields
        else "",
        "children_intro": ngettext(
            "Kết quả đánh giá chỉ tiêu Nghị quyết Đại hội của %(n)s đơn vị trực thuộc:",
            "Kết quả đánh giá chỉ tiêu Nghị quyết Đại hội của %(n)s đơn vị trực thuộc:",
            n_children,
        )
        % {"n": n_children},
        "solutions_intro": solutions_intro + ":",
        "annex_sub": _("(Kèm theo Báo cáo số %(number)s)") % {"number": number},
    }
    if stage == Stage.END:
        return Sentences(
            lead=_(
                "Thực hiện sự chỉ đạo của cấp ủy cấp trên về tổng kết nhiệm kỳ, %(office)s báo cáo "
                "kết quả thực hiện Nghị quyết trong cả nhiệm kỳ như sau:"
            )
            % {"office": issuer.office},
            tally_sentence=_(
                "Qua kiểm điểm, đánh giá, hết nhiệm kỳ có %(sentence)s (chi tiết tại Phụ lục kèm theo)."
            )
            % {"sentence": tally.sentence()},
            lessons_intro=_("Từ thực tiễn lãnh đạo, chỉ đạo trong nhiệm kỳ, rút ra %(lessons)s:")
            % {"lessons": lessons_phrase(lessons)},
            closing=_("Trên đây là báo cáo tổng kết nhiệm kỳ thực hiện Nghị quyết Đại hội của %(office)s.")
            % {"office": issuer.office},
            **shared,
        )
    return Sentences(
        lead=_(
            "Thực hiện sự chỉ đạo của cấp ủy cấp trên về sơ kết giữa nhiệm kỳ, %(office)s báo cáo "
            "kết quả sau hơn nửa nhiệm kỳ thực hiện Nghị quyết như sau:"
        )
        % {"office": issuer.office},
        tally_sentence=_(
            "Qua kiểm điểm, đánh giá và dự báo, đến cuối nhiệm kỳ có %(sentence)s "
            "(chi tiết tại Phụ lục kèm theo)."
        )
        % {"sentence": tally.sentence()},
        lessons_intro=_("Từ thực tiễn lãnh đạo, chỉ đạo nửa đầu nhiệm kỳ, rút ra %(lessons)s:")
        % {"lessons": lessons_phrase(lessons)},
        closing=_("Trên đây là báo cáo sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội của %(office)s.")
        % {"office": issuer.office},
        **shared,
    )


def trajectory(mid: tuple[str, bool] | None, end: tuple[str, bool]) -> str:
    """ "giữa kỳ: khó đạt → cuối kỳ: đạt và vượt": the two judgements of one indicator side by side,
    statuses in lower case as a sentence writes them; empty without a mid-term judgement, and where
    the end says what the mid-term said (the status column already does: "đạt → đạt" is noise)."""
    if mid is None or mid[0] == Status.NOT_ASSESSED or tuple(mid) == tuple(end):
        return ""

    def shown(status: str, exceeded: bool) -> str:
        label = status_label(status, exceeded=exceeded)
        return label[:1].lower() + label[1:]

    return _("giữa kỳ: %(mid)s → cuối kỳ: %(end)s") % {"mid": shown(*mid), "end": shown(*end)}


def annex_is_landscape(groups: list[AnnexGroup], results: AnnexResults) -> bool:
    """The annex's pages are landscape when it has year columns (results over time), or when a value
    in a narrow column (unit, target, result) would wrap to more than two lines in portrait: one
    rule for the PDF and the DOCX."""
    if results:
        return True
    for group in groups:
        for row in group.rows:
            indicator = row.indicator
            value = indicator.assessment.value if indicator.assessment else ""
            if (
                max(len(indicator.unit or ""), len(indicator.target_shown or ""), len(value or ""))
                > NARROW_COLUMN_CHARS
            ):
                return True
    return False


@dataclass(frozen=True)
class ArchiveMarks:
    """What the archive rendition adds to the report (reviews.signing.archive): its metadata in the
    HTML head, and on the last page its verification code, link and QR code."""

    committee_name: str
    term: str
    verification_code: str
    meta: list[tuple[str, str]]  # (name, content) of each <meta> WeasyPrint writes into the PDF
    keywords: str
    verify_url: str
    verify_qr: SafeString


@dataclass(frozen=True)
class ReportContext:
    """Everything the report says, read from the database once: the HTML (for the PDF) and the DOCX
    are both written from this value alone (the DOCX in a child process that may not query)."""

    committee: Committee
    review: Review
    is_draft: bool
    issuer: Issuer
    number: str  # "125-BC/TU"
    place_date: str  # "Bắc Kạn, ngày 5 tháng 8 năm 2023"
    subject: str
    rollup: Rollup
    children_sum: Tally
    status_chart: SafeString  # the page's SVG, rasterised by the DOCX
    children_chart: SafeString
    status_chart_print: SafeString  # the same SVG in the report's type, for the PDF
    children_chart_parts: list[SafeString]  # the children chart in parts that each fit a page
    lessons: list[Lesson]
    solutions: list[tuple[SolutionGroup, str]]  # each group with its area's label
    sentences: Sentences
    # The own indicators whose target was adjusted at mid-term, each as "1. Tăng trưởng …: 7,5 – 8;
    # điều chỉnh: 6 theo 15-NQ/TU ngày 10/3/2022" (the text lists them; the annex shows both too).
    adjustments: list[str]
    annex: list[AnnexGroup]
    annex_results: AnnexResults
    annex_landscape: bool
    recipients: list[str]
    archive: ArchiveMarks | None = None  # only in the archive rendition
    # The sentence of the indicators assigned from above (their own section, never in
    # `rollup.own`); empty without them. Written here: the DOCX's child process may not query.
    assigned_sentence: str = ""
    stage: str = Stage.MID

    @property
    def value_label(self) -> str:
        """The annex's value column: "Thực hiện giữa nhiệm kỳ", or "… cuối nhiệm kỳ" at the end."""
        return Stage(self.stage).value_label

    @property
    def annex_columns(self) -> int:
        return 7 + len(self.annex_results.headers)


def report_context(*, committee: Committee, stage: str = Stage.MID) -> ReportContext:
    document = review_document(committee=committee, stage=stage)
    check_size(committee=committee, document=document)
    review = document.review
    rollup = committee_rollup(committee=committee, stage=stage)
    assigned = assigned_tally(committee=committee, stage=stage)
    # Each group followed by its parts (indicators.groups), as the form shows them.
    indicators = committee_indicators(committee=committee, stage=stage)
    term = committee.term
    annex_results = AnnexResults.of(indicators, term)
    # At the end, each row also says what the mid-term judged (one more query, at the end only).
    mids: dict[int, tuple[str, bool]] = {}
    if stage != Stage.MID:
        mids = {
            pk: (status, exceeded)
            for pk, status, exceeded in Assessment.objects.filter(
                stage=Stage.MID, indicator__resolution__committee=committee
            ).values_list("indicator_id", "status", "exceeded")
        }
    groups: list[AnnexGroup] = []
    for indicator in indicators:
        if not groups or groups[-1].resolution.pk != indicator.resolution_id:
            groups.append(AnnexGroup(resolution=indicator.resolution, rows=[]))
        a = indicator.assessment
        groups[-1].rows.append(
            AnnexRow(
                indicator=indicator,
                cells=annex_results.cells(indicator),
                is_part=indicator.group_id is not None,
                trajectory=trajectory(mids.get(indicator.pk), (a.status, a.exceeded)) if mids else "",
            )
        )
    congress = next((g.resolution for g in groups if g.resolution.counts_in_tally), None)
    if congress is None:
        congress = committee.resolutions.filter(kind__in=TALLY_KINDS).first()
    issuer = issuer_of(committee)
    # Undated, a report is of its stage's year: the mid-term's date, or the term's last year at the end.
    undated = date(term.end_year, 1, 1) if stage == Stage.END else term.midterm_date
    year = (document.review.document_date or undated or date(term.start_year + 2, 1, 1)).year
    # "Về xây dựng Đảng…": only the first letter is lowered; "Đảng" keeps its capital.
    areas = {area: str(label)[:1].lower() + str(label)[1:] for area, label in SolutionArea.choices}
    solution_counts = Counter(s.area for s in document.solutions)
    solution_areas = [
        (areas[area], solution_counts[area]) for area in SolutionArea.values if solution_counts.get(area)
    ]
    number = document_number(review, issuer)
    status_svg = status_chart(rollup.own, name=committee.name, id_prefix="report-status")
    return ReportContext(
        committee=committee,
        review=review,
        is_draft=review.state == ReviewState.DRAFT,
        issuer=issuer,
        number=number,
        place_date=place_and_date(review, issuer, year),
        subject=report_subject(committee, congress, issuer, stage),
        rollup=rollup,
        children_sum=sum((child.tally for child in rollup.children), Tally(stage=stage)),
        status_chart=status_svg,
        children_chart=children_chart(rollup, id_prefix="report-children"),
        status_chart_print=in_report_type(status_svg),
        children_chart_parts=children_chart_parts(rollup),
        lessons=document.lessons,
        solutions=[(s, areas.get(s.area, s.area)) for s in document.solutions],
        sentences=report_sentences(
            issuer=issuer,
            tally=rollup.own,
            n_children=len(rollup.children),
            lessons=len(document.lessons),
            solutions=len(document.solutions),
            solution_areas=solution_areas,
            number=number,
            fields=committee_field_tallies(committee=committee, indicators=indicators, stage=stage),
            stage=stage,
        ),
        adjustments=[
            _("%(number)s. %(text)s: %(target)s")
            % {"number": i.number, "text": i.text, "target": i.target_shown}
            for i in indicators
            if i.target_adjusted
        ],
        annex=groups,
        annex_results=annex_results,
        annex_landscape=annex_is_landscape(groups, annex_results),
        recipients=[r for line in review.recipients.splitlines() if (r := line.strip(" -–+•").rstrip(",.;"))],
        assigned_sentence=assigned.sentence() if assigned else "",
        stage=stage,
    )
