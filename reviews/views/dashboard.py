"""`/committees/<CODE>/`: the rollup dashboard, and `/committees/<CODE>/trouble/`: indicators in trouble.

A constant number of queries whatever the size of the tree: the rollup sums per-committee
counters over one path range, the children's review states come in one query, and the
tables page their rows. The rendered tables, charts and campaign panel are cached under a digest
of everything they show (reviews.fragments), computed from these same reads: a hit adds no query."""

from collections.abc import Callable
from functools import cached_property
from typing import cast

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig, Table

from config.offline import kept_offline
from indicators.access import may_set_up_terms
from indicators.assignments import assigned_tally
from indicators.models import Indicator, Resolution, Stage
from indicators.selectors import (
    Rollup,
    committee_field_tallies,
    committee_indicator_list,
    committee_lineage,
    committee_rollup,
    subtree_summary,
)
from indicators.units import units_phrase, whole_phrase

from .. import fragments, selectors
from ..campaign.selectors import committee_reporting
from ..charts import PAGE_WIDTH, children_chart, status_chart
from ..exports import CONTENT_TYPES, table_export_response
from ..filters import (
    ANY_DISAGREEMENT,
    EXPLAINED,
    UNEXPLAINED,
    IndicatorFilter,
    SubtreeIndicatorFilter,
    TroubleFilter,
)
from ..pagination import paging
from ..tables import ChildrenTable, IndicatorTable, TroubleTable
from .common import committee_from_request, end_is_open, openable, stage_context, stage_from_request


def subtree_sentence(rollup: Rollup) -> str:
    """ "Toàn tỉnh (7 huyện, 1 thành phố; 96 xã, 6 phường, 6 thị trấn; 1 chi bộ): 1200/1500 chỉ tiêu …",
    counted by kind of unit; empty for a committee with nothing below."""
    if not rollup.below_by_level:
        return ""
    return _("%(whole)s (%(counts)s): %(sentence)s") % {
        "whole": whole_phrase(rollup.committee.kind, rollup.committee.level),
        "counts": units_phrase(rollup.below_by_kind),
        "sentence": rollup.subtree.sentence(),
    }


def _by_resolution(indicators) -> list[tuple[Resolution, list[Indicator]]]:
    """The indicators (one query, Congress resolution first) split by resolution, in that order,
    so thematic resolutions, which the tally does not count, are shown apart."""
    groups: dict[int, tuple[Resolution, list[Indicator]]] = {}
    for indicator in indicators:
        groups.setdefault(indicator.resolution_id, (indicator.resolution, []))[1].append(indicator)
    return list(groups.values())


class _Charts:
    """The two charts, drawn only when the page renders them (not on a cache hit)."""

    def __init__(self, rollup: Rollup):
        self.rollup = rollup

    @cached_property
    def children(self):
        return children_chart(self.rollup, width=PAGE_WIDTH)

    @cached_property
    def status(self):
        return status_chart(self.rollup.own, name=self.rollup.committee.name, width=PAGE_WIDTH)


def _assessment_values(indicator) -> tuple | None:
    assessment = getattr(indicator, "assessment", None)  # loaded with the row (select_related)
    return fragments.values(assessment) if assessment is not None else None


def _fragment_keys(request, *, committee, rollup, children_rows, row_groups) -> dict[str, str]:
    """The keys of the page's cached fragments (reviews.fragments): each a digest of every row and
    setting its fragment draws, all already loaded by the view's own reads."""
    who = fragments.permission_class(request.user, committee)
    own = fragments.values(committee)
    children = tuple(
        (fragments.values(row.committee), fragments.fields(row.tally), row.review_state)
        for row in children_rows
    )
    return {
        # The filter form draws the query string's choices (and their errors) on fixed choices.
        "filter": fragments.fragment_key("filter", fragments.request_parts(request), committee.term.code),
        "children": fragments.fragment_key(
            "children", who, fragments.request_parts(request), committee.term.code, own, children
        ),
        "charts": fragments.fragment_key("charts", who, own, fragments.fields(rollup.own), children),
        "indicators": fragments.fragment_key(
            "indicators",
            who,
            fragments.request_parts(request),
            fragments.values(committee.term),
            own,
            tuple(
                (
                    fragments.values(resolution),
                    tuple((fragments.values(row), _assessment_values(row)) for row in rows),
                )
                for resolution, rows in row_groups
            ),
        ),
    }


def _stage_slug(stage: str) -> str:
    """The stage in an export's file name: none for the mid-term (names stay as they were)."""
    return "" if stage == Stage.MID else f"-{stage}"


