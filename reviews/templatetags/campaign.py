"""The "Tiến độ sơ kết" panel (of the stage the page shows) and the "Chờ duyệt (n)" list (of both
stages), each computed where it is shown."""

from django import template
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from indicators.access import Action, can
from indicators.models import Level

from ..campaign.selectors import awaiting_approval, committee_reporting
from ..campaign.tables import ReportingTable
from ..fragments import cached, fields, fragment_key, permission_class, request_parts, values
from ..selectors import stage_query

register = template.Library()


@register.simple_tag(takes_context=True)
def campaign_panel(context, committee, reporting=None):
    """Reporting numbers for the committees below `committee`: two queries, whatever the tree
    (none when the page has read them already and passes `reporting`).

    The rendered panel is cached (reviews.fragments) under a digest of everything it shows: every
    row and count of the reporting (names, states, deadlines, submission times, today's date),
    the query string (the table's sorting), whether the user may set deadlines, the language."""
    request = context["request"]
    if reporting is None:
        reporting = committee_reporting(committee=committee)
    may_set_deadlines = can(request.user, committee, Action.SET_DEADLINES)
    key = fragment_key(
        "campaign",
        permission_class(request.user, committee),
        request_parts(request),
        values(committee),
        committee.term.code,
        reporting.stage,
        reporting.today,
        tuple(fields(row) for row in reporting.children),
        fields(reporting.summary),
        tuple((level, fields(summary)) for level, summary in reporting.levels.items()),
    )

    def render() -> str:
        table = ReportingTable(reporting.children, term_code=committee.term.code, stage=reporting.stage)
        RequestConfig(request, paginate=False).configure(table)
        return get_template("reviews/campaign/_panel_body.html").render(
            {
                "request": request,
                "committee": committee,
                "term": committee.term,
                "reporting": reporting,
                # The panel's links (export, overdue, deadlines) stay on the stage it shows.
                "stage_query": stage_query(committee, reporting.stage),
                "table": table,
                "levels": [
                    (_("Toàn bộ cấp %(level)s") % {"level": str(Level(level).label).lower()}, summary)
                    for level, summary in reporting.levels.items()
                ],
                "may_set_deadlines": may_set_deadlines,
            }
        )

    return cached(key, render)


@register.inclusion_tag("reviews/campaign/_awaiting_body.html", takes_context=True)
def awaiting_reviews(context, term):
    """The reviews waiting for this user's approval, oldest first: one query."""
    request = context["request"]
    return {"rows": awaiting_approval(user=request.user, term=term), "term": term}
