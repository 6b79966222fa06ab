"""Every read of the campaign: the deadline holding for a committee (`DeadlineBook`), who has sent
their review and who is late (the numbers of the "Tiến độ sơ kết" panel and the reporting JSON of
interfaces.md, in two queries whatever the size of the tree), and what waits for an approver."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from indicators.access import approving_parents
from indicators.models import PATH_STEP, Committee, Level, Stage, Term, stage_counter, subtree_upper_bound
from indicators.rows import field_value, loaded, read, select_list, split
from indicators.tally import percent
from indicators.units import office_name

from ..models import Progress, Review, ReviewAction, ReviewEvent, ReviewState, committee_started
from ..selectors import stage_query
from .models import CommitteeDeadline, Deadline

AWAITING_SHOWN = 20


def _fraction(share: Decimal | None) -> float:
    """A rate for the JSON (0.844): the page's percent (84.4, half up) over 100, so both agree."""
    return float(share / 100) if share is not None else 0.0


# ---- the deadline holding for a committee ------------------------------------------------------


@dataclass
class _Setter:
    name: str = ""
    levels: dict[str, date] = field(default_factory=dict)
    overrides: dict[int, date] = field(default_factory=dict)


@dataclass(frozen=True)
class Due:
    """A committee's deadline and the committee that set it."""

    date: date
    set_by: str  # the setter's name


BOOK_FIELDS = ("stage", "set_by__path", "set_by__name", "level", "committee_id", "due")


class DeadlineBook:
    """The deadlines set by a group of committees at every stage, answering "which deadline holds
    for C at stage S?" (each stage's deadlines are independent of the other's).

    Built from one query; answers from memory by walking the (at most a few) path prefixes of C."""

    def __init__(self, rows):
        self._stages: dict[str, dict[str, _Setter]] = {}
        for stage, path, name, level, committee_id, due in rows:
            setter = self._stages.setdefault(stage, {}).setdefault(path, _Setter(name=name))
            if committee_id is None:
                setter.levels[level] = due
            else:
                setter.overrides[committee_id] = due

    @property
    def stages(self) -> list[str]:
        """The stages at which any deadline of the book is set."""
        return [stage for stage in Stage.values if stage in self._stages]

    @classmethod
    def around(cls, committee: Committee) -> "DeadlineBook":
        """Deadlines set by the committee, by every committee above it and every one below it."""
        prefixes = [committee.path[:end] for end in range(PATH_STEP, len(committee.path) + 1, PATH_STEP)]
        subtree = Committee.objects.in_subtree(committee, include_self=False).values("path")
        rows = (
            Deadline.objects.filter(set_by__term_id=committee.term_id)
            .filter(Q(set_by__path__in=prefixes) | Q(set_by__path__in=subtree))
            .values_list(*BOOK_FIELDS)
        )
        return cls(rows)

    @classmethod
    def of_term(cls, term_id: int) -> "DeadlineBook":
        """Every deadline set in the term (a few per committee that sets any)."""
        return cls(Deadline.objects.filter(set_by__term_id=term_id).values_list(*BOOK_FIELDS))

    def due(
        self, *, committee_id: int, path: str, level: str, above: str | None = None, stage: str = Stage.MID
    ) -> Due | None:
        """The deadline holding for the committee at `stage`: the earliest any ancestor set for it.

        `above` restricts the setters to those strictly above that path (the bound a setter at
        `above` must respect)."""
        best: Due | None = None
        setters = self._stages.get(stage, {})
        stop = len(above) if above is not None else len(path)
        for end in range(PATH_STEP, stop, PATH_STEP):
            setter = setters.get(path[:end])
            if setter is None:
                continue
            due = setter.overrides.get(committee_id, setter.levels.get(level))
            if due is not None and (best is None or due < best.date):
                best = Due(date=due, set_by=setter.name)
        return best

    def level_bound(self, *, setter_path: str, level: str, stage: str = Stage.MID) -> Due | None:
        """The earliest deadline for `level` at `stage` set by any committee strictly above `setter_path`."""
        best: Due | None = None
        setters = self._stages.get(stage, {})
        for end in range(PATH_STEP, len(setter_path), PATH_STEP):
            setter = setters.get(setter_path[:end])
            if setter is None:
                continue
            due = setter.levels.get(level)
            if due is not None and (best is None or due < best.date):
                best = Due(date=due, set_by=setter.name)
        return best

    def set_here(self, path: str, stage: str = Stage.MID) -> _Setter:
        return self._stages.get(stage, {}).get(path, _Setter())


