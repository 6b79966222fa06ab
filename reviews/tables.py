"""django-tables2 tables of the dashboard: children side by side, indicators, indicators in trouble."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from indicators.models import Status
from indicators.values import display_value

from .models import ReviewState

TEMPLATE = "reviews/_table.html"


def _status_badge(status: str) -> str:
    return format_html('<span class="status status-{}">{}</span>', status, Status(status).label)


def _dashboard_url(committee, term_code: str) -> str:
    return f"{reverse('dashboard', args=[committee.code])}?term={term_code}"


class _FastRows:
    """Rows rendered by one Python function per table instead of django-tables2's per-cell
    pipeline (a signature inspection and a template render per cell): a 63-row national
    table otherwise costs ~100 ms. Sorting, paging and exports stay django-tables2's."""

    # Set by the django_tables2.Table this is mixed into (`page` only once paginated).
    data: Any
    page: Any

    def cells(self, record) -> list[tuple[str, str]]:  # (td class, safe html) per column
        raise NotImplementedError

    @property
    def html_rows(self) -> list[SafeString]:
        return [mark_safe(self._row_html(record)) for record in self._records()]  # noqa: S308 - escaped below

    def _records(self):
        # Unpaginated, the ordered data itself (what BoundRows would wrap row by row).
        if getattr(self, "page", None) is None:
            return iter(self.data)
        return (row.record for row in self.page.object_list)

    def _row_html(self, record) -> str:
        # conditional_escape: SafeStrings (badges, links) pass as they are, any other value is escaped.
        cells = "".join(_td(css, conditional_escape(value)) for css, value in self.cells(record))
        return f"<tr>{cells}</tr>"


def _td(css: str, html: str) -> str:
    return f'<td class="{css}">{html}</td>' if css else f"<td>{html}</td>"


class _TermTable(_FastRows, tables.Table):
    """A table whose rows link to dashboards of one term; the term is given, never read per row."""

    def __init__(self, *args, term_code: str, **kwargs):
        self.term_code = term_code
        super().__init__(*args, **kwargs)


class StatusColumn(tables.Column):
    """A status as its badge (label + class, never colour alone); its label in exports."""

    # django-tables2 hands over the choice's label as `value`; the class needs the code.
    def render(self, value, record):
        return _status_badge(record.assessment.status)

    def value(self, value, record):
        return str(Status(record.assessment.status).label)


class ChildrenTable(_TermTable):
    """One row per direct child (a list of selectors.ChildRow); every column sorts."""

    name = tables.Column(verbose_name=_("Đơn vị"), order_by=("name",))
    code = tables.Column(verbose_name=_("Mã"))
    achieved = tables.Column(
        verbose_name=_("Đạt và vượt"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    total = tables.Column(verbose_name=_("Tổng số"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    share = tables.Column(verbose_name=_("Tỷ lệ đạt"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    hard = tables.Column(verbose_name=_("Khó đạt"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    not_achieved = tables.Column(
        verbose_name=_("Không đạt"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    not_assessed = tables.Column(
        verbose_name=_("Chưa đánh giá"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    review_state = tables.Column(verbose_name=_("Báo cáo sơ kết"), order_by=("review_rank", "name"))

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data children-table"}
        orderable = True
        prefix = "c-"

    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', _dashboard_url(record.committee, self.term_code), value)

    def value_name(self, value, record):
        return value

    def render_share(self, value, record):
        if not record.total:
            return "—"
        # One decimal in the reader's language: 81,8% in Vietnamese, 81.8% in English.
        return f"{number_format(100 * value, decimal_pos=1)}%"

    def value_share(self, value, record):
        # Exports keep a number, so a spreadsheet can sort and chart it.
        return round(100 * value, 1) if record.total else ""

    def render_review_state(self, value, record):
        return format_html('<span class="review-badge review-badge-{}">{}</span>', value, record.review_label)

    def value_review_state(self, value, record):
        return str(ReviewState(value).label)

    def cells(self, record):
        return [
            ("", self.render_name(record.name, record)),
            ("", record.code),
            ("num", record.achieved),
            ("num", record.total),
            ("num", self.render_share(record.share, record)),
            ("num", record.hard),
            ("num", record.not_achieved),
            ("num", record.not_assessed),
            ("", self.render_review_state(record.review_state, record)),
        ]


class IndicatorTable(_FastRows, tables.Table):
    """The committee's own indicators."""

    number = tables.Column(
        verbose_name=_("STT"), order_by=("resolution__kind", "resolution__number", "sort_key")
    )
    text = tables.Column(verbose_name=_("Chỉ tiêu"), orderable=False)
    field = tables.Column(verbose_name=_("Lĩnh vực"))
    target = tables.Column(verbose_name=_("Mục tiêu"), orderable=False)
    value = tables.Column(verbose_name=_("Giữa nhiệm kỳ"), accessor="assessment__value", orderable=False)
    status = StatusColumn(verbose_name=_("Đánh giá"), accessor="assessment__status")
    note = tables.Column(verbose_name=_("Ghi chú"), accessor="assessment__note", orderable=False)

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data indicator-table"}
        prefix = "i-"
        empty_text = _("Không có chỉ tiêu nào khớp bộ lọc.")

    def cells(self, record):
        assessment = record.assessment
        return [
            ("", self.render_number(record.number, record)),
            ("", record.text),
            ("", record.get_field_display()),
            ("", display_value(record.target)),
            ("", display_value(assessment.value)),
            ("", _status_badge(assessment.status)),
            ("", assessment.note),
        ]

    def render_number(self, value, record):
        # Thematic resolutions' indicators carry their resolution number, so "1" is never ambiguous.
        if record.resolution.counts_in_tally:
            return value
        return f"{record.resolution.number} – {value}"


class TroubleTable(_TermTable):
    """Hard and not-achieved indicators across a subtree, with the committee each belongs to."""

    committee = tables.Column(
        verbose_name=_("Đơn vị"),
        accessor="resolution__committee__name",
        order_by=("resolution__committee__path",),
    )
    number = tables.Column(verbose_name=_("STT"), order_by=("resolution__committee__path", "sort_key"))
    text = tables.Column(verbose_name=_("Chỉ tiêu"), orderable=False)
    field = tables.Column(verbose_name=_("Lĩnh vực"))
    status = StatusColumn(verbose_name=_("Đánh giá"), accessor="assessment__status")
    note = tables.Column(verbose_name=_("Ghi chú"), accessor="assessment__note", orderable=False)

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data trouble-table"}
        empty_text = _("Không có chỉ tiêu khó đạt hoặc không đạt.")

    def value_committee(self, value, record):
        return value

    def render_committee(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', _dashboard_url(record.resolution.committee, self.term_code), value
        )

    def cells(self, record):
        return [
            ("", self.render_committee(record.resolution.committee.name, record)),
            ("", record.number),
            ("", record.text),
            ("", record.get_field_display()),
            ("", _status_badge(record.assessment.status)),
            ("", record.assessment.note),
        ]
