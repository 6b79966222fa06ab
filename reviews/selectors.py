"""Reads of the review side: the review and its document, the workflow panel, the dashboards.

None of them writes: a committee whose review was never written gets an unsaved draft. Also what a
review still misses before it may be sent (the panel shows it, the submit step enforces it)."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.collation import vietnamese_key
from indicators.models import Assessment, Committee, Indicator, Level, Profile, Stage, Status, Term
from indicators.notes import Moment, NoteProblem, Problem, Severity, assessment_problems
from indicators.rows import loaded, read, select_list, split
from indicators.selectors import Rollup
from indicators.tally import Tally

from .models import (
    NARRATIVE_FIELDS,
    Lesson,
    Progress,
    Review,
    ReviewEvent,
    SolutionGroup,
    committee_assessed,
    document_chars,
)
from .workflow import TRANSITIONS

# "Cần chú ý": what a report must explain; "chưa thể đánh giá" too (it needs a note, like the others).
TROUBLE_STATUSES = (Status.HARD, Status.NOT_ACHIEVED, Status.NOT_ASSESSABLE)


def stage_query(committee: Committee, stage: str) -> str:
    """The query string of a committee's review page: "term=2020-2025", "&stage=end" unless mid-term
    (so every mid-term link stays exactly as it was)."""
    query = f"term={committee.term.code}"
    return query if stage == Stage.MID else f"{query}&stage={stage}"


@dataclass(frozen=True)
class ChildRow:
    """One row of the children table: the child's own tally and its review state."""

    committee: Committee
    tally: Tally
    progress: Progress

    @property
    def review_state(self) -> str:
        return self.progress.value

    @property
    def name(self) -> str:
        return self.committee.name

    @property
    def name_key(self) -> tuple[tuple[int, ...], tuple[int, ...], str]:
        """Sorting by name in Vietnamese alphabetical order ("Đại Sảo, Đồng Lạc", Đ after D, not after Z)."""
        return vietnamese_key(self.committee.name)

    @property
    def code(self) -> str:
        return self.committee.code

    @property
    def achieved(self) -> int:
        return self.tally.achieved

    @property
    def hard(self) -> int:
        return self.tally.hard

    @property
    def not_achieved(self) -> int:
        return self.tally.not_achieved

    @property
    def not_assessable(self) -> int:
        return self.tally.not_assessable

    @property
    def not_assessed(self) -> int:
        return self.tally.not_assessed

    @property
    def total(self) -> int:
        return self.tally.total

    @property
    def share(self) -> float:
        """Share achieved, 0–1; a committee without indicators sorts as 0."""
        return self.tally.share_achieved or 0.0

    @property
    def review_rank(self) -> int:
        return self.progress.rank

    @property
    def review_label(self) -> str:
        return str(self.progress.label)


def children_rows(*, rollup: Rollup, progress: dict[int, Progress] | None = None) -> list[ChildRow]:
    """The rollup's children with where their reviews stand (`progress` by committee id when the
    caller has read it already, e.g. with the campaign's numbers; else one query whatever their
    number), by the one rule (`Progress.of`)."""
    if not rollup.children:
        return []
    if progress is None:
        reviews = {
            pk: (state, bool(reason))
            for pk, state, reason in Review.objects.filter(
                committee__parent=rollup.committee, stage=rollup.stage
            ).values_list("committee_id", "state", "return_reason")
        }
        progress = {}
        for child in rollup.children:
            state, returned = reviews.get(child.committee.pk, (None, False))
            progress[child.committee.pk] = Progress.of(
                state=state, returned=returned, started=committee_assessed(child.committee, rollup.stage) > 0
            )
    return [
        ChildRow(committee=child.committee, tally=child.tally, progress=progress[child.committee.pk])
        for child in rollup.children
    ]


# On every page of a committee's review (dashboard, form, save, report): by hand (indicators.rows).
_REVIEW_COLUMNS = select_list(Review, "r")
_REVIEW = f"SELECT {_REVIEW_COLUMNS} FROM reviews_review r WHERE r.committee_id = %s AND r.stage = %s"  # noqa: S608


