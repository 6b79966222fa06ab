"""The "Tiến độ sơ kết" panel and the "Chờ duyệt (n)" list, each computed where it is shown."""

from django import template
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from indicators.access import Action, can
from indicators.models import Level

from ..campaign.reporting import committee_reporting
from ..campaign.selectors import awaiting_approval
from ..campaign.tables import ReportingTable

register = template.Library()


@register.inclusion_tag("reviews/campaign/_panel_body.html", takes_context=True)
def campaign_panel(context, committee):
    """Reporting numbers for the committees below `committee`: two queries, whatever the tree."""
    request = context["request"]
    reporting = committee_reporting(committee=committee)
    table = ReportingTable(reporting.children, term_code=committee.term.code)
    RequestConfig(request, paginate=False).configure(table)
    return {
        "request": request,
        "committee": committee,
        "term": committee.term,
        "reporting": reporting,
        "table": table,
        "levels": [
            (_("Toàn bộ cấp %(level)s") % {"level": str(Level(level).label).lower()}, summary)
            for level, summary in reporting.levels.items()
        ],
        "may_set_deadlines": can(request.user, committee, Action.SET_DEADLINES),
    }


@register.inclusion_tag("reviews/campaign/_awaiting_body.html", takes_context=True)
def awaiting_reviews(context, term):
    """The reviews waiting for this user's approval, oldest first: one query."""
    request = context["request"]
    return {"rows": awaiting_approval(user=request.user, term=term), "term": term}
