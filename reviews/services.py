"""Writes of the review: its workflow steps, its document, and assessments as the review allows them.

Every write here runs in one transaction with its history row (ReviewEvent, or the core's
AssessmentChange). A review row comes into being only here, with the first write that needs it:
reads (reviews.selectors) show an unsaved draft instead. Every user-facing assessment change (form
and import) goes through `review_assess`, which holds the review row while it checks that the
review is still a draft."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from indicators.access import Action, Refused, authorize
from indicators.models import Assessment, ChangeSource, Committee, Stage
from indicators.services.assessments import AssessmentEdit, EditResult, assessments_update

from .models import (
    DOCUMENT_FIELDS,
    MAX_DOCUMENT_CHARS,
    MAX_ITEM_CHARS,
    MAX_LIST_ITEMS,
    MAX_NARRATIVE_CHARS,
    NARRATIVE_FIELDS,
    Lesson,
    Review,
    ReviewAction,
    ReviewEvent,
    SolutionArea,
    SolutionGroup,
    document_chars,
)
from .notifications.services import notify_review_step
from .selectors import review_checklist
from .workflow import TRANSITIONS, Reason

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ReviewLocked(Exception):
    """The review is submitted or approved: its assessments and text are read-only."""

    def __init__(self, review: Review):
        self.review = review
        super().__init__(
            _("Báo cáo sơ kết của %(name)s đang ở trạng thái “%(state)s”, không thể sửa.")
            % {"name": review.committee.name, "state": review.progress.label}
        )


class ReviewConflict(Exception):
    """The document changed since the editor was opened; the save is refused, not merged."""

    def __init__(self, review: Review):
        self.review = review
        at = date_format(localtime(review.updated_at), "SHORT_DATETIME_FORMAT") if review.updated_at else "?"
        super().__init__(
            _(
                "Báo cáo đã được người khác sửa (lúc %(at)s) sau khi bạn mở trang. "
                "Nội dung của bạn chưa được lưu và vẫn còn dưới đây."
            )
            % {"at": at}
        )


class WorkflowError(Exception):
    """A workflow step that is not allowed now; nothing was changed."""


@dataclass(frozen=True)
class SolutionItem:
    area: str
    text: str


# ---- the review row and its history ---------------------------------------------------------------


def review_lock(*, committee: Committee, stage: str = Stage.MID) -> Review:
    """The committee's review at `stage`, created if new, locked for the rest of the caller's transaction.

    Only writes call this: the row is created by the first write that needs it, never by a read."""
    locked = Review.objects.select_for_update().select_related("committee")
    try:
        return locked.get(committee=committee, stage=stage)  # the row exists but on the first write
    except Review.DoesNotExist:
        Review.objects.get_or_create(committee=committee, stage=stage)  # another writer may just have
        return locked.get(committee=committee, stage=stage)


def review_lock_draft(*, committee: Committee, stage: str = Stage.MID) -> Review:
    """As review_lock, for a change only a draft allows: ReviewLocked once submitted or approved."""
    review = review_lock(committee=committee, stage=stage)
    if not review.is_editable:
        raise ReviewLocked(review)
    return review


def review_record_event(
    *, review: Review, actor: "User | None", action: ReviewAction, from_state: str, reason: str = ""
) -> ReviewEvent:
    event = ReviewEvent(
        review=review,
        actor=actor,
        at=timezone.now(),
        action=action,
        from_state=from_state,
        to_state=review.state,
        reason=reason,
    )
    event.full_clean(exclude=["review", "actor"])
    event.save()
    return event


@transaction.atomic
def review_assess(
    *,
    committee: Committee,
    edits: list[AssessmentEdit],
    by: "User | None",
    source: str,
    stage: str = Stage.MID,
) -> EditResult:
    """Apply assessment edits of one committee if, and only if, the user may assess it (staff also
    through a set-up workbook), every edit is of its own indicators and its review is a draft.

    Refused (nothing written) for a user who may not, or for an edit of another committee's
    indicator: the review locked here is the one of `committee`, and only its rows may change."""
    actions = (Action.ASSESS, Action.SET_UP) if source == ChangeSource.IMPORT else (Action.ASSESS,)
    authorize(
        by,
        committee,
        *actions,
        message=_("Bạn không có quyền đánh giá chỉ tiêu của đơn vị này."),
        stage=stage,
    )
    ids = {edit.assessment_id for edit in edits}
    # One query, on the primary key; an id that does not exist is assessments_update's to refuse.
    if (
        ids
        and Assessment.objects.filter(pk__in=ids)
        .exclude(indicator__resolution__committee=committee, stage=stage)
        .exists()
    ):
        # The review locked is the one of this stage: an edit of another stage's row would slip past it.
        raise Refused(
            _("Chỉ được sửa đánh giá các chỉ tiêu của chính đơn vị %(name)s, ở giai đoạn “%(stage)s”.")
            % {"name": committee.name, "stage": Stage(stage).label}
        )
    review_lock_draft(committee=committee, stage=stage)
    return assessments_update(edits=edits, by=by, source=source)


# ---- the workflow: one service reading reviews.workflow.TRANSITIONS --------------------------------


def review_require_complete(*, committee: Committee, review: Review) -> None:  # review: of its stage
    """Submitting sends a finished review: what the checklist finds missing (every indicator assessed,
    thematic ones too; a note on every hard or not achieved one; the heading a filed report needs)
    refuses it, naming each thing. The dashboard's card lists the same, from the same selector."""
    missing = review_checklist(committee=committee, review=review)
    if missing:
        raise WorkflowError(
            _("Không thể gửi báo cáo: %(missing)s.") % {"missing": "; ".join(m.message for m in missing)}
        )


