"""`/committees/<CODE>/assess/`: the secretary's entry form for every indicator of the committee."""

from dataclasses import dataclass
from dataclasses import field as dc_field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.offline import kept_offline
from indicators.access import Action, can, may_set_up_terms
from indicators.models import ChangeSource, Field, Status, stage_counter_columns
from indicators.people import person_label
from indicators.selectors import committee_indicators
from indicators.services.assessments import AssessmentConflict
from indicators.tally import Tally

from ..forms.assess import AssessmentForm
from ..forms.assess_shown import ShownForm
from ..models import ReviewAction
from ..selectors import review_of, stage_query
from ..services import ReviewLocked, review_assess
from ..workflow import review_actions_for
from .common import committee_from_request, stage_context, stage_from_request


@login_required
@kept_offline
def assess(request, code):
    committee = committee_from_request(request, code, Action.ASSESS)
    stage = stage_from_request(request)
    if not can(request.user, committee, Action.ASSESS, stage=stage):
        # A role held through the next term's committee writes the end-of-term review only.
        raise PermissionDenied(_("Bạn không có quyền đánh giá chỉ tiêu của đơn vị này."))
    review = review_of(committee=committee, stage=stage)
    indicators = committee_indicators(committee=committee, stage=stage)
    if request.method == "POST" and _wants_json(request):
        return _save_as_json(request, committee=committee, review=review, indicators=indicators)
    query = stage_query(committee, stage)
    here = f"{reverse('assess', args=[committee.code])}?{query}"
    # "Save and send": save first, then the confirmation page; a failed save sends nothing.
    then = (
        f"{reverse('review_submit', args=[committee.code])}?{query}"
        if request.POST.get("then") == "submit"
        else here
    )
    # Staff may adjust targets (on the indicator's page): their cards carry the link, so they are
    # cached apart.
    may_adjust = may_set_up_terms(request.user)
    status = 200
    posted: AssessmentForm | None = None
    if request.method == "POST" and not review.is_editable:
        # A forged or stale POST against a submitted/approved review: refuse, change nothing.
        messages.error(request, str(ReviewLocked(review)))
        return redirect(here)
    if request.method == "POST":
        posted = AssessmentForm(indicators, request.POST, term=committee.term)
        if posted.is_valid():
            edits = posted.edits()
            if not edits:
                messages.info(request, _("Không có thay đổi nào để lưu."))
                return redirect(then)
            try:
                result = review_assess(
                    committee=committee, edits=edits, by=request.user, source=ChangeSource.FORM, stage=stage
                )
            except AssessmentConflict as exc:
                posted.mark_conflicts(exc.conflicts)
                status = 409
            except ReviewLocked as exc:
                messages.error(request, str(exc))
                return redirect(here)
            else:
                committee.refresh_from_db(fields=stage_counter_columns(stage))
                n = len(result.changed)
                messages.success(
                    request,
                    ngettext("Đã lưu %(n)d chỉ tiêu.", "Đã lưu %(n)d chỉ tiêu.", n) % {"n": n}
                    + " "
                    + _("Kết quả hiện nay: %(tally)s.")
                    % {"tally": Tally.of_committee(committee, stage).sentence()},
                )
                if then == here and result.changed:
                    # Back to the card just saved, not the top of a 13,000 px page.
                    then = f"{here}#row-{result.changed[-1].indicator_id}"
                if posted.units_dropped:
                    messages.info(
                        request,
                        _("Đã bỏ đơn vị gõ sau số (đơn vị đã in sẵn bên cạnh ô): %(where)s.")
                        % {"where": "; ".join(posted.units_dropped)},
                    )
                return redirect(then)
        else:
            status = 400
    # The cards are drawn from the rows themselves, no Django form (its 18 fields a card cost most
    # of the page's CPU); after a refused save only the rows it checked are drawn through theirs.
    form = ShownForm(
        indicators,
        disabled=not review.is_editable,
        term=committee.term,
        committee_code=committee.code,
        # Cards the page shows as stored are cached; their links name the committee.
        card_parts=(committee.code, may_adjust),
        may_adjust=may_adjust,
        posted=posted,
    )
    return render(
        request,
        "reviews/assess.html",
        {
            "committee": committee,
            "term": committee.term,
            "review": review,
            "form": form,
            "groups": _groups(form.rows, opened=_opened(request)),
            "tally": Tally.of_committee(committee, stage),
            "editable": review.is_editable,
            **stage_context(committee, stage, "assess"),
            "may_submit": ReviewAction.SUBMIT in review_actions_for(request.user, review),
            "may_adjust": may_adjust,
            # The workflow panel's checklist judges the rows the page has read (no second read).
            "checklist_indicators": indicators,
        },
        status=status,
    )


def _wants_json(request) -> bool:
    """The phone's queue of edits kept offline asks for JSON; a browser's form POST never does
    (its Accept lists text/html first), so the HTML path below is untouched."""
    return request.headers.get("Accept", "").startswith("application/json")


