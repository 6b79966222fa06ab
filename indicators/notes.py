"""What needs a note: one rule for every place an assessment is judged (domain.md, "Results over time").

A committee's status is its own judgement; two kinds of judgement must say why in the note:
- "hard", "not achieved" or "not assessable" (the report explains each one);
- a status its own numbers do not support (the suggestion, indicators.suggestion, differs).

`assessment_problems` finds them and names each with a stable code. How severe a problem is
depends only on the moment it is found, and is decided once, here (`SEVERITY`): the assessment
form and the workbook import are the same person doing the same thing (changing an assessment),
so they refuse alike; sending the review is where every row counts, changed today or not.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from .models import Status

# The statuses the report explains one by one: never without a reason.
NEEDS_NOTE = frozenset({Status.HARD, Status.NOT_ACHIEVED, Status.NOT_ASSESSABLE})


class NoteProblem(StrEnum):
    FOR_STATUS = "note_required_for_status"
    FOR_DISAGREEMENT = "note_required_for_disagreement"


class Moment(StrEnum):
    """Where an assessment is judged."""

    # Someone changes an existing assessment: a touched row of the form, a changed row of a workbook.
    ASSESS = "assess"
    # Staff set a term up from a workbook: new indicators arrive with whatever status the office's
    # old spreadsheet held; the committee writes the reasons before it sends.
    SET_UP = "set_up"
    # The review is sent: every row of the committee, whoever wrote it and when.
    SEND = "send"


class Severity(StrEnum):
    ERROR = "error"  # the save (form) or the whole import is refused
    WARNING = "warning"  # said, not refused
    BLOCKER = "blocker"  # the review cannot be sent (reviews.selectors.review_checklist)


# Decided once. Changing an assessment without its reason is refused wherever it is typed (before
# this table the import only warned, so the same row was refused in the form and saved from Excel).
SEVERITY: dict[tuple[NoteProblem, Moment], Severity] = {
    (NoteProblem.FOR_STATUS, Moment.ASSESS): Severity.ERROR,
    (NoteProblem.FOR_DISAGREEMENT, Moment.ASSESS): Severity.ERROR,
    (NoteProblem.FOR_STATUS, Moment.SET_UP): Severity.WARNING,
    (NoteProblem.FOR_DISAGREEMENT, Moment.SET_UP): Severity.WARNING,
    (NoteProblem.FOR_STATUS, Moment.SEND): Severity.BLOCKER,
    (NoteProblem.FOR_DISAGREEMENT, Moment.SEND): Severity.BLOCKER,
}


@dataclass(frozen=True)
class Problem:
    code: NoteProblem
    status: Status  # the committee's judgement
    suggested: Status | None = None  # what the numbers suggest (FOR_DISAGREEMENT only)

    def severity(self, moment: Moment) -> Severity:
        return SEVERITY[(self.code, moment)]

    def message(self, label: str) -> str:
        """The sentence, naming the row as the caller shows it ("Chỉ tiêu 3 (Nghị quyết 01-NQ/ĐH)")."""
        if self.code == NoteProblem.FOR_STATUS:
            return _("%(label)s: đánh giá “%(status)s” cần ghi chú nêu lý do.") % {
                "label": label,
                "status": self.status.label,
            }
        assert self.suggested is not None  # noqa: S101 -- set for every disagreement
        return _(
            "%(label)s: số liệu gợi ý “%(suggested)s” nhưng đánh giá là “%(status)s”; "
            "hãy ghi chú giải thích vì sao."
        ) % {"label": label, "suggested": self.suggested.label, "status": self.status.label}


def assessment_problems(*, status: str, note: str, suggested: str | None) -> list[Problem]:
    """The notes this assessment misses: [] when it needs none or has one.

    `suggested` is the status the indicator's results suggest: `Assessment.suggested_status` as
    stored, or `indicators.results.suggestion_for(...)` of results being typed; "" or None when
    the numbers suggest nothing. A status that needs a note anyway is named once, for itself,
    not a second time for disagreeing with the numbers: one note answers both."""
    if note.strip() or not status or status == Status.NOT_ASSESSED:
        return []
    if status in NEEDS_NOTE:
        return [Problem(NoteProblem.FOR_STATUS, Status(status))]
    if suggested and suggested != status:
        return [Problem(NoteProblem.FOR_DISAGREEMENT, Status(status), Status(suggested))]
    return []
