"""`/committees/<CODE>/assign/`: the committee's staff assign its Congress indicators to the
committees directly below, each with a local target; `/committees/<CODE>/assigned/`: every
assignee's target, value and status side by side, the ones holding an indicator back first.

Both read a constant number of queries whatever the size of the tree (indicators.assignments)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from indicators.access import Action, can
from indicators.assignments import assigned_below, indicator_assign
from indicators.models import Committee, Indicator

from .common import committee_from_request


def _indicator_id(request) -> int | None:
    """`?indicator=<id>`; None when absent or not a number (the page then lists every indicator)."""
    raw = request.GET.get("indicator") or request.POST.get("indicator") or ""
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@login_required
def assigned(request, code):
    committee = committee_from_request(request, code)
    chosen = _indicator_id(request)
    return render(
        request,
        "reviews/assigned.html",
        {
            "committee": committee,
            "term": committee.term,
            "rows": assigned_below(committee=committee, indicator_id=chosen),
            # The assign page's link only for those who may assign here (the crawl follows links).
            "may_assign": can(request.user, committee, Action.ASSIGN),
            "chosen": chosen,
        },
    )


@login_required
def assign(request, code):
    committee = committee_from_request(request, code, Action.ASSIGN)
    congress = list(
        Indicator.objects.of_committee(committee).in_tally().select_related("resolution").order_by("sort_key")
    )
    chosen_id = _indicator_id(request)
    chosen = next((i for i in congress if i.pk == chosen_id), None)
    children = list(Committee.objects.filter(parent=committee).order_by("code"))
    # The local targets already given, by the assignee's id.
    current = (
        dict(
            Indicator.objects.filter(
                assigned_from=chosen, resolution__committee__parent=committee
            ).values_list("resolution__committee_id", "target")
        )
        if chosen
        else {}
    )
    errors: dict[int, str] = {}
    posted: dict[int, str] = {}
    if request.method == "POST" and chosen is not None:
        posted = {child.pk: request.POST.get(f"target-{child.code}", "").strip() for child in children}
        wanted = {
            child: posted[child.pk]
            for child in children
            if posted[child.pk] and posted[child.pk] != current.get(child.pk)
        }
        try:
            with transaction.atomic():
                for child, target in wanted.items():
                    try:
                        indicator_assign(indicator=chosen, assignee=child, target=target, by=request.user)
                    except ValidationError as exc:
                        errors[child.pk] = " ".join(exc.messages)
                if errors:
                    raise _Undo
        except _Undo:
            messages.error(request, _("Chưa lưu: hãy sửa các dòng báo lỗi."))
        else:
            messages.success(request, _("Đã giao chỉ tiêu cho %(n)d đơn vị.") % {"n": len(wanted)})
            url = reverse("assign", args=[committee.code])
            return redirect(f"{url}?term={committee.term.code}&indicator={chosen.pk}")
    elif request.method == "POST":
        messages.error(request, _("Hãy chọn chỉ tiêu cần giao."))
        return redirect(f"{reverse('assign', args=[committee.code])}?term={committee.term.code}")
    rows = [
        {
            "committee": child,
            "value": posted.get(child.pk, current.get(child.pk, "")),
            "assigned": child.pk in current,
            "error": errors.get(child.pk, ""),
        }
        for child in children
    ]
    return render(
        request,
        "reviews/assign.html",
        {
            "committee": committee,
            "term": committee.term,
            "congress": congress,
            "chosen": chosen,
            "rows": rows,
        },
    )


class _Undo(Exception):
    """Rolls back every assignment of a POST that has an error: all or nothing."""


urlpatterns = [
    path("committees/<str:code>/assign/", assign, name="assign"),
    path("committees/<str:code>/assigned/", assigned, name="assigned_below"),
]