def day_end(day: date) -> datetime:
    """The first moment after `day`, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def deadlines_drift(*, term: Term) -> list[tuple[str, date | None, date | None]]:
    """Committees whose stored deadline (CommitteeDeadline) differs from the one the deadlines set
    above them give: (code, stored, holding), the code followed by " (end)" for the end stage;
    empty when all is well. The check that the write path (reviews.campaign.services) keeps the
    table true, as counters_drift is for the tally."""
    book = DeadlineBook.of_term(term.pk)
    stored = {
        (pk, stage): due
        for pk, stage, due in CommitteeDeadline.objects.filter(committee__term=term).values_list(
            "committee_id", "stage", "due"
        )
    }
    drift = []
    for pk, code, path, level in Committee.objects.filter(term=term).values_list(
        "pk", "code", "path", "level"
    ):
        for stage in Stage.values:
            due = book.due(committee_id=pk, path=path, level=level, stage=stage)
            holding = due.date if due else None
            if stored.get((pk, stage)) != holding:
                named = code if stage == Stage.MID else f"{code} ({stage})"
                drift.append((named, stored.get((pk, stage)), holding))
    return drift


def levels_below(committee: Committee) -> list[str]:
    """The levels present below the committee, top first."""
    present = set(
        Committee.objects.in_subtree(committee, include_self=False).values_list("level", flat=True).distinct()
    )
    return [level for level in Level.values if level in present]


# ---- the reporting numbers -------------------------------------------------------------------


@dataclass(frozen=True)
class ReportingRow:
    """One committee of the campaign: where its review stands against its deadline.

    `overdue` and `on_time` come from the database, computed by the same expressions that count
    them by level (`overdue_q`, `on_time_q`), so a row and its level's numbers never disagree."""

    pk: int
    code: str
    name: str
    level: str
    depth: int
    parent_id: int | None
    state: Progress
    deadline: date | None
    submitted_at: datetime | None  # the last "submit" of a sent review; None for one not sent
    overdue: bool
    on_time: bool | None  # None when not sent or without a deadline
    assessed: int
    total: int
    today: date

    @property
    def sent(self) -> bool:
        return self.state.sent

    @property
    def days_late(self) -> int:
        """Whole days past the deadline: when it was sent, or today for one not sent; 0 when on time."""
        if self.deadline is None:
            return 0
        if self.sent:
            if self.submitted_at is None:
                return 0
            return max(0, (timezone.localdate(self.submitted_at) - self.deadline).days)
        return max(0, (self.today - self.deadline).days)

    # Sort keys for the tables: unknown dates last, states in the order a review moves.
    @property
    def deadline_key(self) -> date:
        return self.deadline or date.max

    @property
    def submitted_key(self) -> datetime:
        return self.submitted_at or datetime.max.replace(tzinfo=timezone.get_current_timezone())

    @property
    def state_rank(self) -> int:
        return self.state.rank

    @property
    def level_rank(self) -> int:
        return Level.values.index(self.level)

    @property
    def assessed_share(self) -> float:
        return self.assessed / self.total if self.total else 0.0

    @property
    def state_label(self) -> str:
        return str(self.state.label)

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "state": self.state.value,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "submitted_at": (
                timezone.localtime(self.submitted_at).isoformat(timespec="seconds")
                if self.submitted_at
                else None
            ),
            "on_time": self.on_time,
            "days_late": self.days_late,
            "assessed": self.assessed,
            "total": self.total,
        }


