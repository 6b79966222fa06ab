"""Filters of the dashboard's indicator tables; they live in the query string, so a view can be shared."""

import django_filters
from django.utils.translation import gettext_lazy as _

from indicators.models import Committee, Field, Indicator, Status, subtree_range

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


class SubtreeIndicatorFilter(IndicatorFilter):
    """The indicators of a subtree (the trouble and explanation lists), also by district.

    `districts` are the district-level committees of the subtree (empty: no district filter)."""

    district = django_filters.ChoiceFilter(
        label=_("Cấp huyện"), choices=[], empty_label=_("Tất cả"), method="filter_district"
    )

    class Meta(IndicatorFilter.Meta):
        fields = ["district", "field", "status", "explain"]

    def __init__(self, *args, districts: list[Committee] = (), **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.districts = {d.code: d for d in districts}
        if self.districts:
            self.filters["district"].extra["choices"] = [(d.code, d.name) for d in districts]
        else:
            del self.filters["district"]

    def filter_district(self, queryset, name, value):
        district = self.districts.get(value)
        return (
            queryset.filter(subtree_range(district, via="resolution__committee__")) if district else queryset
        )


class TroubleFilter(SubtreeIndicatorFilter):
    status = django_filters.ChoiceFilter(
        label=_("Đánh giá"),
        field_name="assessment__status",
        choices=[(s.value, s.label) for s in TROUBLE_STATUSES],
        empty_label=_("Khó đạt, không đạt, chưa thể đánh giá"),
    )
