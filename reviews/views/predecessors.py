"""`/committees/<CODE>/predecessors/` (staff): the committees of the term before that a committee
continues, and the indicators of the term before that its indicators continue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from indicators.access import Action
from indicators.lineage import PREDECESSOR_ASSESSMENTS, WITH_PREDECESSOR, reference_of
from indicators.models import Indicator
from indicators.selectors import committee_lineage
from indicators.services.lineage import committee_lineage_set
from indicators.services.terms import term_before

from ..forms.predecessors import PredecessorsForm
from .common import committee_from_request, openable


@login_required
@require_http_methods(["GET", "POST"])
def predecessors(request, code):
    committee = committee_from_request(request, code, Action.SET_UP)
    before = term_before(committee.term)
    indicators = list(
        Indicator.objects.of_committee(committee)
        .for_assessment_form()
        .select_related("resolution__committee__term", *WITH_PREDECESSOR)
        .prefetch_related(PREDECESSOR_ASSESSMENTS)
    )
    lineage = committee_lineage(committee=committee)
    initial = {
        "codes": ", ".join(row.committee.code for row in lineage.predecessors),
        **{
            PredecessorsForm.field_name(i): str(reference_of(i.predecessor))
            for i in indicators
            if i.predecessor is not None
        },
    }
    status = 200
    if request.method == "POST":
        form = PredecessorsForm(request.POST, before=before, indicators=indicators, initial=initial)
        if form.is_valid():
            changed = committee_lineage_set(
                committee=committee,
                predecessors=form.cleaned_data["codes"],
                indicator_links=[(i, form.predecessors[i.pk]) for i in indicators],
                by=request.user,
            )
            messages.success(
                request,
                _("Đã lưu đơn vị tiền thân; %(n)d chỉ tiêu đổi chỉ tiêu kỳ trước.") % {"n": changed},
            )
            return redirect(f"{reverse('predecessors', args=[committee.code])}?term={committee.term.code}")
        status = 400
    else:
        form = PredecessorsForm(initial=initial, before=before, indicators=indicators)
    return render(
        request,
        "reviews/predecessors.html",
        {
            "committee": committee,
            "term": committee.term,
            "before": before,
            "form": form,
            "lineage": lineage,
            "openable": openable(request.user, lineage),
        },
        status=status,
    )


urlpatterns = [path("committees/<str:code>/predecessors/", predecessors, name="predecessors")]