def review_of(*, committee: Committee, stage: str = Stage.MID) -> Review:
    """The committee's review at `stage`, or an unsaved draft standing in for one not started yet
    (GET never writes)."""
    using, rows = read(Review, _REVIEW, [committee.pk, stage], by_key=True)
    if not rows:
        return Review(committee=committee, stage=stage)
    review = loaded(Review, rows[0], using=using)
    review.committee = committee  # already loaded, with its term and parent: no second fetch
    return review


@dataclass(frozen=True)
class ReviewDocument:
    """A review with its ordered lists, as the editor and the report read it."""

    review: Review
    lessons: list[Lesson]
    solutions: list[SolutionGroup]

    @property
    def chars(self) -> int:
        """The typed text's size, as models.MAX_DOCUMENT_CHARS bounds it."""
        fields = {name: getattr(self.review, name) for name in NARRATIVE_FIELDS}
        return document_chars(fields=fields, lessons=[x.text for x in self.lessons], solutions=self.solutions)


def review_document(*, committee: Committee, stage: str = Stage.MID) -> ReviewDocument:
    """The committee's document at `stage`; an empty unsaved draft when nobody has written one yet."""
    review = review_of(committee=committee, stage=stage)
    if review.pk is None:
        return ReviewDocument(review=review, lessons=[], solutions=[])
    return ReviewDocument(
        review=review,
        lessons=list(Lesson.objects.filter(review=review).order_by("position")),
        solutions=list(SolutionGroup.objects.filter(review=review).order_by("position")),
    )


def lessons_phrase(n: int) -> str:
    """ "6 bài học kinh nghiệm": always counted from the list, never typed."""
    return ngettext("%(n)d bài học kinh nghiệm", "%(n)d bài học kinh nghiệm", n) % {"n": n}


def solutions_phrase(n: int) -> str:
    """ "5 nhóm giải pháp"."""
    return ngettext("%(n)d nhóm giải pháp", "%(n)d nhóm giải pháp", n) % {"n": n}


# The latest workflow step of a review, with its actor and the actor's profile (review_last_step).
_STEP_COLUMNS = ", ".join(
    [select_list(ReviewEvent, "step"), select_list(User, "actor"), select_list(Profile, "profile")]
)
_LAST_STEP = f"""
SELECT {_STEP_COLUMNS}
  FROM reviews_reviewevent step
  LEFT JOIN auth_user actor ON actor.id = step.actor_id
  LEFT JOIN indicators_profile profile ON profile.user_id = actor.id
 WHERE step.review_id = %s AND step.action IN ({", ".join(["%s"] * len(TRANSITIONS))})
 ORDER BY step.at DESC, step.id DESC
 LIMIT 1
"""  # noqa: S608 -- the models' own columns and one placeholder per step


def review_last_step(*, review: Review) -> ReviewEvent | None:
    """The latest workflow step (document edits are events too, but not steps); None for a new review.

    Read on every page the workflow panel is on (dashboard, assessment form, report): one
    hand-written query for the step and its actor's name and position, without the ORM's building
    of the query and of three models (a tenth of a commune dashboard's CPU). The step comes back
    as a ReviewEvent whose actor and profile are loaded, as select_related("actor__profile") would."""
    if review.pk is None:
        return None
    using, rows = read(ReviewEvent, _LAST_STEP, [review.pk, *TRANSITIONS], by_key=True)
    if not rows:
        return None
    step, of_actor, of_profile = split(rows[0], ReviewEvent, User, Profile)
    event = loaded(ReviewEvent, step, using=using)
    event.review = review
    if event.actor_id is None:
        return event
    event.actor = actor = loaded(User, of_actor, using=using)
    if of_profile[0] is None:  # the profile's id: the LEFT JOIN found none
        actor._state.fields_cache["profile"] = None  # known to have none: no query to find out
    else:
        actor.profile = loaded(Profile, of_profile, using=using)
    return event


def dashboard_indicators(*, committee: Committee, stage: str = Stage.MID) -> QuerySet[Indicator]:
    """Every indicator of the committee (Congress resolution first), with its assessment (not who
    saved it: the dashboard does not show it, and the join costs every page a user row). A QuerySet
    the dashboard's filter narrows; indicators.selectors.committee_indicator_list reads the same
    rows unfiltered."""
    return (
        Indicator.objects.of_committee(committee)
        .with_assessment(stage)
        .select_related("resolution")
        .in_resolution_order()
    )


