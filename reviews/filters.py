"""Filters of the dashboard's indicator tables; they live in the query string, so a view can be shared."""

import django_filters
from django.utils.translation import gettext_lazy as _

from indicators.models import Field, Indicator, Status

from .selectors import TROUBLE_STATUSES


class IndicatorFilter(django_filters.FilterSet):
    field = django_filters.ChoiceFilter(label=_("Lĩnh vực"), choices=Field.choices, empty_label=_("Tất cả"))
    status = django_filters.ChoiceFilter(
        label=_("Đánh giá"),
        field_name="assessment__status",
        choices=Status.choices,
        empty_label=_("Tất cả"),
    )

    explain = django_filters.ChoiceFilter(
        label=_("Cần giải trình"),
        choices=[("1", _("Chỉ những chỉ tiêu cần giải trình"))],
        empty_label=_("Tất cả"),
        method="filter_explain",
    )

    class Meta:
        model = Indicator
        fields = ["field", "status", "explain"]

    def filter_explain(self, queryset, name, value):
        """Indicators whose status disagrees with what their numbers suggest."""
        return queryset.needing_explanation() if value == "1" else queryset


class TroubleFilter(IndicatorFilter):
    status = django_filters.ChoiceFilter(
        label=_("Đánh giá"),
        field_name="assessment__status",
        choices=[(s.value, s.label) for s in TROUBLE_STATUSES],
        empty_label=_("Khó đạt và không đạt"),
    )
