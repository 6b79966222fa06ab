"""What needs a note: one rule (indicators.notes), coded problems, one severity table."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import Status
from indicators.notes import (
    NEEDS_NOTE,
    SEVERITY,
    Moment,
    NoteProblem,
    Problem,
    Severity,
    assessment_problems,
)

STATUSES = [s.value for s in Status]


@pytest.mark.parametrize("status", [Status.HARD, Status.NOT_ACHIEVED, Status.NOT_ASSESSABLE])
def test_hard_or_not_achieved_without_a_note_needs_one(status):
    assert assessment_problems(status=status, note="", suggested=None) == [
        Problem(NoteProblem.FOR_STATUS, Status(status))
    ]


def test_a_note_of_blanks_is_no_note():
    assert [p.code for p in assessment_problems(status=Status.HARD, note=" \n ", suggested="")] == [
        "note_required_for_status"
    ]


def test_a_status_the_numbers_do_not_support_needs_a_note():
    assert assessment_problems(status=Status.ACHIEVED, note="", suggested=Status.HARD) == [
        Problem(NoteProblem.FOR_DISAGREEMENT, Status.ACHIEVED, Status.HARD)
    ]


def test_a_hard_status_disagreeing_with_the_numbers_is_named_once_for_itself():
    (problem,) = assessment_problems(status=Status.HARD, note="", suggested=Status.ACHIEVED)
    assert problem.code == NoteProblem.FOR_STATUS


@pytest.mark.parametrize(
    ("status", "suggested"),
    [
        (Status.ACHIEVED, Status.ACHIEVED),
        (Status.ACHIEVED, ""),
        (Status.ACHIEVED, None),
        (Status.NOT_ASSESSED, Status.HARD),
        ("", Status.HARD),
    ],
)
def test_nothing_is_missing_when_the_judgement_is_unset_or_agrees(status, suggested):
    assert assessment_problems(status=status, note="", suggested=suggested) == []


def test_the_messages_name_the_row_status_and_suggestion():
    label = "Chỉ tiêu 3"
    assert Problem(NoteProblem.FOR_STATUS, Status.HARD).message(label) == (
        "Chỉ tiêu 3: đánh giá “Khó đạt” cần ghi chú nêu lý do."
    )
    assert Problem(NoteProblem.FOR_DISAGREEMENT, Status.ACHIEVED, Status.NOT_ACHIEVED).message(label) == (
        "Chỉ tiêu 3: số liệu gợi ý “Không đạt” nhưng đánh giá là “Đạt và vượt”; "
        "hãy ghi chú giải thích vì sao."
    )


def test_the_severity_table_decides_every_problem_at_every_moment():
    assert set(SEVERITY) == {(code, moment) for code in NoteProblem for moment in Moment}


def test_changing_an_assessment_without_its_reason_is_refused_and_sending_is_blocked():
    """The decision (form and import alike: the same person doing the same thing)."""
    for code in NoteProblem:
        assert SEVERITY[(code, Moment.ASSESS)] == Severity.ERROR
        assert SEVERITY[(code, Moment.SET_UP)] == Severity.WARNING
        assert SEVERITY[(code, Moment.SEND)] == Severity.BLOCKER
    assert Problem(NoteProblem.FOR_STATUS, Status.HARD).severity(Moment.SET_UP) == Severity.WARNING


@given(
    status=st.sampled_from(["", *STATUSES]),
    note=st.text(max_size=5),
    suggested=st.sampled_from([None, "", Status.ACHIEVED, Status.HARD, Status.NOT_ACHIEVED]),
)
def test_the_rule_as_a_table(status, note, suggested):
    problems = assessment_problems(status=status, note=note, suggested=suggested)
    assert len(problems) <= 1  # one note answers every reason
    judged = status not in ("", Status.NOT_ASSESSED) and not note.strip()
    if not judged:
        assert problems == []
    elif status in NEEDS_NOTE:
        assert problems == [Problem(NoteProblem.FOR_STATUS, Status(status))]
    elif suggested and suggested != status:
        assert problems == [Problem(NoteProblem.FOR_DISAGREEMENT, Status(status), Status(suggested))]
    else:
        assert problems == []