@dataclass
class ReportingSummary:
    """Counts over a group of committees (the direct children, or one level of the subtree)."""

    expected: int = 0
    not_started: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    overdue: int = 0
    on_time: int = 0

    def count(self, state: Progress, n: int = 1) -> None:
        self.expected += n
        setattr(self, state.value, getattr(self, state.value) + n)

    def add(self, row: ReportingRow) -> None:
        self.count(row.state)
        self.overdue += row.overdue
        self.on_time += bool(row.on_time)

    @property
    def sent(self) -> int:
        return self.submitted + self.approved

    @property
    def reporting_rate(self) -> float:
        return _fraction(percent(self.sent, self.expected))

    @property
    def on_time_rate(self) -> float:
        return _fraction(percent(self.on_time, self.expected))

    @property
    def reporting_percent(self) -> Decimal | None:
        return percent(self.sent, self.expected)

    @property
    def on_time_percent(self) -> Decimal | None:
        return percent(self.on_time, self.expected)

    def by_state(self) -> list[tuple[Progress, int]]:
        """Each state with its count, in the order a review moves (the panel's columns)."""
        return [(state, getattr(self, state.value)) for state in Progress]

    def as_json(self) -> dict:
        return {
            "expected": self.expected,
            **{state.value: n for state, n in self.by_state()},
            "overdue": self.overdue,
            "reporting_rate": self.reporting_rate,
            "on_time_rate": self.on_time_rate,
        }


@dataclass
class Reporting:
    committee: Committee
    today: date
    children: list[ReportingRow]
    summary: ReportingSummary
    levels: dict[str, ReportingSummary] = field(default_factory=dict)  # whole subtree, by level
    stage: str = Stage.MID

    def progress(self) -> dict[int, Progress]:
        """Where each direct child's review stands, by id (the children table reads it)."""
        return {row.pk: row.state for row in self.children}

    @property
    def overdue_count(self) -> int:
        """Overdue committees of the whole subtree."""
        return sum(s.overdue for s in self.levels.values())

    def as_json(self) -> dict:
        c = self.committee
        return {
            "committee": {"code": c.code, "name": c.name, "level": c.level},
            "term": c.term.code,
            "stage": self.stage,
            "children": [row.as_json() for row in self.children],
            "summary": self.summary.as_json(),
            "levels": [{"level": level, **summary.as_json()} for level, summary in self.levels.items()],
        }


# ---- overdue and on time: one definition, read row by row and counted by level ------------------

SENT = Q(review__state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED])


def with_review(committees: QuerySet[Committee], stage: str = Stage.MID) -> QuerySet[Committee]:
    """Committees with `review` meaning their review at `stage` (a filtered relation: at most one
    row per committee and stage), so `review__state` and SENT read that stage's review."""
    existing = getattr(committees.query, "_filtered_relations", {}).get("review")
    if existing is not None:
        # Django relabels the condition to the alias ("review__stage"); its value names the stage.
        if existing.condition.children[0][1] != stage:
            raise ValueError("committees already read with the review of another stage")
        return committees
    return committees.alias(review=FilteredRelation("reviews", condition=Q(reviews__stage=stage)))


def with_deadline(committees: QuerySet[Committee], stage: str = Stage.MID) -> QuerySet[Committee]:
    """Committees with `deadline` meaning the deadline holding for them at `stage` (a filtered
    relation on CommitteeDeadline: at most one row per committee and stage), so `deadline__due`
    and `overdue_q` read that stage's deadline."""
    existing = getattr(committees.query, "_filtered_relations", {}).get("deadline")
    if existing is not None:
        if existing.condition.children[0][1] != stage:
            raise ValueError("committees already read with the deadline of another stage")
        return committees
    return committees.alias(
        deadline=FilteredRelation("held_deadlines", condition=Q(held_deadlines__stage=stage))
    )


def at_stage(committees: QuerySet[Committee], stage: str = Stage.MID) -> QuerySet[Committee]:
    """Committees read with their review and their deadline at `stage` (`with_review`, `with_deadline`)."""
    return with_deadline(with_review(committees, stage), stage)


def _cutoff(today: date) -> datetime:
    """The first moment of `today` in the site's time zone: a deadline ending by then has passed."""
    return timezone.make_aware(datetime.combine(today, time.min))