@transaction.atomic
def review_step(
    *, committee: Committee, step: ReviewAction, by: "User", reason: str = "", stage: str = Stage.MID
) -> Review:
    """Take one workflow step on the committee's review, as TRANSITIONS allows it, and record it.

    Refused (a PermissionDenied) if the user may not take the step on this committee; WorkflowError (nothing
    changed) if the review is not in a state the step starts from, a required reason is missing,
    or a draft is sent that the checklist finds incomplete (selectors.review_checklist)."""
    transition = TRANSITIONS.get(step)
    if transition is None:
        raise ValueError(f"not a workflow step: {step!r}")
    authorize(by, committee, transition.access, stage=stage)
    reason = reason.strip() if transition.reason is not Reason.NONE else ""
    if transition.reason is Reason.REQUIRED and not reason:
        raise WorkflowError(_("Hãy ghi lý do trả lại báo cáo."))
    review = review_lock(committee=committee, stage=stage)
    if review.state not in transition.from_states:
        raise WorkflowError(
            _("Không thể %(what)s: báo cáo của %(name)s đang ở trạng thái “%(state)s”.")
            % {"what": transition.what, "name": review.committee.name, "state": review.progress.label}
        )
    if step == ReviewAction.SUBMIT:
        review_require_complete(committee=committee, review=review)

    from_state = review.state
    review.state = transition.to_state
    fields = ["state", "updated_at"]
    if step == ReviewAction.RETURN:
        review.return_reason = reason
        fields.append("return_reason")
    elif step == ReviewAction.SUBMIT and review.return_reason:
        review.return_reason = ""  # answered by resubmitting; the reason stays in the history
        fields.append("return_reason")
    review.save(update_fields=fields)
    review_record_event(review=review, actor=by, action=step, from_state=from_state, reason=reason)
    # Tell whoever acts next, in this same transaction (the outbox): a rolled-back step tells nobody.
    notify_review_step(committee=review.committee, step=step, by=by, reason=reason, stage=review.stage)
    return review


# ---- the document -------------------------------------------------------------------------------