def trouble_count(tally: Tally) -> int:
    """How many of a tally's indicators need attention ("cần chú ý"): those of TROUBLE_STATUSES,
    the statuses `trouble_indicators` lists."""
    return sum(getattr(tally, status.value) for status in TROUBLE_STATUSES)


def trouble_indicators(*, committee: Committee, stage: str = Stage.MID) -> QuerySet[Indicator]:
    """Hard, not-achieved and not-assessable indicators ("cần chú ý") of the committee and
    everything below it.

    Only Congress resolutions, like the tally, so the list's length equals the subtree's
    hard + not achieved + not assessable counts shown on the dashboard. Driven by one indexed range on
    Committee.path."""
    statuses = [s.value for s in TROUBLE_STATUSES]
    indicators = Indicator.objects.in_subtree(committee).in_tally().at_stage(stage)
    if connection.vendor == "sqlite":
        # Filtering on Lower(status) keeps SQLite's planner off the status index (which would
        # visit every hard assessment in the country, 120 ms) and on the path range (3 ms).
        indicators = indicators.alias(trouble_status=Lower("assessment__status")).filter(
            trouble_status__in=statuses
        )
    else:
        # PostgreSQL estimates the plain filter from its statistics: it walks the subtree in path
        # order and stops at the page shown (1 ms for a province). On Lower(status) it guessed 29
        # rows of 1,215 and read and sorted all of them (23 ms, issue 29).
        indicators = indicators.filter(assessment__status__in=statuses)  # type: ignore[misc]  # the filtered relation (at_stage)
    return (
        indicators.with_assessment(stage)
        .select_related("resolution__committee")
        .order_by("resolution__committee__path", "sort_key")
    )


def explain_indicators(*, committee: Committee, stage: str = Stage.MID) -> QuerySet[Indicator]:
    """Indicators of the committee and everything below it whose status disagrees with what
    their numbers suggest, explained or not (the filter tells them apart), any resolution, in
    tree order."""
    return (
        Indicator.objects.in_subtree(committee)
        .needing_explanation(stage)
        .with_assessment(stage)
        .select_related("resolution__committee")
        .order_by("resolution__committee__path", "resolution__kind", "resolution__number", "sort_key")
    )


@dataclass(frozen=True)
class ExplainCount:
    """The committee's own disagreements: still to explain ("cần giải trình") and explained."""

    unexplained: int
    explained: int


def explain_count(
    *, committee: Committee, indicators: list[Indicator] | None = None, stage: str = Stage.MID
) -> ExplainCount:
    """Counted on `indicators` when the caller has loaded every one of the committee's own
    indicators with its assessment, else one small query."""
    if indicators is not None:
        assessments = [a for a in (getattr(i, "assessment", None) for i in indicators) if a is not None]
        return ExplainCount(
            unexplained=sum(1 for a in assessments if a.disagrees and not a.explained),
            explained=sum(1 for a in assessments if a.explained),
        )
    counts = (
        Indicator.objects.of_committee(committee)
        .needing_explanation(stage)
        .aggregate(all=Count("pk"), unexplained=Count("pk", filter=Q(assessment__note="")))
    )
    return ExplainCount(unexplained=counts["unexplained"], explained=counts["all"] - counts["unexplained"])


def ancestors(*, committee: Committee) -> list[Committee]:
    """The committees above, top first, sharing the committee's loaded term (the access rule reads it)."""
    # The parents loaded with the committee (committee_by_codes: two levels up) need no query: the
    # breadcrumb of a district or a commune, the most read pages.
    loaded_above: list[Committee] = []
    node = committee
    while node.parent_id is not None and Committee.parent.is_cached(node):
        parent = node.parent
        if parent is None:  # (a parent_id always names one: the foreign key)
            break
        node = parent
        loaded_above.append(node)
    if node.parent_id is None:
        for row in loaded_above:
            row.term = committee.term  # the same term, already loaded (the access rule reads it)
        return loaded_above[::-1]
    rows = list(Committee.objects.ancestors_of(committee).only("code", "name", "path", "depth", "term_id"))
    for row in rows:
        row.term = committee.term
    return rows


def districts_below(*, committee: Committee) -> list[Committee]:
    """The district-level committees below a province, in Vietnamese alphabetical order (the
    trouble list's filter and column). One query; none (and no query) below a province."""
    if committee.level != Level.PROVINCE:
        return []
    rows = (
        Committee.objects.in_subtree(committee)
        .filter(level=Level.DISTRICT)
        .only("code", "name", "path", "term_id")
    )
    return sorted(rows, key=lambda c: vietnamese_key(c.name))