def sent_at() -> Case:
    """The last "submit" of a review that is sent (submitted or approved); NULL otherwise. Of
    committees read `with_review`: the subquery looks up the events of the row's own review (the
    stage's, by its id, over the events' review index) rather than finding that review again by
    committee and stage, which PostgreSQL did with a hash join per committee: 4.5 ms of a
    province's campaign numbers once its communes had sent, 1.0 ms this way. The CASE keeps the
    subquery from running for committees not sent (NULL AND (subquery) would still run it: 16 ms
    nationally)."""
    last_submit = (
        ReviewEvent.objects.filter(review=OuterRef("review__id"), action=ReviewAction.SUBMIT)
        .order_by("-at")
        .values("at")[:1]
    )
    return Case(When(SENT, then=Subquery(last_submit)), output_field=DateTimeField())


def overdue_q(today: date) -> Q:
    """Overdue on `today`: not sent, and the day of its deadline (CommitteeDeadline.due_end) is over."""
    return Q(deadline__due_end__lte=_cutoff(today)) & ~SENT


def on_time_q() -> Q:
    """Sent before the day of its deadline was over (needs the `sent_at` annotation or alias)."""
    return Q(sent_at__lt=F("deadline__due_end"))


ROW_FIELDS = (
    "pk", "code", "name", "level", "depth", "parent_id", "review__state", "review__return_reason",
    "deadline__due", "sent_at", "is_overdue", "is_on_time",
)  # fmt: skip
COUNTED = ("achieved", "hard", "not_achieved", "not_assessed", "not_assessable")


def _rows_values(queryset: QuerySet[Committee], *, today: date, stage: str = Stage.MID) -> QuerySet:
    """The committees' ROW_FIELDS and counters at `stage` (what `_reporting_rows` reads)."""
    return (
        at_stage(queryset, stage)
        .annotate(sent_at=sent_at())
        .annotate(
            is_overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()),
            is_on_time=ExpressionWrapper(on_time_q(), output_field=BooleanField()),
        )
        .values_list(*ROW_FIELDS, *(stage_counter(stage, key) for key in COUNTED))
    )


def _rows(queryset: QuerySet[Committee], *, today: date, stage: str = Stage.MID) -> list[ReportingRow]:
    return _reporting_rows(_rows_values(queryset, today=today, stage=stage), today=today)


def _reporting_rows(values: Iterable[Sequence[Any]], *, today: date) -> list[ReportingRow]:
    rows = []
    for (
        pk,
        code,
        name,
        level,
        depth,
        parent_id,
        state,
        reason,
        due,
        submitted_at,
        overdue,
        on_time,
        ach,
        hard,
        nach,
        nass,
        n_not_assessable,
    ) in values:
        assessed = ach + hard + nach + n_not_assessable  # judged: the data does not exist yet
        rows.append(
            ReportingRow(
                pk=pk,
                code=code,
                name=name,
                level=level,
                depth=depth,
                parent_id=parent_id,
                state=Progress.of(state=state, returned=bool(reason), started=assessed > 0),
                deadline=due,
                submitted_at=submitted_at,
                overdue=bool(overdue),
                on_time=None if on_time is None else bool(on_time),
                assessed=assessed,
                total=assessed + nass,
                today=today,
            )
        )
    return rows


def _levels_query(committee: Committee, *, today: date, stage: str = Stage.MID) -> QuerySet[Committee, tuple]:
    """(level, review state, returned, started, committees, overdue, on time) over the subtree
    below `committee`, grouped: each group's state is decided by the caller with `Progress.of`."""
    below = at_stage(Committee.objects.in_subtree(committee, include_self=False), stage)
    return (
        below.alias(sent_at=sent_at())
        .values(
            "level",
            "review__state",
            returned=ExpressionWrapper(Q(review__return_reason__gt=""), output_field=BooleanField()),
            started=ExpressionWrapper(committee_started(stage), output_field=BooleanField()),
        )
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=overdue_q(today)),
            on_time=Count("pk", filter=on_time_q()),
        )
        .order_by()
        .values_list("level", "review__state", "returned", "started", "n", "overdue", "on_time")
    )


# Values no real query carries, put where the real ones go to learn where the ORM puts them.
_SENTINEL = Committee(pk=-918273645, term_id=-918273646, path="8" * PATH_STEP)
_SENTINEL_DAY = date(1901, 2, 3)


