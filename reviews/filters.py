"""Filters of the dashboard's indicator tables; they live in the query string, so a view can be shared."""

import django_filters
from django.utils.translation import gettext_lazy as _

from indicators.models import Committee, Field, Indicator, Status, subtree_range

from .selectors import TROUBLE_STATUSES

# ?explain=: "1" (the links since the first release) are the disagreements still to explain.
UNEXPLAINED, EXPLAINED, ANY_DISAGREEMENT = "1", "explained", "all"
EXPLAIN_CHOICES = [
    (UNEXPLAINED, _("Cần giải trình (chưa có ghi chú)")),
    (EXPLAINED, _("Đã giải trình")),
    (ANY_DISAGREEMENT, _("Mọi chỉ tiêu khác gợi ý")),
]


def explain_filtered(queryset, value):
    if value == UNEXPLAINED:
        return queryset.unexplained()
    if value == EXPLAINED:
        return queryset.explained()
    return queryset.needing_explanation() if value == ANY_DISAGREEMENT else queryset


# ?status=exceeded: the achieved indicators marked "vượt" (a part of the achieved, domain.md).
EXCEEDED = "exceeded"
STATUS_CHOICES = [
    (Status.ACHIEVED.value, Status.ACHIEVED.label),
    (EXCEEDED, _("Vượt (trong đạt và vượt)")),
    *[(s.value, s.label) for s in Status if s != Status.ACHIEVED],
]


class IndicatorFilter(django_filters.FilterSet):
    field = django_filters.ChoiceFilter(label=_("Lĩnh vực"), choices=Field.choices, empty_label=_("Tất cả"))
    status = django_filters.ChoiceFilter(
        label=_("Đánh giá"),
        field_name="assessment__status",
        choices=STATUS_CHOICES,
        empty_label=_("Tất cả"),
        method="filter_status",
    )

    explain = django_filters.ChoiceFilter(
        label=_("Khác gợi ý"),
        choices=EXPLAIN_CHOICES,
        empty_label=_("Tất cả"),
        method="filter_explain",
    )

    class Meta:
        model = Indicator
        fields = ["field", "status", "explain"]

    def filter_status(self, queryset, name, value):
        if value == EXCEEDED:
            return queryset.filter(assessment__status=Status.ACHIEVED, assessment__exceeded=True)
        return queryset.filter(assessment__status=value)

    def filter_explain(self, queryset, name, value):
        """Indicators whose status disagrees with what their numbers suggest: those with no note yet,
        those a note explains, or both."""
        return explain_filtered(queryset, value)


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