# On every dashboard (the term switcher): by hand (indicators.rows).
_TERM_LINKS_COLUMNS = select_list(Term, "t")
_TERM_LINKS = (
    f"SELECT {_TERM_LINKS_COLUMNS} FROM indicators_term t"  # noqa: S608 -- the model's own columns
    " JOIN indicators_committee c ON c.term_id = t.id WHERE c.code = %s ORDER BY t.start_year DESC"
)


def term_links(*, committee: Committee) -> list[Term]:
    """Terms holding a committee with the same code: the term switcher's entries, newest first."""
    using, rows = read(Term, _TERM_LINKS, [committee.code], by_key=True)
    return [loaded(Term, row, using=using) for row in rows]


# ---- what a review still misses before it may be sent ----------------------------------------

# Heading fields a report cannot be filed without (the editor's field names).
REQUIRED_DOCUMENT_FIELDS = ("document_number", "document_date", "signer_name")
# The narrative a report needs (issue 25): each is a section of the printed report, which an empty
# one leaves as a bare heading. With at least one lesson and one solution group (any area).
REQUIRED_NARRATIVE_FIELDS = ("overall", "shortcomings", "causes_objective", "causes_subjective", "tasks")
# Every editor field a report cannot be sent without: the editor marks them ("lessons" and the
# solution fields stand for their lists).
REQUIRED_TO_SEND = (*REQUIRED_DOCUMENT_FIELDS, *REQUIRED_NARRATIVE_FIELDS, "lessons")
# At most this many indicators are named one by one; the rest are counted.
CHECKLIST_NAMED = 5
# The checklist's code of each missing note (indicators.notes.NoteProblem).
_NO_NOTE_CODES = {NoteProblem.FOR_STATUS: "no_note", NoteProblem.FOR_DISAGREEMENT: "no_note_disagreement"}


def _no_note_message(problem: Problem, *, number: str, resolution: str) -> str:
    where = {"number": number, "resolution": resolution, "status": problem.status.label}
    if problem.code == NoteProblem.FOR_STATUS:
        return (
            _("chỉ tiêu %(number)s (Nghị quyết %(resolution)s) đánh giá “%(status)s” chưa có ghi chú lý do")
            % where
        )
    return _(
        "chỉ tiêu %(number)s (Nghị quyết %(resolution)s) đánh giá “%(status)s”, khác gợi ý “%(suggested)s” "
        "của số liệu, chưa có ghi chú lý do"
    ) % {**where, "suggested": problem.suggested.label if problem.suggested else ""}


@dataclass(frozen=True)
class Missing:
    """One thing a review misses before it may be sent, and where it is put right.

    `where` is "assess" (the assessment page, at `anchor`) or "review" (the report editor)."""

    code: str
    message: str
    where: str
    anchor: str

    def url(self, committee: Committee, stage: str = Stage.MID) -> str:
        name = "assess" if self.where == "assess" else "review_edit"
        return f"{reverse(name, args=[committee.code])}?{stage_query(committee, stage)}#{self.anchor}"