def _levels_slots(committee: Committee, today: date) -> dict[str, object]:
    """The values `_levels_query` depends on, adapted as the ORM passes them to the database."""
    return {
        "pk": committee.pk,
        "term": committee.term_id,
        "low": committee.path,
        "high": subtree_upper_bound(committee.path),
        "cutoff": connection.ops.adapt_datetimefield_value(_cutoff(today)),
    }


def _slots(
    what: str, params: Sequence[object], sentinels: dict[str, object]
) -> tuple[tuple[str, object], ...]:
    """For each parameter of a query compiled on sentinel values, either the name of the value it
    takes or the constant the ORM put there."""
    slots: list[tuple[str, object]] = []
    for param in params:
        names = [name for name, value in sentinels.items() if type(value) is type(param) and value == param]
        slots.append(("value", names[0]) if names else ("constant", param))
    found = {name for kind, name in slots if kind == "value"}
    if found != set(sentinels):  # the ORM changed how it writes the query: refuse to guess
        raise RuntimeError(f"{what} query: parameters {sorted(set(sentinels) - found)} not found")
    return tuple(slots)


def _fetch(sql: str, slots: tuple[tuple[str, object], ...], values: dict[str, object]) -> list[tuple]:
    params = [values[str(x)] if kind == "value" else x for kind, x in slots]
    return read(Committee, sql, params)[1]  # where the ORM reads committees


@cache
def _levels_compiled(vendor: str, stage: str = Stage.MID) -> tuple[str, tuple[tuple[str, object], ...]]:
    """`_levels_query` compiled once per database vendor: its SQL, and for each parameter either
    the name of the value it takes or the constant the ORM put there. Building the query costs
    the ORM far more than the database spends running it (every dashboard with children runs it)."""
    sql, params = _levels_query(_SENTINEL, today=_SENTINEL_DAY, stage=stage).query.sql_with_params()
    return sql, _slots("levels", params, _levels_slots(_SENTINEL, _SENTINEL_DAY))


def _levels_grouped(committee: Committee, *, today: date, stage: str = Stage.MID) -> list[tuple]:
    """`_levels_query`'s rows, from its SQL compiled once per stage (`_levels_compiled`)."""
    sql, slots = _levels_compiled(connection.vendor, stage)
    return _fetch(sql, slots, _levels_slots(committee, today))


def _children_slots(committee: Committee, today: date) -> dict[str, object]:
    """The values the children's rows query depends on, adapted as the ORM passes them."""
    return {"parent": committee.pk, "cutoff": connection.ops.adapt_datetimefield_value(_cutoff(today))}


@cache
def _children_compiled(
    vendor: str, stage: str = Stage.MID
) -> tuple[str, tuple[tuple[str, object], ...], tuple]:
    """The direct children's reporting rows (`_rows_values`) compiled once per database vendor and
    stage, as `_levels_compiled`, with the expression of each column (whose converters turn the
    dates and times SQLite returns as text into what the ORM gives). Building the query (two
    filtered relations, the last submit twice) cost the ORM more than the rest of the campaign's
    reads: every dashboard with children and the campaign's JSON run it."""
    queryset = _rows_values(
        Committee.objects.filter(parent=_SENTINEL).order_by("code"), today=_SENTINEL_DAY, stage=stage
    )
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    expressions = tuple(column[0] for column in compiler.select[: compiler.col_count])
    return sql, _slots("children", params, _children_slots(_SENTINEL, _SENTINEL_DAY)), expressions


def _converted(rows: list[tuple], expressions: tuple) -> list[list]:
    """`rows` with each column converted as the ORM's own iteration would (SQLCompiler.apply_converters)."""
    converters = []
    for position, expression in enumerate(expressions):
        functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if functions:
            converters.append((position, functions, expression))
    converted = []
    for row in map(list, rows):
        for position, functions, expression in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(row)
    return converted


def _children_rows(committee: Committee, *, today: date, stage: str = Stage.MID) -> list[ReportingRow]:
    """The direct children's reporting rows by code, from their SQL compiled once (`_children_compiled`):
    the same rows as `_rows(Committee.objects.filter(parent=committee).order_by("code"), …)`."""
    sql, slots, expressions = _children_compiled(connection.vendor, stage)
    # Not prepared, though by the parent's key: a generic plan of its correlated subqueries (the
    # last submit of each child) ran for over a second on the national tree (make bench, pg half).
    rows = _fetch(sql, slots, _children_slots(committee, today))
    return _reporting_rows(_converted(rows, expressions), today=today)


