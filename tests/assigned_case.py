"""The Lương Sơn case (issue #27): a district's own resolution 10/18, and the province's
resolution on its territory 10/17, never added together. Built through the services."""

from dataclasses import dataclass

from indicators.assignments import indicator_assign
from indicators.models import Committee, Indicator, Level, Status
from indicators.services.committees import committee_create
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create

from .conftest import assess_one

# The district's judgement of the 17 indicators the province assigned it.
ASSIGNED_STATUSES = (
    [Status.ACHIEVED] * 10 + [Status.HARD] * 4 + [Status.NOT_ACHIEVED] * 2 + [Status.NOT_ASSESSED]
)
# … and of its own 18.
OWN_STATUSES = [Status.ACHIEVED] * 10 + [Status.HARD] * 6 + [Status.NOT_ACHIEVED] * 2


@dataclass
class LuongSon:
    province: Committee
    district: Committee
    neighbour: Committee
    above: list[Indicator]  # the province's 17
    assigned: list[Indicator]  # the district's copies, in the same order


def build(term, *, by=None) -> LuongSon:
    province = committee_create(term=term, code="HB", name="Tỉnh ủy Hòa Bình", level=Level.PROVINCE)
    district = committee_create(
        term=term, code="HB-LS", name="Huyện ủy Lương Sơn", level=Level.DISTRICT, parent=province
    )
    neighbour = committee_create(
        term=term, code="HB-KS", name="Huyện ủy Kim Bôi", level=Level.DISTRICT, parent=province
    )
    congress = resolution_create(committee=province, number="17-NQ/ĐH", title="Nghị quyết Đại hội XVII")
    above = [
        indicator_create(
            resolution=congress,
            number=str(n),
            text=f"Chỉ tiêu tỉnh {n}",
            unit="%",
            target="70",
            field="economy",
        )
        for n in range(1, 18)
    ]
    own = resolution_create(committee=district, number="25-NQ/ĐH")
    for n, status in enumerate(OWN_STATUSES, start=1):
        indicator_create(
            resolution=own,
            number=str(n),
            text=f"Chỉ tiêu huyện {n}",
            status=status,
            note="" if status == Status.ACHIEVED else "Lý do",
        )
    assigned = [indicator_assign(indicator=i, assignee=district, target="65", by=by) for i in above]
    for indicator, status in zip(assigned, ASSIGNED_STATUSES, strict=True):
        if status != Status.NOT_ASSESSED:
            note = "" if status == Status.ACHIEVED else "Thiếu vốn"
            assess_one(
                assessment=indicator.assessment,
                status=status,
                value="66" if status == Status.ACHIEVED else "50",
                note=note,
            )
    # The neighbour has 11 and 12 (hard in Lương Sơn), achieved: the province's page shows both
    # side by side, Lương Sơn first although its code sorts after Kim Bôi's.
    for indicator in above[10:12]:
        copy = indicator_assign(indicator=indicator, assignee=neighbour, target="80", by=by)
        assess_one(assessment=copy.assessment, status=Status.ACHIEVED, value="85")
    return LuongSon(province=province, district=district, neighbour=neighbour, above=above, assigned=assigned)
