"""The campaign's tables: the children with where their review stands, and the overdue committees."""

from datetime import date, datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..tables import NUM, TEMPLATE
from .selectors import ReportingRow


def _day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return date_format(value, "SHORT_DATE_FORMAT")


def state_badge(row: ReportingRow):
    late = ' <span class="late-badge">{}</span>'
    return format_html(
        '<span class="review-badge review-badge-{}">{}</span>' + (late if row.overdue else "{}"),
        row.state,
        row.state_label,
        _("quá hạn") if row.overdue else "",
    )


class ReportingTable(tables.Table):
    """One row per committee (a list of ReportingRow); every column sorts, None dates last."""

    name = tables.Column(verbose_name=_("Đơn vị"), order_by=("name",), attrs={"td": {"class": "card-title"}})
    state = tables.Column(verbose_name=_("Tình trạng"), order_by=("state_rank", "name"))
    deadline = tables.Column(verbose_name=_("Hạn gửi"), order_by=("deadline_key", "name"))
    submitted_at = tables.Column(verbose_name=_("Ngày gửi"), order_by=("submitted_key", "name"))
    days_late = tables.Column(verbose_name=_("Số ngày trễ"), attrs=NUM)
    assessed = tables.Column(verbose_name=_("Chỉ tiêu đã đánh giá"), attrs=NUM, order_by=("assessed_share",))

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data reporting-table"}
        orderable = True
        prefix = "r-"
        empty_text = _("Không có đơn vị nào.")

    export_title = _("Tiến độ sơ kết")
    end_export_title = _("Tiến độ tổng kết")

    def __init__(self, *args, term_code: str, stage: str = "mid", **kwargs):
        self.term_code = term_code
        self.stage = stage
        if stage != "mid":
            self.export_title = self.end_export_title  # the sheet names the stage it counts
        super().__init__(*args, **kwargs)

    def render_name(self, value, record):
        url = f"{reverse('dashboard', args=[record.code])}?term={self.term_code}"
        if self.stage != "mid":
            url += f"&stage={self.stage}"
        return format_html('<a href="{}">{}</a>', url, value)

    def value_name(self, value, record):
        return value

    def value_state(self, value, record):
        return record.state_label

    # Exports: dates as dates, a number or an empty cell (never "—") in number columns.
    def value_deadline(self, value, record):
        return value

    def value_submitted_at(self, value, record):
        return value

    def value_days_late(self, value, record):
        return value or None

    def value_assessed(self, value, record):
        return value

    def render_state(self, value, record):
        return state_badge(record)

    def render_deadline(self, value, record):
        return _day(value)

    def render_submitted_at(self, value, record):
        return _day(value)

    def render_days_late(self, value, record):
        return value or "—"

    def render_assessed(self, value, record):
        return f"{record.assessed}/{record.total}"


class OverdueTable(ReportingTable):
    """The overdue committees of a whole subtree, with their level."""

    level = tables.Column(verbose_name=_("Cấp"), order_by=("level_rank", "name"))
    export_title = _("Đơn vị quá hạn")
    end_export_title = _("Đơn vị quá hạn")

    class Meta(ReportingTable.Meta):
        attrs = {"class": "data overdue-table"}
        prefix = ""
        sequence = ("name", "level", "state", "deadline", "days_late", "assessed")
        exclude = ("submitted_at",)
        empty_text = _("Không có đơn vị nào quá hạn.")

    def value_level(self, value, record):
        return record.level_label

    def render_level(self, value, record):
        return record.level_label