def committee_reporting(
    *, committee: Committee, today: date | None = None, stage: str = Stage.MID
) -> Reporting:
    """The campaign below a committee at `stage`: one query for the direct children's rows, one
    GROUP BY for every level of the subtree, however large it is. The deadlines are those set for
    `stage` (each stage has its own)."""
    today = today or timezone.localdate()
    children = _children_rows(committee, today=today, stage=stage)
    summary = ReportingSummary()
    for row in children:
        summary.add(row)
    levels: dict[str, ReportingSummary] = {}
    for level, state, returned, started, n, overdue, on_time in _levels_grouped(
        committee, today=today, stage=stage
    ):
        s = levels.setdefault(level, ReportingSummary())
        s.count(Progress.of(state=state, returned=bool(returned), started=bool(started)), n)
        s.overdue += overdue
        s.on_time += on_time
    ordered = {level: levels[level] for level in Level.values if level in levels}
    return Reporting(
        committee=committee, today=today, children=children, summary=summary, levels=ordered, stage=stage
    )


def overdue_rows(
    *, committee: Committee, today: date | None = None, stage: str = Stage.MID
) -> list[ReportingRow]:
    """Every committee of the subtree overdue at `stage`, by path."""
    today = today or timezone.localdate()
    below = at_stage(Committee.objects.in_subtree(committee, include_self=False), stage)
    return _rows(below.filter(overdue_q(today)).order_by("path"), today=today, stage=stage)


def pending_rows(*, committee: Committee, today: date, stage: str = Stage.MID) -> list[ReportingRow]:
    """Committees of the subtree with a deadline at `stage` whose review of that stage is not sent:
    the reminders' input."""
    below = at_stage(Committee.objects.in_subtree(committee, include_self=False), stage).filter(
        deadline__isnull=False  # type: ignore[misc]  # the filtered relation (with_deadline)
    )
    return _rows(below.exclude(SENT).order_by("path"), today=today, stage=stage)


# ---- what waits for an approver ----------------------------------------------------------------


@dataclass(frozen=True)
class Awaiting:
    rows: list  # committees, with .submitted_at, oldest first, at most AWAITING_SHOWN
    count: int

    def __bool__(self) -> bool:
        return bool(self.count)


# Submitted reviews (one row each, a committee that sent both stages twice) of the term's committees,
# optionally only those below some parents, each with its committee, the committee's parent and
# when it was sent; and their number. Written by hand: the ORM compiling the filtered relation,
# the aggregate and the join cost about 2 ms of CPU on every staff page ("Chờ duyệt"), against
# 0.2 ms for the statement. tests/reviews/test_campaign.py holds it to the ORM's query.
_AWAITING = """
SELECT {committee}, {parent}, review.stage,
       MAX(CASE WHEN event.action = %s THEN event.at END) AS submitted_at
  FROM indicators_committee c
  JOIN reviews_review review ON review.committee_id = c.id AND review.state = %s
  LEFT JOIN reviews_reviewevent event ON event.review_id = review.id
  LEFT JOIN indicators_committee parent ON parent.id = c.parent_id
 WHERE c.term_id = %s{below}
 GROUP BY c.id, parent.id, review.id
 ORDER BY submitted_at, c.code, review.stage
 LIMIT %s
"""
_AWAITING_COUNT = """
SELECT COUNT(*)
  FROM reviews_review review
  JOIN indicators_committee c ON c.id = review.committee_id
 WHERE review.state = %s AND c.term_id = %s{below}
"""