def review_checklist(
    *, committee: Committee, review: Review, indicators: list[Indicator] | None = None
) -> list[Missing]:
    """What keeps the review from being sent; empty when it may go. One query, whatever the size.

    Every indicator assessed (thematic ones too: the report lists them), the note every judgement
    needs at sending (indicators.notes: hard, not achieved or not assessable, or a status the
    numbers do not support), and the heading fields a filed report needs.

    `indicators`: the committee's indicators with their assessments at the review's stage, as the
    assessment page has just read them (indicators.selectors.committee_indicators, in the order
    below): judged from those rows, not read again."""
    missing: list[Missing] = []
    # The committee's own rows (a few dozen), judged here by the one rule of indicators.notes.
    # A part is never judged on its own (the committee judges its group): nothing to wait for.
    found = (
        [
            (
                i.pk,
                i.assessment.status,
                i.assessment.note,
                i.assessment.suggested_status,
                i.number,
                i.resolution.number,
            )
            for i in indicators
            if i.group_id is None
        ]
        if indicators
        else _checklist_rows(committee=committee, stage=review.stage)
    )
    if not found:
        return [Missing("no_indicators", _("đơn vị chưa có chỉ tiêu nào"), "assess", "main")]
    not_assessed = [row for row in found if row[1] == Status.NOT_ASSESSED]
    if not_assessed:
        missing.append(
            Missing(
                "not_assessed",
                ngettext(
                    "còn %(n)d chỉ tiêu chưa đánh giá", "còn %(n)d chỉ tiêu chưa đánh giá", len(not_assessed)
                )
                % {"n": len(not_assessed)},
                "assess",
                f"row-{not_assessed[0][0]}",
            )
        )
    no_note = [
        (indicator_id, problem, number, resolution)
        for indicator_id, status, note, suggested, number, resolution in found
        for problem in assessment_problems(status=status, note=note, suggested=suggested)
        if problem.severity(Moment.SEND) == Severity.BLOCKER
    ]
    for indicator_id, problem, number, resolution in no_note[:CHECKLIST_NAMED]:
        missing.append(
            Missing(
                _NO_NOTE_CODES[problem.code],
                _no_note_message(problem, number=number, resolution=resolution),
                "assess",
                f"row-{indicator_id}",
            )
        )
    if len(no_note) > CHECKLIST_NAMED:
        rest = len(no_note) - CHECKLIST_NAMED
        missing.append(
            Missing(
                "no_note",
                ngettext(
                    "và %(n)d chỉ tiêu khác chưa có ghi chú lý do",
                    "và %(n)d chỉ tiêu khác chưa có ghi chú lý do",
                    rest,
                )
                % {"n": rest},
                "assess",
                f"row-{no_note[CHECKLIST_NAMED][0]}",
            )
        )
    for name in REQUIRED_DOCUMENT_FIELDS:
        if not getattr(review, name):
            label = getattr(Review._meta.get_field(name), "verbose_name", name)
            missing.append(
                Missing(
                    name,
                    _("chưa có %(field)s") % {"field": label},
                    "review",
                    f"id_{name}",
                )
            )
    missing += _narrative_missing(review)
    return missing


def _checklist_rows(*, committee: Committee, stage: str) -> list[tuple[int, str, str, str, str, str]]:
    return list(
        Assessment.objects.filter(
            indicator__resolution__committee=committee, indicator__group__isnull=True, stage=stage
        )
        .order_by("indicator__resolution__kind", "indicator__resolution__number", "indicator__sort_key")
        .values_list(
            "indicator_id",
            "status",
            "note",
            "suggested_status",
            "indicator__number",
            "indicator__resolution__number",
        )
    )


# Whether the review has a lesson and a solution group, by hand: the form, the save refused, the
# sending page and the sending itself each ask, and the ORM compiling the two subqueries cost
# about 1 ms of CPU each time against 0.05 ms for the statement.
_HAS_ONE = "EXISTS (SELECT 1 FROM {table} WHERE {column} = %s)"
_HAS_LESSONS_AND_SOLUTIONS = "SELECT " + ", ".join(  # noqa: S608 - the models' own names; the id a parameter
    _HAS_ONE.format(table=model._meta.db_table, column=model._meta.get_field("review").column)
    for model in (Lesson, SolutionGroup)
)


def _narrative_missing(review: Review) -> list[Missing]:
    """The report's own text: every section written, at least one lesson and one solution group.
    One query for the two lists (none for a review never saved)."""
    missing = []
    for name in REQUIRED_NARRATIVE_FIELDS:
        if not (getattr(review, name) or "").strip():
            label = getattr(Review._meta.get_field(name), "verbose_name", name)
            missing.append(
                Missing(name, _("phần “%(field)s” còn trống") % {"field": label}, "review", f"id_{name}")
            )
    has_lessons = has_solutions = False
    if review.pk is not None:
        _using, found = read(Review, _HAS_LESSONS_AND_SOLUTIONS, [review.pk, review.pk], by_key=True)
        has_lessons, has_solutions = (bool(has) for has in found[0])
    if not has_lessons:
        missing.append(Missing("lessons", _("chưa có bài học kinh nghiệm nào"), "review", "id_lessons"))
    if not has_solutions:
        missing.append(Missing("solutions", _("chưa có nhóm giải pháp nào"), "review", "solutions"))
    return missing
