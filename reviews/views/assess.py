"""`/committees/<CODE>/assess/`: the secretary's entry form for every indicator of the committee."""

from dataclasses import dataclass
from dataclasses import field as dc_field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.access import Action
from indicators.models import COUNTER_COLUMNS, ChangeSource, Field, Indicator, Status
from indicators.services import AssessmentConflict
from indicators.tally import Tally

from ..forms.assess import AssessmentForm
from ..models import ReviewAction
from ..selectors import review_of
from ..services import ReviewLocked, review_assess
from ..workflow import review_actions_for
from .common import committee_from_request


@login_required
def assess(request, code):
    committee = committee_from_request(request, code, Action.ASSESS)
    review = review_of(committee=committee)
    indicators = list(Indicator.objects.of_committee(committee).for_assessment_form())
    here = f"{reverse('assess', args=[committee.code])}?term={committee.term.code}"
    # "Save and send": save first, then the confirmation page; a failed save sends nothing.
    then = (
        f"{reverse('review_submit', args=[committee.code])}?term={committee.term.code}"
        if request.POST.get("then") == "submit"
        else here
    )
    status = 200
    if request.method != "POST":
        form = AssessmentForm(
            indicators,
            disabled=not review.is_editable,
            term=committee.term,
            # Cards the page shows as stored are cached; their links name the committee.
            card_parts=(committee.code,),
        )
    elif not review.is_editable:
        # A forged or stale POST against a submitted/approved review: refuse, change nothing.
        messages.error(request, str(ReviewLocked(review)))
        return redirect(here)
    else:
        form = AssessmentForm(indicators, request.POST, term=committee.term, card_parts=(committee.code,))
        if form.is_valid():
            edits = form.edits()
            if not edits:
                messages.info(request, _("Không có thay đổi nào để lưu."))
                return redirect(then)
            try:
                result = review_assess(
                    committee=committee, edits=edits, by=request.user, source=ChangeSource.FORM
                )
            except AssessmentConflict as exc:
                form.mark_conflicts(exc.conflicts)
                status = 409
            except ReviewLocked as exc:
                messages.error(request, str(exc))
                return redirect(here)
            else:
                committee.refresh_from_db(fields=COUNTER_COLUMNS)
                n = len(result.changed)
                messages.success(
                    request,
                    ngettext("Đã lưu %(n)d chỉ tiêu.", "Đã lưu %(n)d chỉ tiêu.", n) % {"n": n}
                    + " "
                    + _("Kết quả hiện nay: %(tally)s.") % {"tally": Tally.of_committee(committee).sentence()},
                )
                return redirect(then)
        else:
            status = 400
    return render(
        request,
        "reviews/assess.html",
        {
            "committee": committee,
            "term": committee.term,
            "review": review,
            "form": form,
            "groups": _groups(form.rows),
            "tally": Tally.of_committee(committee),
            "editable": review.is_editable,
            "may_submit": ReviewAction.SUBMIT in review_actions_for(request.user, review),
        },
        status=status,
    )


# Up to this many indicators the form opens every field; a longer form (a province's 66) folds
# them, each summary counting what is left, so the secretary opens one field at a time.
OPEN_ALL_UP_TO = 30


@dataclass
class FieldGroup:
    label: str
    rows: list = dc_field(default_factory=list)
    not_assessed: int = 0
    open: bool = False


def _groups(rows):
    """[(resolution, [FieldGroup, …]), …] in page order; fields in order of first use. A field
    with an error or a conflict is always open, so the summary's links land on visible inputs."""
    fold = len(rows) > OPEN_ALL_UP_TO
    groups: list = []
    for row in rows:
        resolution = row.indicator.resolution
        if not groups or groups[-1][0].pk != resolution.pk:
            groups.append((resolution, {}))
        field = row.indicator.field
        group = groups[-1][1].setdefault(
            field, FieldGroup(str(Field(field).label) if field else _("Chỉ tiêu khác"))
        )
        group.rows.append(row)
        group.not_assessed += row["status"].value() == Status.NOT_ASSESSED
        group.open = group.open or not fold or bool(row.errors) or row.conflict is not None
    return [(resolution, list(by_field.values())) for resolution, by_field in groups]


urlpatterns = [path("committees/<str:code>/assess/", assess, name="assess")]