def _save_as_json(request, *, committee, review, indicators) -> JsonResponse:
    """The same form, service and checks as the page's save, answered per indicator: the edits
    kept on a phone were made one by one, maybe days apart, so one stale or invalid row must not
    hold back the others. Each indicator (by its id, the form's prefix) is "accepted", "unchanged"
    (posted but not changed), "invalid" (the form's messages) or "conflict" (someone saved
    another version meanwhile: the stored value, who, when, and the version and fingerprint to
    send again on if the secretary keeps hers). Nothing is ever saved over a newer version."""
    if not review.is_editable:
        return JsonResponse({"locked": str(ReviewLocked(review))}, status=409)
    form = AssessmentForm(indicators, request.POST, term=committee.term)
    form.is_valid()
    out: dict[str, dict] = {}
    rows = {}
    for row in form.rows:
        if not row.is_bound:
            continue
        key = str(row.indicator.pk)
        if row.errors:
            messages_ = [str(m) for errors in row.errors.values() for m in errors]
            out[key] = {"state": "invalid", "errors": messages_}
        elif row.is_touched:
            rows[row.assessment.pk] = row
        else:
            out[key] = {"state": "unchanged"}
    pending = [row.edit() for row in rows.values()]
    # The service is all or nothing; a refused batch is retried without its stale rows, each
    # round one transaction that re-checks every version (a row made stale meanwhile drops out too).
    while pending:
        try:
            review_assess(
                committee=committee,
                edits=pending,
                by=request.user,
                source=ChangeSource.FORM,
                stage=review.stage,
            )
        except AssessmentConflict as exc:
            for conflict in exc.conflicts:
                row = rows[conflict.assessment.pk]
                stored = _stored(row, conflict.assessment)
                out[str(row.indicator.pk)] = {"state": "conflict", "server": stored}
            stale = {c.assessment.pk for c in exc.conflicts}
            pending = [e for e in pending if e.assessment_id not in stale]
        except ReviewLocked as exc:
            return JsonResponse({"locked": str(exc)}, status=409)
        else:
            for edit in pending:
                out[str(rows[edit.assessment_id].indicator.pk)] = {"state": "accepted"}
            break
    committee.refresh_from_db(fields=stage_counter_columns(review.stage))
    return JsonResponse(
        {"indicators": out, "tally": Tally.of_committee(committee, review.stage).sentence()},
        json_dumps_params={"ensure_ascii": False},
    )


def _stored(row, assessment) -> dict[str, object]:
    when = assessment.updated_at
    return {
        "status": assessment.status,
        "status_label": str(Status(assessment.status).label),
        "exceeded": assessment.exceeded,
        "value": assessment.value,
        "note": assessment.note,
        "who": person_label(assessment.updated_by) if assessment.updated_by else _("không rõ"),
        "when": date_format(localtime(when), "SHORT_DATETIME_FORMAT") if when else "",
        "version": assessment.version,
        "orig": row.digest_of(assessment),
    }


# Up to this many indicators the form opens every field; a longer form (a province's 66) folds
# the fields whose indicators are all judged, each summary counting what is left, so the
# secretary sees the fields with work left open and opens another one when she needs it.
OPEN_ALL_UP_TO = 30


@dataclass
class FieldGroup:
    label: str
    key: str = ""  # the <details>' id, which the page posts back while it is open
    rows: list = dc_field(default_factory=list)
    not_assessed: int = 0
    open: bool = False


def _opened(request) -> frozenset[str]:
    """The fields she had open when she saved (static/js/site.js posts their ids in `opened`):
    a page shown again after an error opens them again, not only the fields with the error."""
    raw = request.POST.get("opened", "") if request.method == "POST" else ""
    return frozenset(part for part in raw.split(",")[:200] if part)


def _groups(rows, *, opened: frozenset[str] = frozenset()):
    """[(resolution, [FieldGroup, …]), …] in page order; fields in order of first use. A field
    with an error or a conflict is always open, so the summary's links land on visible inputs."""
    fold = len(rows) > OPEN_ALL_UP_TO
    groups: list = []
    # A part sits under its group, in its group's field, whatever field it names itself.
    fields = {row.indicator.pk: row.indicator.field for row in rows}
    for row in rows:
        resolution = row.indicator.resolution
        if not groups or groups[-1][0].pk != resolution.pk:
            groups.append((resolution, {}))
        field = (
            fields.get(row.indicator.group_id, row.indicator.field) if row.is_part else row.indicator.field
        )
        group = groups[-1][1].setdefault(
            field,
            FieldGroup(
                str(Field(field).label) if field else _("Chỉ tiêu khác"), key=f"field-{resolution.pk}-{field}"
            ),
        )
        group.rows.append(row)
        # A part is never judged on its own: nothing is left to do on it.
        group.not_assessed += not row.is_part and row.status_value == Status.NOT_ASSESSED
        group.open = (
            group.open or not fold or bool(row.errors) or row.conflict is not None or group.key in opened
        )
    # A long form opens the fields with work left and folds the complete ones: she sees at once
    # where to go, and the summaries of the folded ones say they are done.
    for _resolution, by_field in groups:
        for group in by_field.values():
            group.open = group.open or group.not_assessed > 0
    return [(resolution, list(by_field.values())) for resolution, by_field in groups]


urlpatterns = [path("committees/<str:code>/assess/", assess, name="assess")]
