"""A small server-drawn SVG of an indicator's yearly values, for tables (no script, no request).

The numbers are in the SVG's title, so a screen reader (and a reader of a grey print) gets them
as text; estimates ("ước") are drawn hollow, the target as a dashed line.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from indicators.models import Assessment, Indicator
from indicators.results import Results
from indicators.values import display_value, parse_number

WIDTH, HEIGHT, PAD = 96, 28, 4


def sparkline(*, indicator: Indicator, assessment: Assessment, start_year: int, end_year: int) -> SafeString:
    """The SVG, or an empty string when fewer than two numbers are known."""
    results = Results.of(assessment)
    points: list[tuple[int, float, bool, str]] = []  # (year, value, estimate, as typed)
    if (b := parse_number(results.baseline)) is not None:
        points.append((start_year, float(b), False, results.baseline))
    for r in results.years:
        if (v := parse_number(r.value)) is not None:
            points.append((r.year, float(v), r.estimate, r.value))
    if len(points) < 2:
        return mark_safe("")  # noqa: S308 -- a constant
    target = parse_number(indicator.target_in_force)  # the adjusted target when there is one
    values = [p[1] for p in points] + ([float(target)] if target is not None else [])
    low, high = min(values), max(values)
    span = (high - low) or 1.0

    def x(year: int) -> float:
        return PAD + (year - start_year) / (end_year - start_year) * (WIDTH - 2 * PAD)

    def y(value: float) -> float:
        return HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD)

    line = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value, _e, _t in points)
    dots = "".join(
        f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="2.2" class="{"est" if estimate else "act"}"/>'
        for year, value, estimate, _t in points
    )
    target_line = (
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(float(target)):.1f}" y2="{y(float(target)):.1f}" '
        'class="target"/>'
        if target is not None
        else ""
    )
    described = "; ".join(
        f"{year}{' (' + _('ước') + ')' if estimate else ''}: {display_value(typed)}"
        for year, _v, estimate, typed in points
    )
    if target is not None:
        described += "; " + _("mục tiêu %(target)s") % {"target": display_value(indicator.target_in_force)}
    return format_html(
        '<svg class="sparkline" role="img" width="{}" height="{}" viewBox="0 0 {} {}">'
        '<title>{}</title>{}<polyline points="{}"/>{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        _("Kết quả từng năm: %(values)s") % {"values": described},
        mark_safe(target_line),  # noqa: S308 -- numbers only
        line,
        mark_safe(dots),  # noqa: S308 -- numbers and two constant class names
    )
