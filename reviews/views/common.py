"""Helpers every view uses: which term a request means, and the committee it may touch."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.access import Action, AnyUser, can, committee_checked, committee_for, newest_term_visible
from indicators.models import Committee, Stage, Term
from indicators.selectors import Lineage, committee_by_codes, end_is_open, term_by_code

from ..selectors import stage_query


def term_from_request(request, *, code: str | None = None) -> Term:
    """`?term=2020-2025`; without it, the newest term in which the user may see committee `code`
    (without a code: the newest in which they hold a role; the newest of all for everyone else)."""
    raw = request.GET.get("term") or request.POST.get("term")
    if raw:
        try:
            term = term_by_code(code=raw)
        except ValueError:
            raise Http404(_("Nhiệm kỳ không hợp lệ.")) from None
        except Term.DoesNotExist:
            term = None
    else:
        term = newest_term_visible(request.user, code=code)
        if term is None and code:
            raise Http404(_("Không tìm thấy đơn vị."))  # the same answer committee_for gives strangers
        if term is None:
            term = Term.objects.order_by("-start_year").first()
    if term is None:
        raise Http404(_("Không tìm thấy nhiệm kỳ."))
    return term


# A code no committee can have: longer than the column, or with a NUL byte (PostgreSQL refuses
# NUL in text, so asking it would fail instead of finding nothing).
_CODE_MAX = Committee._meta.get_field("code").max_length or 0


def committee_from_request(request, code: str, action: Action = Action.VIEW) -> Committee:
    """The committee named in the URL, through the one access rule (404 for strangers, and for a
    code no committee can have, without asking the database)."""
    if "\x00" in code or len(code) > _CODE_MAX:
        raise Http404(_("Không tìm thấy đơn vị."))
    raw = request.GET.get("term") or request.POST.get("term")
    if raw:
        # The committee with its term in one query: no query for the term alone on every page.
        try:
            committee = committee_by_codes(code=code, term_code=raw)
        except ValueError:
            raise Http404(_("Nhiệm kỳ không hợp lệ.")) from None
        return committee_checked(request.user, committee, action)
    return committee_for(request.user, code=code, term=term_from_request(request, code=code), action=action)


def openable(user: AnyUser, lineage: Lineage) -> set[int]:
    """The predecessors and successors the user may open: only those are links (the old tree's
    people do not see the new one). One query for the roles of each other term, whatever the tree."""
    rows = [*lineage.predecessors, *lineage.successors]
    return {row.committee.pk for row in rows if can(user, row.committee, Action.VIEW)}


def stage_from_request(request) -> str:
    """`?stage=mid|end` (or the posted field); mid without it or for a value that names no stage,
    so an old or mistyped link opens the mid-term review instead of an error. The plain value, as
    the database gives it back (report keys are made of what the rows hold)."""
    return Stage.parse(request.GET.get("stage") or request.POST.get("stage")).value


def stage_context(committee: Committee, stage: str, url_name: str) -> dict:
    """What every review page shows of its stage: the label, the query string its links and forms
    carry, and the switch to the other stage (only where the end review is open)."""
    stage = Stage(stage)
    links = []
    if end_is_open(committee):
        base = reverse(url_name, args=[committee.code])
        links = [(s.label, f"{base}?{stage_query(committee, s)}", s == stage) for s in Stage]
    return {
        "stage": stage.value,
        "stage_label": stage.label,
        "stage_query": stage_query(committee, stage),
        "stage_links": links,
    }
