"""Who has sent their review and who is late: the numbers of the "Tiến độ sơ kết" panel and the
reporting JSON (interfaces.md), in two queries whatever the size of the tree."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import Committee, Level, subtree_upper_bound

from ..models import Review, ReviewAction, ReviewEvent, ReviewState
from .models import CommitteeDeadline


class ReportingState:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"

    ALL = (NOT_STARTED, DRAFT, SUBMITTED, RETURNED, APPROVED)
    SENT = (SUBMITTED, APPROVED)
    LABELS = {
        NOT_STARTED: _("Chưa bắt đầu"),
        DRAFT: _("Đang soạn"),
        SUBMITTED: _("Đã gửi, chờ duyệt"),
        RETURNED: _("Bị trả lại"),
        APPROVED: _("Đã phê duyệt"),
    }


@dataclass(frozen=True)
class ReportingRow:
    """One committee of the campaign: where its review stands against its deadline."""

    pk: int
    code: str
    name: str
    level: str
    depth: int
    parent_id: int | None
    state: str
    deadline: date | None
    submitted_at: datetime | None
    assessed: int
    total: int
    today: date

    @property
    def sent(self) -> bool:
        return self.state in ReportingState.SENT

    @property
    def on_time(self) -> bool | None:
        if not self.sent or self.deadline is None or self.submitted_at is None:
            return None
        return timezone.localdate(self.submitted_at) <= self.deadline

    @property
    def overdue(self) -> bool:
        return not self.sent and self.deadline is not None and self.deadline < self.today

    @property
    def days_late(self) -> int:
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
        return ReportingState.ALL.index(self.state)

    @property
    def level_rank(self) -> int:
        return Level.values.index(self.level)

    @property
    def assessed_share(self) -> float:
        return self.assessed / self.total if self.total else 0.0

    @property
    def state_label(self) -> str:
        return str(ReportingState.LABELS[self.state])

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "state": self.state,
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

    def add(self, row: ReportingRow) -> None:
        self.expected += 1
        setattr(self, row.state, getattr(self, row.state) + 1)
        self.overdue += row.overdue
        self.on_time += bool(row.on_time)

    @property
    def sent(self) -> int:
        return self.submitted + self.approved

    @property
    def reporting_rate(self) -> float:
        return round(self.sent / self.expected, 3) if self.expected else 0.0

    @property
    def on_time_rate(self) -> float:
        return round(self.on_time / self.expected, 3) if self.expected else 0.0

    def as_json(self) -> dict:
        return {
            "expected": self.expected,
            **{state: getattr(self, state) for state in ReportingState.ALL},
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

    def review_states(self) -> dict[int, str]:
        """Each direct child's review state as stored (a returned review is a draft), by id; a
        child with no review is left out, as it has no state."""
        return {
            row.pk: ReviewState.DRAFT if row.state == ReportingState.RETURNED else row.state
            for row in self.children
            if row.state != ReportingState.NOT_STARTED
        }

    @property
    def overdue_count(self) -> int:
        """Overdue committees of the whole subtree."""
        return sum(s.overdue for s in self.levels.values())

    def as_json(self) -> dict:
        c = self.committee
        return {
            "committee": {"code": c.code, "name": c.name, "level": c.level},
            "term": c.term.code,
            "children": [row.as_json() for row in self.children],
            "summary": self.summary.as_json(),
            "levels": [{"level": level, **summary.as_json()} for level, summary in self.levels.items()],
        }


SENT = Q(review__state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED])


def _cutoff(today: date) -> datetime:
    """The first moment of `today` in the site's time zone: a deadline ending by then has passed."""
    return timezone.make_aware(datetime.combine(today, time.min))


def _last_submit():
    return (
        ReviewEvent.objects.filter(review__committee=OuterRef("pk"), action=ReviewAction.SUBMIT)
        .order_by("-at")
        .values("at")[:1]
    )


def _state(review_state: str | None, returned: bool) -> str:
    """Where a committee's review stands, from its review's state and whether it was returned.

    Computed here, not in SQL: plain columns cost the ORM a fraction of the Case expressions'
    compile time (about 1.5 ms a query, ten times what the query itself takes on a province)."""
    if review_state is None:
        return ReportingState.NOT_STARTED
    if review_state == ReviewState.DRAFT and returned:
        return ReportingState.RETURNED
    return review_state


