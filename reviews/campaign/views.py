"""The campaign's pages: the reporting JSON, the children table (and its export), the overdue
committees of a subtree, and the page where a committee's staff set deadlines."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from indicators.access import Action
from indicators.models import Committee, Level

from .. import fragments, selectors
from ..exports import table_export_response
from ..selectors import stage_query
from ..views.common import committee_from_request, stage_context, stage_from_request
from .selectors import DeadlineBook, committee_reporting, levels_below, overdue_rows
from .services import DeadlineError, deadlines_set
from .tables import OverdueTable, ReportingTable

EXPORT_FORMATS = ("csv", "xlsx")


@require_GET
@login_required
def api_reporting(request, code):
    committee = committee_from_request(request, code)
    return JsonResponse(
        committee_reporting(committee=committee, stage=stage_from_request(request)).as_json(),
        json_dumps_params={"ensure_ascii": False},
    )


def _table_page(request, committee, table, *, filename: str, template: str, extra: dict):
    RequestConfig(request, paginate=False).configure(table)
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        return table_export_response(
            table, export_format=export_format, filename=f"{filename}.{export_format}"
        )
    return render(
        request,
        template,
        {
            "committee": committee,
            "term": committee.term,
            "ancestors": selectors.ancestors(committee=committee),
            "table": table,
            **extra,
        },
    )


@login_required
def campaign(request, code):
    """The children table on its own page, and its export."""
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    reporting = committee_reporting(committee=committee, stage=stage)
    table = ReportingTable(reporting.children, term_code=committee.term.code, stage=stage)
    # The rendered table (most of the page's work: a cell at a time through django-tables2) is
    # cached under a digest of every row it draws, today's date, the sorting, the language and
    # what the user may do (reviews.fragments): any change draws it anew on the next request.
    table_key = fragments.fragment_key(
        "campaign_page",
        fragments.permission_class(request.user, committee),
        fragments.request_parts(request),
        committee.term.code,
        stage,
        reporting.today,
        tuple(fragments.fields(row) for row in reporting.children),
    )
    return _table_page(
        request,
        committee,
        table,
        filename=f"{committee.code}-{committee.term.code}-tien-do-{'so' if stage == 'mid' else 'tong'}-ket",
        template="reviews/campaign/campaign.html",
        extra={"reporting": reporting, "table_key": table_key, **stage_context(committee, stage, "campaign")},
    )


@login_required
def overdue(request, code):
    """Every committee of the whole subtree overdue at the chosen stage."""
    committee = committee_from_request(request, code)
    stage = stage_from_request(request)
    rows = overdue_rows(committee=committee, stage=stage)
    table = OverdueTable(rows, term_code=committee.term.code, stage=stage)
    suffix = "" if stage == "mid" else "-tong-ket"
    return _table_page(
        request,
        committee,
        table,
        filename=f"{committee.code}-{committee.term.code}-qua-han{suffix}",
        template="reviews/campaign/overdue.html",
        extra={"overdue_count": len(rows), **stage_context(committee, stage, "campaign_overdue")},
    )


def _parse_day(raw: str) -> date | None:
    raw = raw.strip()
    return date.fromisoformat(raw) if raw else None


@login_required
def deadlines(request, code):
    """A committee's staff set the deadlines of the committees below it: by level, and per child,
    for the chosen stage's review (`?stage=end`: the end-of-term deadlines, set apart from the mid)."""
    committee = committee_from_request(request, code, Action.SET_DEADLINES)
    stage = stage_from_request(request)
    levels = levels_below(committee)
    children = list(Committee.objects.filter(parent=committee).order_by("code"))
    book = DeadlineBook.around(committee)
    mine = book.set_here(committee.path, stage)
    posted: dict[str, str] = {}
    if request.method == "POST":
        posted = {key: value for key, value in request.POST.items() if key.startswith(("level-", "only-"))}
        try:
            chosen_levels = {lv: _parse_day(request.POST.get(f"level-{lv}", "")) for lv in levels}
            chosen_only = {c.code: _parse_day(request.POST.get(f"only-{c.code}", "")) for c in children}
        except ValueError:
            messages.error(request, _("Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm."))
        else:
            try:
                changes = deadlines_set(
                    committee=committee, levels=chosen_levels, only=chosen_only, by=request.user, stage=stage
                )
            except DeadlineError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Đã lưu hạn gửi báo cáo (%(n)d thay đổi).") % {"n": len(changes)})
                return redirect(
                    f"{reverse('deadlines', args=[committee.code])}?{stage_query(committee, stage)}"
                )
    level_rows = [
        {
            "level": level,
            "label": Level(level).label,
            "value": posted.get(
                f"level-{level}", (mine.levels.get(level) or "") and mine.levels[level].isoformat()
            ),
            "bound": book.level_bound(setter_path=committee.path, level=level, stage=stage),
        }
        for level in levels
    ]
    child_rows = [
        {
            "committee": child,
            "value": posted.get(
                f"only-{child.code}",
                (mine.overrides.get(child.pk) or "") and mine.overrides[child.pk].isoformat(),
            ),
            "holds": book.due(committee_id=child.pk, path=child.path, level=child.level, stage=stage),
        }
        for child in children
    ]
    return render(
        request,
        "reviews/campaign/deadlines.html",
        {
            "committee": committee,
            "term": committee.term,
            "ancestors": selectors.ancestors(committee=committee),
            "level_rows": level_rows,
            "child_rows": child_rows,
            **stage_context(committee, stage, "deadlines"),
        },
    )


urlpatterns = [
    path("api/committees/<str:code>/reporting/", api_reporting, name="api_reporting"),
    path("committees/<str:code>/campaign/", campaign, name="campaign"),
    path("committees/<str:code>/campaign/overdue/", overdue, name="campaign_overdue"),
    path("committees/<str:code>/deadlines/", deadlines, name="deadlines"),
]