def _configured(request, table):
    RequestConfig(request, paginate=False).configure(table)
    return table


def _drawn_lazily(build: Callable[[], Table]) -> Table:
    """A table made only when its fragment is drawn (reviews.fragments): a cache hit needs only
    the rows, and making a table (its columns deep-copied, sorted by the request) is about a
    millisecond of CPU per table."""
    return cast(Table, SimpleLazyObject(build))


@login_required
@kept_offline
def dashboard(request, code):
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    rollup = committee_rollup(committee=committee, stage=stage)
    # The campaign's numbers carry the children's review states: read once for the panel and the table.
    reporting = committee_reporting(committee=committee, stage=stage) if rollup.children else None
    children_rows = selectors.children_rows(
        rollup=rollup, progress=reporting.progress() if reporting else None
    )

    def children() -> Table:
        return _configured(request, ChildrenTable(children_rows, term_code=committee.term.code, stage=stage))

    export_format = request.GET.get("_export")
    if export_format in CONTENT_TYPES:
        filename = (
            f"{committee.code}-{committee.term.code}{_stage_slug(stage)}-don-vi-truc-thuoc.{export_format}"
        )
        return table_export_response(children(), export_format=export_format, filename=filename)

    lineage = committee_lineage(committee=committee)
    # The usual visit asks for no filter: its list is the committee's indicators read by hand (the
    # same rows as the filter's query), and the filter set (its query, form and validation, about a
    # millisecond) is made only when its fragment is drawn. Unfiltered, the list holds every own
    # indicator: the "cần giải trình" count is read off it.
    filtered = any(request.GET.get(name) for name in IndicatorFilter.base_filters)

    def make_filter() -> IndicatorFilter:
        return IndicatorFilter(
            request.GET, queryset=selectors.dashboard_indicators(committee=committee, stage=stage)
        )

    indicator_filter = make_filter() if filtered else cast(IndicatorFilter, SimpleLazyObject(make_filter))
    years = (committee.term.start_year, committee.term.end_year)
    indicators = (
        list(indicator_filter.qs) if filtered else committee_indicator_list(committee=committee, stage=stage)
    )
    row_groups = _by_resolution(indicators)

    def indicator_table(rows: list[Indicator]) -> Callable[[], Table]:
        return lambda: _configured(request, IndicatorTable(rows, years=years))

    indicator_groups = [(resolution, _drawn_lazily(indicator_table(rows))) for resolution, rows in row_groups]

    return render(
        request,
        "reviews/dashboard.html",
        {
            "committee": committee,
            "term": committee.term,
            "rollup": rollup,
            "subtree_sentence": subtree_sentence(rollup),
            # Read off the unfiltered list when it holds no assigned indicator (no query).
            "assigned": assigned_tally(
                committee=committee, stage=stage, indicators=None if filtered else indicators
            ),
            "ancestors": selectors.ancestors(committee=committee),
            "terms": selectors.term_links(committee=committee),
            # Predecessors and successors across terms, each with its own tally (one query).
            "lineage": lineage,
            "openable": openable(request.user, lineage),
            "may_set_up": may_set_up_terms(request.user),
            "review": selectors.review_of(committee=committee, stage=stage),
            # The workflow panel's checklist (for a secretary who may send) judges the unfiltered
            # list's rows instead of reading them again.
            "checklist_indicators": None if filtered else indicators,
            "children_table": _drawn_lazily(children) if rollup.children else None,
            "reporting": reporting,
            "charts": _Charts(rollup),
            "indicator_filter": indicator_filter,
            "indicator_groups": indicator_groups,
            # A filtered or sorted list is what the user asked to see: never folded, even on a phone.
            "indicators_open": filtered or bool(request.GET.get("i-sort")),
            "trouble_count": selectors.trouble_count(rollup.subtree),
            "explain_count": selectors.explain_count(
                committee=committee, indicators=None if filtered else indicators, stage=stage
            ),
            # By field, read off the same unfiltered list (one query only when the list is filtered).
            "field_tallies": committee_field_tallies(
                committee=committee, indicators=None if filtered else indicators, stage=stage
            ),
            **stage_context(committee, stage, "dashboard"),
            # Staff open the end-of-term review here (no query: the counters and the user say it).
            "may_open_end": may_set_up_terms(request.user) and not end_is_open(committee),
            "fragment_keys": _fragment_keys(
                request,
                committee=committee,
                rollup=rollup,
                children_rows=children_rows,
                row_groups=row_groups,
            ),
        },
    )


