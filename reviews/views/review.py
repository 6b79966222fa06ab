"""`/committees/<CODE>/review/`: the review document's editor (read-only once submitted)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from indicators.access import Action, can
from indicators.models import Stage
from indicators.tally import Tally
from reviews.forms.review import SOLUTION_FIELD, ReviewDocumentForm
from reviews.models import SolutionArea
from reviews.selectors import lessons_phrase, review_document, solutions_phrase, stage_query
from reviews.services import ReviewConflict, ReviewLocked, review_document_update
from reviews.signing.cards import signed_card

from .common import committee_from_request, stage_context, stage_from_request


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, code):
    action = Action.ASSESS if request.method == "POST" else Action.VIEW
    committee = committee_from_request(request, code, action)
    stage = stage_from_request(request)
    document = review_document(committee=committee, stage=stage)
    editable = document.review.is_editable and can(request.user, committee, Action.ASSESS, stage=stage)
    status = 200
    if request.method == "POST":
        form = ReviewDocumentForm(request.POST)
        if not form.is_valid():
            status = 400
        else:
            try:
                review_document_update(
                    committee=committee,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    fields=form.document_fields(),
                    lessons=form.cleaned_data["lessons"],
                    solutions=form.cleaned_data["solutions"],
                    stage=stage,
                )
            except ReviewLocked as exc:
                messages.error(request, str(exc))
                status, editable = 409, False
            except ReviewConflict as exc:
                messages.error(request, str(exc))
                messages.warning(
                    request,
                    _(
                        "Mở bản hiện tại trong thẻ mới để so sánh; nhấn “Lưu báo cáo” lần nữa "
                        "nếu muốn thay bản đó bằng nội dung dưới đây."
                    ),
                )
                # Keep the user's text; a second save is then a deliberate overwrite.
                data = request.POST.copy()
                data["version"] = str(exc.review.version)
                form = ReviewDocumentForm(data)
                form.is_valid()
                status = 409
            else:
                messages.success(
                    request,
                    _("Đã lưu báo cáo sơ kết.") if stage == Stage.MID else _("Đã lưu báo cáo tổng kết."),
                )
                return redirect(
                    f"{reverse('review_edit', args=[committee.code])}?{stage_query(committee, stage)}"
                )
    else:
        form = ReviewDocumentForm(initial=ReviewDocumentForm.initial_for(document))

    context = {
        **signed_card(request.user, committee, document.review),
        "committee": committee,
        "term": committee.term,
        "document": document,
        "form": form,
        "editable": editable,
        "committee_tally_sentence": Tally.of_committee(committee, stage).sentence(),
        **stage_context(committee, stage, "review_edit"),
        "counts": {
            "lessons": lessons_phrase(len(document.lessons)),
            "solutions": solutions_phrase(len(document.solutions)),
        },
        "solution_fields": [(form[SOLUTION_FIELD[area]], area) for area in SolutionArea.values],
        "solutions_by_area": [
            (label, [s for s in document.solutions if s.area == area]) for area, label in SolutionArea.choices
        ],
    }
    return render(request, "reviews/review_edit.html", context, status=status)


urlpatterns = [path("committees/<str:code>/review/", review_edit, name="review_edit")]
