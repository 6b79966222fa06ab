"""django-tables2 tables of the dashboard: children side by side, indicators, indicators in trouble.

django-tables2 renders every cell through these columns (reviews/_table.html adds the label each
cell carries when a phone shows the table as cards); exports use the same columns' `value_*`."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from indicators.labels import status_label
from indicators.models import Status
from indicators.tally import percent_text
from indicators.values import display_value

from .sparkline import sparkline

TEMPLATE = "reviews/_table.html"
NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def _status_badge(status: str, *, exceeded: bool = False) -> str:
    return format_html(
        '<span class="status status-{}">{}</span>', status, status_label(status, exceeded=exceeded)
    )


def _dashboard_url(committee, term_code: str, stage: str = "mid") -> str:
    """A row's dashboard link, on the table's stage (mid-term links stay as they were)."""
    query = f"term={term_code}" if stage == "mid" else f"term={term_code}&stage={stage}"
    return f"{reverse('dashboard', args=[committee.code])}?{query}"


def _with_unit(value: str, unit: str):
    """A value in the reader's language followed by its unit, as the assessment page shows it."""
    if not value:
        return "—"
    shown = display_value(value)
    # A no-break space: the unit never starts a line of its own ("100" / "%").
    return format_html('{}\u00a0<span class="unit">{}</span>', shown, unit) if unit else shown


class _TermTable(tables.Table):
    """A table whose rows link to dashboards of one term; the term is given, never read per row."""

    def __init__(self, *args, term_code: str, stage: str = "mid", **kwargs):
        self.term_code = term_code
        self.stage = stage
        super().__init__(*args, **kwargs)


class SuggestionColumn(tables.Column):
    """What the numbers suggest (indicators.suggestion), flagged where the committee's status
    disagrees, with a sparkline of the yearly values; the suggestion's label in exports. The
    table is given its term's years (`years`), never reads them per row."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("Gợi ý"))
        kwargs.setdefault("accessor", "assessment__suggested_status")
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault("orderable", False)
        super().__init__(**kwargs)

    def render(self, value, record, table):
        a = record.assessment
        parts = [_status_badge(a.suggested_status) if a.suggested_status else "—"]
        if a.explained:
            parts.append(format_html('<span class="explained">{}</span>', _("đã giải trình")))
        elif a.disagrees:
            parts.append(format_html('<strong class="needs-explanation">{}</strong>', _("cần giải trình")))
        if getattr(table, "years", None):
            parts.append(
                sparkline(indicator=record, assessment=a, start_year=table.years[0], end_year=table.years[1])
            )
        return mark_safe(" ".join(conditional_escape(p) for p in parts))  # noqa: S308 -- each part escaped

    def value(self, value, record):
        a = record.assessment
        if not a.suggested_status:
            return ""
        label = str(Status(a.suggested_status).label)
        if not a.disagrees:
            return label
        return f"{label} ({_('đã giải trình') if a.explained else _('cần giải trình')})"


class StatusColumn(tables.Column):
    """A status as its badge (label + class, never colour alone); its label in exports."""

    # django-tables2 hands over the choice's label as `value`; the class needs the code.
    def render(self, value, record):
        if getattr(record, "group_id", None) is not None:
            return PART_STATUS  # a part is never judged on its own: the committee judges its group
        return _status_badge(record.assessment.status, exceeded=record.assessment.exceeded)

    def value(self, value, record):
        if getattr(record, "group_id", None) is not None:
            return PART_STATUS
        return status_label(record.assessment.status, exceeded=record.assessment.exceeded)


# What a part of a group (5.1 of 5) shows for a status in a table: it has none of its own.
PART_STATUS = "—"


class ChildrenTable(_TermTable):
    """One row per direct child (a list of selectors.ChildRow); every column sorts."""

    export_title = _("Đơn vị trực thuộc")

    name = tables.Column(
        verbose_name=_("Đơn vị"), order_by=("name_key",), attrs={"td": {"class": "card-title"}}
    )
    code = tables.Column(verbose_name=_("Mã"))
    achieved = tables.Column(verbose_name=_("Đạt và vượt"), attrs=NUM)
    total = tables.Column(verbose_name=_("Tổng số"), attrs=NUM)
    share = tables.Column(verbose_name=_("Tỷ lệ đạt"), attrs=NUM)
    hard = tables.Column(verbose_name=_("Khó đạt"), attrs=NUM)
    not_achieved = tables.Column(verbose_name=_("Không đạt"), attrs=NUM)
    not_assessable = tables.Column(verbose_name=_("Chưa thể đánh giá"), attrs=NUM)
    not_assessed = tables.Column(verbose_name=_("Chưa đánh giá"), attrs=NUM)
    review_state = tables.Column(verbose_name=_("Báo cáo sơ kết"), order_by=("review_rank", "name"))

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data children-table"}
        orderable = True
        prefix = "c-"

    def render_name(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', _dashboard_url(record.committee, self.term_code, self.stage), value
        )

    def value_name(self, value, record):
        return value

    def render_share(self, value, record):
        # One decimal, half up, in the reader's language: 81,8% in Vietnamese, 81.8% in English.
        return percent_text(record.tally.percent_achieved)

    def value_share(self, value, record):
        # Exports keep a number (the same rounding), so a spreadsheet can sort and chart it.
        share = record.tally.percent_achieved
        return float(share) if share is not None else None

    def render_review_state(self, value, record):
        return format_html('<span class="review-badge review-badge-{}">{}</span>', value, record.review_label)

    def value_review_state(self, value, record):
        return record.review_label


class _JudgedIndicators(tables.Table):
    """The columns every table of indicators shows after its own leading ones (`Meta.sequence`):
    the indicator, its target and value, the committee's judgement, what the numbers suggest and
    the note. Target and value are shown with the indicator's unit ("95 %") and exported as typed
    (a number column of the spreadsheet holds the number alone)."""

    text = tables.Column(verbose_name=_("Chỉ tiêu"), orderable=False, attrs={"td": {"class": "card-title"}})
    field = tables.Column(verbose_name=_("Lĩnh vực"))
    target = tables.Column(verbose_name=_("Mục tiêu"), orderable=False, empty_values=())
    value = tables.Column(
        verbose_name=_("Giữa nhiệm kỳ"), accessor="assessment__value", orderable=False, empty_values=()
    )
    status = StatusColumn(
        verbose_name=_("Đánh giá"), accessor="assessment__status", attrs={"td": {"class": "card-status"}}
    )
    suggested = SuggestionColumn()
    note = tables.Column(
        verbose_name=_("Ghi chú"),
        accessor="assessment__note",
        orderable=False,
        default="",
        attrs={"td": {"class": "card-wide"}},
    )

    def render_target(self, value, record):
        # An adjusted target under the Congress's (the one status and suggestion read, domain.md).
        shown = _with_unit(value, record.unit)
        adjusted = getattr(record, "target_adjusted", "")
        if not adjusted:
            return shown
        decision = record.target_adjusted_by
        text = _("điều chỉnh: %(target)s theo %(decision)s") if decision else _("điều chỉnh: %(target)s")
        # The catalog's words as a format_html template: the target and the decision are escaped.
        template = str(text).replace("%(target)s", "{target}").replace("%(decision)s", "{decision}")
        adjustment = format_html(template, target=_with_unit(adjusted, record.unit), decision=decision)
        return format_html('{}<br><span class="target-adjusted">{}</span>', shown, adjustment)

    def value_target(self, value, record):
        return value

    def render_value(self, value, record):
        return _with_unit(value, record.unit)

    def value_value(self, value, record):
        return value


class IndicatorTable(_JudgedIndicators):
    """The indicators of one of the committee's resolutions (the dashboard shows one table each)."""

    number = tables.Column(
        verbose_name=_("STT"),
        order_by=("resolution__kind", "resolution__number", "sort_key"),
        attrs={"td": {"class": "card-num"}},
    )

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data indicator-table"}
        sequence = ("number", "...")
        prefix = "i-"
        empty_text = _("Không có chỉ tiêu nào khớp bộ lọc.")

    def __init__(self, *args, years: tuple[int, int] | None = None, **kwargs):
        self.years = years  # (first, last) year of the term, for the sparklines
        super().__init__(*args, **kwargs)

    def render_number(self, value, record):
        # Thematic resolutions' indicators carry their resolution number, so "1" is never ambiguous.
        if record.resolution.counts_in_tally:
            return value
        return f"{record.resolution.number} – {value}"


