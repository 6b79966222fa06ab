"""Who has sent their review and who is late: the numbers of the "Tiến độ sơ kết" panel and the
reporting JSON (interfaces.md), in two queries whatever the size of the tree."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import Committee, Level

from ..models import ReviewAction, ReviewEvent, ReviewState


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


def _campaign(queryset, *, today: date):
    """Committees with where their review stands: state, the last submission, and whether it was
    on time or is overdue (against CommitteeDeadline, kept by reviews.campaign.deadlines)."""
    cutoff = timezone.make_aware(datetime.combine(today, time.min))
    last_submit = (
        ReviewEvent.objects.filter(review__committee=OuterRef("pk"), action=ReviewAction.SUBMIT)
        .order_by("-at")
        .values("at")[:1]
    )
    return queryset.annotate(
        state=Case(
            When(review__isnull=True, then=Value(ReportingState.NOT_STARTED)),
            When(
                Q(review__state=ReviewState.DRAFT) & ~Q(review__return_reason=""),
                then=Value(ReportingState.RETURNED),
            ),
            default="review__state",
        ),
        submitted_at=Case(When(SENT, then=Subquery(last_submit)), default=None),
        is_on_time=Case(
            When(SENT & Q(submitted_at__lt=F("deadline__due_end")), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        is_overdue=Case(
            When(~SENT & Q(deadline__due_end__lte=cutoff), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


ROW_FIELDS = (
    "pk", "code", "name", "level", "depth", "parent_id", "state", "deadline__due", "submitted_at",
    "n_achieved", "n_hard", "n_not_achieved", "n_not_assessed",
)  # fmt: skip


def _rows(queryset, *, today: date) -> list[ReportingRow]:
    rows = []
    for pk, code, name, level, depth, parent_id, state, due, submitted_at, ach, hard, nach, nass in _campaign(
        queryset, today=today
    ).values_list(*ROW_FIELDS):
        total = ach + hard + nach + nass
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
                submitted_at=submitted_at,
                assessed=total - nass,
                total=total,
                today=today,
            )
        )
    return rows


def committee_reporting(*, committee: Committee, today: date | None = None) -> Reporting:
    """The campaign below a committee: one query for the direct children's rows, one GROUP BY for
    every level of the subtree, however large it is."""
    today = today or timezone.localdate()
    children = _rows(Committee.objects.filter(parent=committee).order_by("code"), today=today)
    summary = ReportingSummary()
    for row in children:
        summary.add(row)
    levels: dict[str, ReportingSummary] = {}
    grouped = (
        _campaign(Committee.objects.in_subtree(committee, include_self=False), today=today)
        .order_by()
        .values("level", "state")
        .annotate(n=Count("pk"), overdue=Sum("is_overdue"), on_time=Sum("is_on_time"))
    )
    for group in grouped:
        s = levels.setdefault(group["level"], ReportingSummary())
        s.expected += group["n"]
        setattr(s, group["state"], getattr(s, group["state"]) + group["n"])
        s.overdue += group["overdue"] or 0
        s.on_time += group["on_time"] or 0
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