ROW_FIELDS = (
    "pk", "code", "name", "level", "depth", "parent_id", "review__state", "review__return_reason",
    "deadline__due", "last_submit", "n_achieved", "n_hard", "n_not_achieved", "n_not_assessed",
    "n_not_assessable",
)  # fmt: skip


def _rows(queryset, *, today: date) -> list[ReportingRow]:
    rows = []
    values = queryset.annotate(last_submit=Subquery(_last_submit())).values_list(*ROW_FIELDS)
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
        last,
        ach,
        hard,
        nach,
        nass,
        n_not_assessable,  # judged: the data does not exist yet
    ) in values:
        total = ach + hard + nach + nass + n_not_assessable
        state = _state(state, bool(reason))
        rows.append(
            ReportingRow(
                pk=pk,
                code=code,
                name=name,
                level=level,
                depth=depth,
                parent_id=parent_id,
                state=state,
                deadline=due,
                submitted_at=last if state in ReportingState.SENT else None,
                assessed=total - nass,
                total=total,
                today=today,
            )
        )
    return rows


def _levels_grouped(committee: Committee, *, today: date) -> list[tuple]:
    """(level, review state, returned, committees, overdue if unsent, on time if sent) over the
    subtree below `committee`, grouped: which groups are sent is decided by the caller, by row.

    Hand-written: the ORM spent 1.5 ms building this query on every dashboard, ten times what a
    province's run of it costs. The CASE around the subquery keeps it from running for committees
    whose review is not sent (NULL AND (subquery) would still run it: 16 ms nationally)."""
    sent = tuple(ReportingState.SENT)
    sql = f"""
        SELECT c.level, r.state, r.return_reason <> '' AS returned, COUNT(*),
            COUNT(CASE WHEN d.due_end <= %s THEN 1 END),
            COUNT(CASE WHEN r.state IN ({", ".join(["%s"] * len(sent))}) THEN
                CASE WHEN (SELECT MAX(e.at) FROM {ReviewEvent._meta.db_table} e
                           WHERE e.review_id = r.id AND e.action = %s) < d.due_end THEN 1 END
            END)
        FROM {Committee._meta.db_table} c
        LEFT JOIN {Review._meta.db_table} r ON r.committee_id = c.id
        LEFT JOIN {CommitteeDeadline._meta.db_table} d ON d.committee_id = c.id
        WHERE c.term_id = %s AND c.path >= %s AND c.path < %s AND c.id <> %s
        GROUP BY 1, 2, 3
    """  # noqa: S608 -- table names are ours; every value is a parameter
    params = [
        connection.ops.adapt_datetimefield_value(_cutoff(today)), *sent, ReviewAction.SUBMIT,
        committee.term_id, committee.path, subtree_upper_bound(committee.path), committee.pk,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def committee_reporting(*, committee: Committee, today: date | None = None) -> Reporting:
    """The campaign below a committee: one query for the direct children's rows, one GROUP BY for
    every level of the subtree, however large it is."""
    today = today or timezone.localdate()
    children = _rows(Committee.objects.filter(parent=committee).order_by("code"), today=today)
    summary = ReportingSummary()
    for row in children:
        summary.add(row)
    levels: dict[str, ReportingSummary] = {}
    for level, review_state, returned, n, overdue, on_time in _levels_grouped(committee, today=today):
        state = _state(review_state, bool(returned))
        s = levels.setdefault(level, ReportingSummary())
        s.expected += n
        setattr(s, state, getattr(s, state) + n)
        if state in ReportingState.SENT:
            s.on_time += on_time
        else:
            s.overdue += overdue
    ordered = {level: levels[level] for level in Level.values if level in levels}
    return Reporting(committee=committee, today=today, children=children, summary=summary, levels=ordered)


def overdue_rows(*, committee: Committee, today: date | None = None) -> list[ReportingRow]:
    """Every overdue committee of the subtree, by path."""
    today = today or timezone.localdate()
    below = Committee.objects.in_subtree(committee, include_self=False)
    return [r for r in _rows(below.filter(deadline__isnull=False).order_by("path"), today=today) if r.overdue]


def pending_rows(*, committee: Committee, today: date) -> list[ReportingRow]:
    """Committees of the subtree with a deadline whose review is not sent: the reminders' input."""
    below = Committee.objects.in_subtree(committee, include_self=False).filter(deadline__isnull=False)
    return [r for r in _rows(below.exclude(SENT).order_by("path"), today=today) if not r.sent]