class TroubleTable(_JudgedIndicators, _TermTable):
    """Hard and not-achieved indicators across a subtree, with the committee each belongs to."""

    committee = tables.Column(
        verbose_name=_("Đơn vị"),
        accessor="resolution__committee__name",
        order_by=("resolution__committee__path",),
        attrs={"td": {"class": "card-wide"}},
    )
    # The district the committee is in (itself for a district; empty for the province).
    district = tables.Column(
        verbose_name=_("Cấp huyện"),
        accessor="resolution__committee__path",
        order_by=("resolution__committee__path",),
        empty_values=(),
    )
    number = tables.Column(
        verbose_name=_("STT"),
        order_by=("resolution__committee__path", "sort_key"),
        attrs={"td": {"class": "card-num"}},
    )

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data trouble-table"}
        sequence = ("committee", "district", "number", "...")
        empty_text = _("Không có chỉ tiêu cần chú ý.")

    export_title = _("Chỉ tiêu cần chú ý")

    def __init__(
        self,
        *args,
        years: tuple[int, int] | None = None,
        districts: dict[str, str] | None = None,
        export_title=None,
        **kwargs,
    ):
        self.years = years  # (first, last) year of the term, for the sparklines
        # Path of each district-level committee of the subtree → its name (none: no column).
        self.districts = districts or {}
        if export_title:
            self.export_title = export_title
        if not self.districts:
            kwargs.setdefault("exclude", ("district",))
        super().__init__(*args, **kwargs)

    def render_district(self, value, record):
        return self.value_district(value, record) or "—"

    def value_district(self, value, record):
        for path, name in self.districts.items():
            if value.startswith(path):
                return name
        return ""

    def value_committee(self, value, record):
        return value

    def render_committee(self, value, record):
        return format_html(
            '<a href="{}">{}</a>',
            _dashboard_url(record.resolution.committee, self.term_code, self.stage),
            value,
        )