@transaction.atomic
def review_document_update(
    *,
    committee: Committee,
    by: "User",
    expected_version: int,
    fields: dict[str, str | date | None],
    lessons: list[str],
    solutions: list[SolutionItem],
    stage: str = Stage.MID,
) -> Review:
    """Save the whole document (of `stage`) at once, if it is a draft, the user may assess, and nobody
    saved meanwhile.

    The lists are replaced as a whole: their order is their numbering in the report."""
    authorize(
        by, committee, Action.ASSESS, message=_("Bạn không có quyền sửa báo cáo của đơn vị này."), stage=stage
    )
    review = review_lock_draft(committee=committee, stage=stage)
    if review.version != expected_version:
        raise ReviewConflict(review)
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValueError(f"not a document field: {sorted(unknown)}")
    _check_bounds(fields=fields, lessons=lessons, solutions=solutions)

    for name, value in fields.items():
        setattr(review, name, value if value is not None or name == "document_date" else "")
    review.version += 1
    review.full_clean(exclude=["committee"])
    review.save(update_fields=[*fields, "version", "updated_at"])

    lesson_rows = [Lesson(review=review, position=i, text=text) for i, text in enumerate(lessons, start=1)]
    solution_rows = [
        SolutionGroup(review=review, position=i, area=item.area, text=item.text)
        for i, item in enumerate(solutions, start=1)
    ]
    for row in [*lesson_rows, *solution_rows]:
        row.full_clean(exclude=["review"])
    Lesson.objects.filter(review=review).delete()
    SolutionGroup.objects.filter(review=review).delete()
    Lesson.objects.bulk_create(lesson_rows)
    SolutionGroup.objects.bulk_create(solution_rows)

    review_record_event(review=review, actor=by, action=ReviewAction.EDIT, from_state=review.state)
    return review


def _check_bounds(*, fields: Mapping[str, Any], lessons: list[str], solutions: list[SolutionItem]) -> None:
    if len(lessons) > MAX_LIST_ITEMS or len(solutions) > MAX_LIST_ITEMS:
        raise ValueError(f"at most {MAX_LIST_ITEMS} items per list")
    if any(not text.strip() or len(text) > MAX_ITEM_CHARS for text in lessons):
        raise ValueError("a lesson is empty or too long")
    for item in solutions:
        if item.area not in SolutionArea.values or not item.text.strip() or len(item.text) > MAX_ITEM_CHARS:
            raise ValueError("a group of solutions is empty, too long or has an unknown area")
    for name in NARRATIVE_FIELDS:
        if len(fields.get(name) or "") > MAX_NARRATIVE_CHARS:
            raise ValueError(f"{name} is too long")
    if document_chars(fields=fields, lessons=lessons, solutions=solutions) > MAX_DOCUMENT_CHARS:
        raise ValueError("the document is too long")


@transaction.atomic
def review_document_seed(
    *,
    committee: Committee,
    fields: Mapping[str, str | date | None],
    lessons: list[str],
    solutions: list[SolutionItem],
    stage: str = Stage.MID,
) -> bool:
    """Fill what is still empty (fields, lesson list, solution list); never overwrite. For the demo loader.

    Returns whether anything was written."""
    review = review_lock(committee=committee, stage=stage)
    empty = [name for name, value in fields.items() if value and not getattr(review, name)]
    has_lessons = Lesson.objects.filter(review=review).exists()
    has_solutions = SolutionGroup.objects.filter(review=review).exists()
    if not empty and (has_lessons or not lessons) and (has_solutions or not solutions):
        return False
    for name in empty:
        setattr(review, name, fields[name])
    review.version += 1
    review.full_clean(exclude=["committee"])
    review.save(update_fields=[*empty, "version", "updated_at"])
    if not has_lessons:
        Lesson.objects.bulk_create(
            Lesson(review=review, position=i, text=text) for i, text in enumerate(lessons, start=1)
        )
    if not has_solutions:
        SolutionGroup.objects.bulk_create(
            SolutionGroup(review=review, position=i, area=item.area, text=item.text)
            for i, item in enumerate(solutions, start=1)
        )
    review_record_event(
        review=review, actor=None, action=ReviewAction.EDIT, from_state=review.state, reason="demo"
    )
    return True