@login_required
def trouble(request, code):
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    # ?explain= lists the indicators of the subtree whose status their numbers do not support,
    # whatever that status: still to explain ("cần giải trình", ?explain=1), explained, or both;
    # otherwise the list is the hard and not-achieved ones.
    explain = request.GET.get("explain") if request.GET.get("explain") in EXPLAIN_TITLES else None
    base = selectors.explain_indicators if explain else selectors.trouble_indicators
    # Listing the disagreements, the status filter offers every status (an "achieved" the numbers
    # do not support is one of them), not only hard and not achieved.
    filter_class = SubtreeIndicatorFilter if explain else TroubleFilter
    districts = selectors.districts_below(committee=committee)
    trouble_filter = filter_class(
        request.GET, queryset=base(committee=committee, stage=stage), districts=districts
    )
    title = str(EXPLAIN_TITLES[explain]) if explain else _("Chỉ tiêu cần chú ý")
    table = TroubleTable(
        trouble_filter.qs,
        term_code=committee.term.code,
        stage=stage,
        years=(committee.term.start_year, committee.term.end_year),
        districts={d.path: d.name for d in districts},
        export_title=title,
    )
    export_format = request.GET.get("_export")
    if export_format in CONTENT_TYPES:
        # Like every other table: the whole filtered list, not the page shown.
        RequestConfig(request, paginate=False).configure(table)
        slug = EXPLAIN_SLUGS[explain] if explain else "chi-tieu-kho-dat"
        filename = f"{committee.code}-{committee.term.code}{_stage_slug(stage)}-{slug}.{export_format}"
        return table_export_response(table, export_format=export_format, filename=filename)
    RequestConfig(
        request, paginate=paging(per_page=50, count=_trouble_count(request, committee, stage, trouble_filter))
    ).configure(table)
    return render(
        request,
        "reviews/trouble.html",
        {
            "committee": committee,
            "term": committee.term,
            "ancestors": selectors.ancestors(committee=committee),
            "filter": trouble_filter,
            "table": table,
            "explain": explain,
            "title": title,
            "fragment_keys": _trouble_keys(request, committee=committee, table=table, districts=districts),
            **stage_context(committee, stage, "trouble"),
        },
    )


def _trouble_count(request, committee, stage, trouble_filter) -> int | None:
    """The unfiltered trouble list's length, read off the counters as the dashboard's "N chỉ tiêu
    cần chú ý" is (one range over the subtree's committee rows, never a COUNT over its
    indicators: 30 ms for a province); None (count the rows) for the explanation lists and any
    filter, an invalid value included."""
    if request.GET.get("explain") or any(request.GET.get(name) for name in trouble_filter.filters):
        return None
    return selectors.trouble_count(subtree_summary(committee=committee, stage=stage).subtree)


def _trouble_keys(request, *, committee, table, districts) -> dict[str, str]:
    """The keys of the trouble page's cached fragments (reviews.fragments): the filter form, and the
    table of the page shown, a digest of every row it draws (indicator, assessment, resolution,
    committee), the districts, the count and the page, all read for the page anyway (the page's
    rows are read once: the table renders from the same evaluated query)."""
    who = fragments.permission_class(request.user, committee)
    where = fragments.request_parts(request)
    named = tuple((d.code, d.name, d.path) for d in districts)
    rows = tuple(
        (
            fragments.values(record),
            _assessment_values(record),
            fragments.values(record.resolution),
            fragments.values(record.resolution.committee),
        )
        for record in (row.record for row in table.page.object_list)
    )
    return {
        "filter": fragments.fragment_key("trouble-filter", where, committee.term.code, named),
        "table": fragments.fragment_key(
            "trouble-table",
            who,
            where,
            fragments.values(committee.term),
            named,
            table.paginator.count,
            table.page.number,
            rows,
        ),
    }


EXPLAIN_TITLES = {
    UNEXPLAINED: gettext_lazy("Chỉ tiêu cần giải trình"),
    EXPLAINED: gettext_lazy("Chỉ tiêu khác gợi ý đã giải trình"),
    ANY_DISAGREEMENT: gettext_lazy("Chỉ tiêu khác gợi ý"),
}
EXPLAIN_SLUGS = {UNEXPLAINED: "can-giai-trinh", EXPLAINED: "da-giai-trinh", ANY_DISAGREEMENT: "khac-goi-y"}

urlpatterns = [
    path("committees/<str:code>/", dashboard, name="dashboard"),
    path("committees/<str:code>/trouble/", trouble, name="trouble"),
]