def awaiting_approval(*, user, term: Term) -> Awaiting:
    """Submitted reviews the user may approve (a role on the committee directly above), oldest
    first, of both stages: one row per review, a committee that sent both appearing twice. Each row
    is its committee with `.awaiting_stage` and `.submitted_at`, and `.stage_query` (the query
    string of the page where that review is read)."""
    parents = approving_parents(user, term)
    if parents is not None and not parents:
        return Awaiting(rows=[], count=0)  # no role in the term: nothing to approve, no query
    below, below_params = "", []
    if parents is not None:
        below = f" AND c.parent_id IN ({', '.join(['%s'] * len(parents))})"
        below_params = sorted(parents)
    sql = _AWAITING.format(
        committee=select_list(Committee, "c"), parent=select_list(Committee, "parent"), below=below
    )
    params = [ReviewAction.SUBMIT.value, ReviewState.SUBMITTED.value, term.pk, *below_params, AWAITING_SHOWN]
    # Planned each time: its plan depends on how many reviews wait (a generic plan may not).
    using, found = read(Committee, sql, params)
    rows = []
    for row in found:
        committee_values, parent_values = split(row, Committee, Committee)
        committee = loaded(Committee, committee_values, using=using)
        if parent_values[0] is not None:  # a top committee has none (LEFT JOIN)
            committee.parent = loaded(Committee, parent_values, using=using)
        stage, submitted_at = row[-2:]
        committee.term = term  # the same term, so its code needs no query per row
        committee.awaiting_stage = stage  # type: ignore[attr-defined]
        committee.submitted_at = field_value(ReviewEvent, "at", submitted_at, using=using)  # type: ignore[attr-defined]
        committee.stage_query = stage_query(committee, stage)  # type: ignore[attr-defined]
        rows.append(committee)
    count = len(rows)
    if count >= AWAITING_SHOWN:
        counted = _AWAITING_COUNT.format(below=below)
        count = read(Committee, counted, [ReviewState.SUBMITTED.value, term.pk, *below_params])[1][0][0]
    return Awaiting(rows=rows, count=count)


@dataclass(frozen=True)
class OwnDeadline:
    """The date by which a committee must send its own review, who set it, and where it stands today."""

    due: date
    set_by: str  # the setter in the words of its office: "Huyện ủy Chợ Mới"
    today: date
    sent: bool  # sent or approved: the date is met, never shown as overdue

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return not self.sent and self.today > self.due

    @property
    def days_late(self) -> int:
        return max(0, (self.today - self.due).days)


# The deadlines set for a committee by the committees above it (committee_own_deadline).
_OWN_DEADLINES = """
SELECT setter.path, setter.name, setter.level, setter.kind, deadline.committee_id, deadline.due
  FROM reviews_deadline deadline
  JOIN indicators_committee setter ON setter.id = deadline.set_by_id
 WHERE setter.term_id = %s AND setter.path IN ({setters}) AND deadline.stage = %s
   AND (deadline.committee_id = %s OR (deadline.committee_id IS NULL AND deadline.level = %s))
 ORDER BY setter.path
"""


def committee_own_deadline(
    *, committee: Committee, review: Review, today: date | None = None
) -> OwnDeadline | None:
    """The deadline holding for the committee's own review at the review's stage (the earliest any
    committee above set for it at that stage: its override for this committee, else its date for
    the committee's level), read from the deadlines as set, so it is right the moment they change.
    One query; none at the top."""
    if committee.parent_id is None:
        return None
    prefixes = [committee.path[:end] for end in range(PATH_STEP, len(committee.path), PATH_STEP)]
    # On every page the workflow panel is on: hand-written, the ORM's building of it cost more CPU
    # than the database's answer.
    sql = _OWN_DEADLINES.format(setters=", ".join(["%s"] * len(prefixes)))
    params: list[int | str] = [
        committee.term_id,
        *prefixes,
        review.stage or Stage.MID,
        committee.pk,
        committee.level,
    ]
    _using, rows = read(Deadline, sql, params, by_key=True)
    by_setter: dict[str, tuple[date, str]] = {}
    for path, name, level, kind, override, due in rows:
        setter = office_name(name=name, level=level, kind=kind)
        # A setter's date for this very committee replaces its date for the committee's level.
        if override is not None or path not in by_setter:
            by_setter[path] = (due, setter)
    if not by_setter:
        return None
    # The earliest wins; on a tie, the committee highest up (as DeadlineBook reads it).
    due, setter = min(by_setter.values(), key=lambda pair: pair[0])
    return OwnDeadline(
        due=due,
        set_by=setter,
        today=today or timezone.localdate(),
        sent=review.pk is not None and review.state in (ReviewState.SUBMITTED, ReviewState.APPROVED),
    )
