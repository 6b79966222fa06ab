"""The demo's next term: 2025–2030, after the 2025 mergers (domain.md, "The life of a term").

Thái Nguyên (2025–2030) continues Thái Nguyên and Bắc Kạn of 2020–2025; a new commune, Chợ Mới,
is made of parts of two old ones (thị trấn Đồng Tâm and xã Thanh Thịnh); a few indicators carry
on from the term before, their baselines taken from the old indicators' 2025 values. The merger is
real; the 2020–2025 Thái Nguyên resolution, every figure here and the new resolutions are
illustrative. Nothing here touches a Bắc Kạn row: its mid-term figures stay as they are."""

from django.db import transaction

from indicators.lineage import Reference, reference_query
from indicators.models import ChangeSource, Committee, Indicator
from indicators.results import Results
from indicators.services.committees import committees_bulk_create
from indicators.services.indicators import indicators_bulk_create
from indicators.services.lineage import committee_predecessors_set, indicator_predecessors_set
from indicators.services.resolutions import resolution_create
from indicators.services.terms import term_get_or_create

OLD_TERM, NEW_TERM = "2020-2025", "2025-2030"

# Thái Nguyên's own 2020–2025 resolution, with values up to 2025 (illustrative).
TN_OLD_INDICATORS = [
    {
        "number": "1",
        "text": "GRDP bình quân đầu người đến năm 2025",
        "field": "economy",
        "unit": "triệu đồng/người",
        "target": "115",
        "status": "achieved",
        "value": "109,3",
        "results": Results.build(
            baseline="95,6",
            years={
                2021: ("101,4", False),
                2022: ("109,3", False),
                2024: ("120,1", False),
                2025: ("128,5", True),
            },
        ),
    },
    {
        "number": "2",
        "text": "Tỷ lệ che phủ rừng",
        "field": "environment",
        "unit": "%",
        "target": "46",
        "status": "achieved",
        "value": "45,9",
        "results": Results.build(baseline="45,8", years={2022: ("45,9", False), 2025: ("46,2", False)}),
    },
    {
        "number": "3",
        "text": "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều",
        "field": "culture_society",
        "unit": "%",
        "target": "1,5",
        "direction": "down",
        "status": "achieved",
        "value": "2,1",
        "results": Results.build(baseline="3,6", years={2022: ("2,1", False), 2025: ("1,1", True)}),
    },
]

# The new tree: no districts any more; the new commune sits under the province.
NEW_COMMITTEES = [
    {"code": "TN", "name": "Đảng bộ tỉnh Thái Nguyên", "level": "province", "parent_code": ""},
    {"code": "TN-CM", "name": "Đảng bộ xã Chợ Mới", "level": "commune", "parent_code": "TN"},
]
PREDECESSORS = {"TN": ["TN", "BK"], "TN-CM": ["BK-CM-DT", "BK-CM-TT"]}

# (committee, number, text, unit, target, the indicator it continues, typed baseline)
NEW_INDICATORS = [
    (
        "TN",
        "1",
        "GRDP bình quân đầu người đến năm 2030",
        "triệu đồng/người",
        "190",
        ("TN", "01-NQ/ĐH", "1"),
        "",
    ),
    ("TN", "2", "Tỷ lệ che phủ rừng", "%", "47", ("TN", "01-NQ/ĐH", "2"), ""),
    # The merged province's poverty rate is not old Thái Nguyên's: typed, not carried.
    ("TN", "3", "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều", "%", "1", ("TN", "01-NQ/ĐH", "3"), "3,2"),
    (
        "TN",
        "4",
        "Tốc độ tăng trưởng kinh tế (GRDP) bình quân hằng năm",
        "%",
        "10",
        ("BK", "16-NQ/ĐH", "1"),
        "",
    ),
    (
        "TN-CM",
        "1",
        "Thu nhập bình quân đầu người đến năm 2030",
        "triệu đồng/người",
        "75",
        ("BK-CM-DT", "08-NQ/ĐH", "1"),
        "",
    ),
]
NEW_RESOLUTION = "01-NQ/ĐH"


@transaction.atomic
def load() -> bool:
    """Create the next term once (False when it is already there)."""
    old, _created = term_get_or_create(code=OLD_TERM)
    new, _created = term_get_or_create(code=NEW_TERM)
    if Committee.objects.filter(term=new, code="TN").exists():
        return False
    tn_old = Committee.objects.filter(term=old, code="TN").first()
    if tn_old is None:
        tn_old = committees_bulk_create(
            term=old,
            rows=[{"code": "TN", "name": "Đảng bộ tỉnh Thái Nguyên", "level": "province", "parent_code": ""}],
        )[0]
        resolution = resolution_create(
            committee=tn_old,
            number=NEW_RESOLUTION,
            title="Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Thái Nguyên lần thứ XX",
            source=ChangeSource.SYSTEM,
        )
        indicators_bulk_create(
            rows=[(resolution, row) for row in TN_OLD_INDICATORS], source=ChangeSource.SYSTEM
        )
    created = {c.code: c for c in committees_bulk_create(term=new, rows=NEW_COMMITTEES)}
    olds = {c.code: c for c in Committee.objects.filter(term=old, code__in={*sum(PREDECESSORS.values(), [])})}
    for code, predecessors in PREDECESSORS.items():
        committee_predecessors_set(
            committee=created[code], predecessors=[olds[p] for p in predecessors], source=ChangeSource.SYSTEM
        )
    resolutions = {
        code: resolution_create(
            committee=committee,
            number=NEW_RESOLUTION,
            title=f"Nghị quyết Đại hội đại biểu {committee.name} nhiệm kỳ 2025–2030",
            source=ChangeSource.SYSTEM,
        )
        for code, committee in created.items()
    }
    indicators = indicators_bulk_create(
        rows=[
            (
                resolutions[code],
                {
                    "number": number,
                    "text": text,
                    "unit": unit,
                    "target": target,
                    "results": Results(baseline=typed),
                },
            )
            for code, number, text, unit, target, _ref, typed in NEW_INDICATORS
        ],
        source=ChangeSource.SYSTEM,
    )
    wanted = [ref for *_row, ref, _typed in NEW_INDICATORS]
    by_ref = {
        (i.resolution.committee.code, i.resolution.number, i.number): i
        for i in Indicator.objects.filter(
            reference_query([Reference(*ref) for ref in wanted], term=old)
        ).select_related("resolution__committee__term")
    }
    loaded = {
        i.pk: i
        for i in Indicator.objects.filter(pk__in=[i.pk for i in indicators]).select_related(
            "resolution__committee__term"
        )
    }
    indicator_predecessors_set(
        links=[(loaded[i.pk], by_ref[ref]) for i, ref in zip(indicators, wanted, strict=True)],
        source=ChangeSource.SYSTEM,
    )
    return True
