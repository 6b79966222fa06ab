"""Server-rendered SVG charts of a tally, drawn once for the dashboard page and the PDF report.

Plain SVG 1.1 with presentation attributes only (no CSS, no script, no foreignObject), so the
same string renders in browsers, in WeasyPrint and on paper. Each status has a fill of its own
lightness plus a pattern (stripes, cross-hatch, dots), and every number is also written as
text, so the charts read in greyscale and to screen readers (title + desc)."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from indicators.models import Stage, Status
from indicators.selectors import Rollup
from indicators.tally import Tally, percent, percent_text

WIDTH = 360  # viewBox units of the PDF's charts
# The page's charts are drawn narrower, so a 360 px phone shows them at least 1:1 (its card is
# about 320 px wide) and no text falls under 12 px; on wide screens the CSS caps their width.
PAGE_WIDTH = 300
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
INK = "#1d2330"
MUTED = "#5a6270"


@dataclass(frozen=True)
class _Look:
    fill: str  # base fill, chosen so the four differ in lightness too
    ink: str  # the pattern's line colour


# Base colours match site.css (--achieved, --hard, --not-achieved, --not-assessed); lightness
# ordered dark → light: achieved (solid dark), not achieved (red, white cross-hatch),
# hard (amber, dark stripes), not assessed (pale, dots).
_LOOKS = {
    Status.ACHIEVED: _Look(fill="#1b6e3a", ink="#1b6e3a"),
    Status.NOT_ACHIEVED: _Look(fill="#b3261e", ink="#ffffff"),
    Status.HARD: _Look(fill="#f0b54a", ink="#8a5a00"),
    # "Chưa thể đánh giá": a pale violet with dark horizontal dashes, told apart without colour.
    Status.NOT_ASSESSABLE: _Look(fill="#c9bfe8", ink="#4b3c8f"),
    Status.NOT_ASSESSED: _Look(fill="#eceef1", ink="#5a6270"),
}
ORDER = [Status.ACHIEVED, Status.HARD, Status.NOT_ACHIEVED, Status.NOT_ASSESSABLE, Status.NOT_ASSESSED]


def _defs(prefix: str) -> str:
    """Pattern marks per status (drawn over a solid base, so tile seams never show in PDF
    renderers); ids carry the chart's prefix so two charts on one page don't clash."""
    h, n, z = (_LOOKS[s].ink for s in (Status.HARD, Status.NOT_ACHIEVED, Status.NOT_ASSESSED))
    return (
        "<defs>"
        f'<pattern id="{prefix}-hard" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        f'<rect width="2" height="6" fill="{h}"/></pattern>'
        f'<pattern id="{prefix}-not_achieved" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        f'<rect width="1.2" height="6" fill="{n}"/><rect width="6" height="1.2" fill="{n}"/></pattern>'
        f'<pattern id="{prefix}-not_assessed" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<circle cx="3" cy="3" r="1" fill="{z}"/></pattern>'
        f'<pattern id="{prefix}-not_assessable" width="8" height="6" patternUnits="userSpaceOnUse">'
        f'<rect x="1" y="2.4" width="4" height="1.2" fill="{_LOOKS[Status.NOT_ASSESSABLE].ink}"/></pattern>'
        "</defs>"
    )


def _swatch(prefix: str, status: Status, *, x: float, y: float, w: float, h: float, stroke: str) -> str:
    """A solid base of the status colour, then its pattern on top (none for achieved)."""
    box = f'x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"'
    out = f'<rect {box} fill="{_LOOKS[status].fill}" stroke="{stroke}" stroke-width="0.75"/>'
    if status != Status.ACHIEVED:
        out += f'<rect {box} fill="url(#{prefix}-{status.value})"/>'
    return out


def _label(status: Status) -> str:
    return str(status.label)


def _tally_text(tally: Tally) -> str:
    return "; ".join(f"{_label(s)}: {getattr(tally, s.value)}" for s in ORDER) + (
        "; " + _("tổng số: %(n)d") % {"n": tally.total}
    )


def _bar(prefix: str, tally: Tally, *, x: float, y: float, width: float, height: float) -> str:
    """One stacked bar; a number is written on every segment wide enough to hold it."""
    parts = [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="#ffffff"'
        f' stroke="{MUTED}" stroke-width="0.75"/>'
    ]
    if not tally.total:
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + height / 2 + 4:.1f}" font-size="12" fill="{MUTED}">'
            f"{escape(_('Chưa có chỉ tiêu'))}</text>"
        )
        return "".join(parts)
    offset = x
    for status in ORDER:
        count = getattr(tally, status.value)
        if not count:
            continue
        w = width * count / tally.total
        parts.append(_swatch(prefix, status, x=offset, y=y, w=w, h=height, stroke="#ffffff"))
        label_w = 7 * len(str(count)) + 8
        if w >= label_w + 4:
            cx, cy = offset + w / 2, y + height / 2
            if status == Status.ACHIEVED:
                parts.append(_number(cx, cy, count, "#ffffff"))
            else:
                # A white tag under numbers on patterned segments keeps them legible.
                parts.append(
                    f'<rect x="{cx - label_w / 2:.1f}" y="{cy - 8:.1f}" width="{label_w:.1f}" height="16"'
                    ' rx="3" fill="#ffffff"/>'
                )
                parts.append(_number(cx, cy, count, INK))
        offset += w
    return "".join(parts)


def _number(cx: float, cy: float, count: int, colour: str) -> str:
    return (
        f'<text x="{cx:.1f}" y="{cy + 4.5:.1f}" font-size="12" font-weight="bold" text-anchor="middle"'
        f' fill="{colour}">{count}</text>'
    )


def _order(stage: str) -> list[Status]:
    """The statuses a legend lists: no "hard" at the end of a term (Stage.statuses)."""
    return [s for s in ORDER if s in Stage(stage).statuses]


def _legend_texts(tally: Tally | None, stage: str = Stage.MID) -> list[str]:
    texts = []
    for status in _order(tally.stage if tally is not None else stage):
        text = _label(status)
        if tally is not None:
            count = getattr(tally, status.value)
            share = f" ({percent_text(percent(count, tally.total))})" if tally.total else ""
            text = f"{text}: {count}{share}"
        texts.append(text)
    return texts


def _per_line(texts: list[str], width: float) -> int:
    """Two legend entries per line when they fit in half the width (13-unit text, about 6.5
    units a character, after the 20-unit swatch); longer labels (English) get a line each."""
    half_line_chars = (width / 2 - 20) / 6.5
    return 1 if max(len(t) for t in texts) > half_line_chars else 2


def _legend_height(width: float, tally: Tally | None = None, stage: str = Stage.MID) -> float:
    texts = _legend_texts(tally, stage)
    return 20 * -(-len(texts) // _per_line(texts, width))  # rows, rounded up


def _legend(prefix: str, y: float, width: float, tally: Tally | None = None, stage: str = Stage.MID) -> str:
    """Swatch + label for each status of the stage, two per line so it fits a phone (one per line
    when the labels are too long for that); counts when given."""
    texts = _legend_texts(tally, stage)
    per_line = _per_line(texts, width)
    parts = []
    order = _order(tally.stage if tally is not None else stage)
    for i, (status, text) in enumerate(zip(order, texts, strict=True)):
        col, row = i % per_line, i // per_line
        x, yy = col * width / 2, y + row * 20
        parts.append(
            _swatch(prefix, status, x=x, y=yy, w=14, h=14, stroke=MUTED)
            + f'<text x="{x + 20:.1f}" y="{yy + 11.5:.1f}" font-size="13" fill="{INK}">{escape(text)}</text>'
        )
    return "".join(parts)


def _svg(prefix: str, width: float, height: float, title: str, desc: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 -- every interpolated text is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" preserveAspectRatio="xMinYMin meet"'
        f' aria-labelledby="{prefix}-title {prefix}-desc" font-family="{FONT}">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>'
        f"{_defs(prefix)}{body}</svg>"
    )


def children_chart(rollup: Rollup, *, id_prefix: str = "chart-children", width: float = WIDTH) -> SafeString:
    """One stacked bar per direct child (own tally); empty string when there are no children."""
    if not rollup.children:
        return SafeString("")
    row_h, bar_h, top = 40, 18, 4
    body = []
    for i, child in enumerate(rollup.children):
        y = top + i * row_h
        tally = child.tally
        ratio = f"{tally.achieved}/{tally.total}"
        body.append(
            f'<text x="0" y="{y + 12:.1f}" font-size="13" fill="{INK}">{escape(child.committee.name)}</text>'
            f'<text x="{width:.1f}" y="{y + 12:.1f}" font-size="13" font-weight="bold" text-anchor="end"'
            f' fill="{INK}">{escape(ratio)}</text>'
        )
        body.append(_bar(id_prefix, tally, x=0, y=y + 16, width=width - 1, height=bar_h))
    legend_y = top + len(rollup.children) * row_h + 6
    stage = rollup.children[0].tally.stage  # every child's tally is of the page's stage
    body.append(_legend(id_prefix, legend_y, width, stage=stage))
    height = legend_y + _legend_height(width, stage=stage)
    title = _("Kết quả đánh giá chỉ tiêu của các đơn vị trực thuộc %(name)s") % {
        "name": rollup.committee.name
    }
    desc = ". ".join(f"{child.committee.name}: {_tally_text(child.tally)}" for child in rollup.children)
    return _svg(id_prefix, width, height, title, desc, "".join(body))


def status_chart(
    tally: Tally, *, name: str = "", id_prefix: str = "chart-status", width: float = WIDTH
) -> SafeString:
    """The committee's own status split as one stacked bar with a counted legend."""
    bar_h = 28
    body = [
        _bar(id_prefix, tally, x=0, y=2, width=width - 1, height=bar_h),
        _legend(id_prefix, bar_h + 14, width, tally),
    ]
    height = bar_h + 14 + _legend_height(width, tally)
    title = (
        _("Tỷ lệ đánh giá chỉ tiêu của %(name)s") % {"name": name} if name else _("Tỷ lệ đánh giá chỉ tiêu")
    )
    return _svg(id_prefix, width, height, title, _tally_text(tally), "".join(body))
