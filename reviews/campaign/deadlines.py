"""Deadlines: who set what for whom, the deadline that holds for a committee, and setting them.

A committee's deadline is the earliest of the deadlines its ancestors set for it, each ancestor
contributing its override for that committee if it made one, else its deadline for the
committee's level. A committee may set an earlier deadline for the committees below it, never a
later one than the committees above it set: `deadlines_set` refuses that."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from indicators.access import Action, can
from indicators.models import PATH_STEP, Committee, Level

from .models import CommitteeDeadline, Deadline, DeadlineChange


class DeadlineError(Exception):
    """A deadline that may not be set; nothing was changed. The message is for the user."""


# The years a deadline may fall in: a date like 9999-12-31 would overflow the day after it
# (day_end), and none of these reviews is due before 2000 or after 2100.
DEADLINE_YEARS = (2000, 2100)


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


class DeadlineBook:
    """The deadlines set by a group of committees, answering "which deadline holds for C?"

    Built from one query; answers from memory by walking the (at most a few) path prefixes of C."""

    def __init__(self, rows):
        self._setters: dict[str, _Setter] = {}
        for path, name, level, committee_id, due in rows:
            setter = self._setters.setdefault(path, _Setter(name=name))
            if committee_id is None:
                setter.levels[level] = due
            else:
                setter.overrides[committee_id] = due

    @classmethod
    def around(cls, committee: Committee) -> "DeadlineBook":
        """Deadlines set by the committee, by every committee above it and every one below it."""
        prefixes = [committee.path[:end] for end in range(PATH_STEP, len(committee.path) + 1, PATH_STEP)]
        subtree = Committee.objects.in_subtree(committee, include_self=False).values("path")
        rows = (
            Deadline.objects.filter(set_by__term_id=committee.term_id)
            .filter(Q(set_by__path__in=prefixes) | Q(set_by__path__in=subtree))
            .values_list("set_by__path", "set_by__name", "level", "committee_id", "due")
        )
        return cls(rows)

    def due(self, *, committee_id: int, path: str, level: str, above: str | None = None) -> Due | None:
        """The deadline holding for the committee: the earliest any ancestor set for it.

        `above` restricts the setters to those strictly above that path (the bound a setter at
        `above` must respect)."""
        best: Due | None = None
        stop = len(above) if above is not None else len(path)
        for end in range(PATH_STEP, stop, PATH_STEP):
            setter = self._setters.get(path[:end])
            if setter is None:
                continue
            due = setter.overrides.get(committee_id, setter.levels.get(level))
            if due is not None and (best is None or due < best.date):
                best = Due(date=due, set_by=setter.name)
        return best

    def level_bound(self, *, setter_path: str, level: str) -> Due | None:
        """The earliest deadline for `level` set by any committee strictly above `setter_path`."""
        best: Due | None = None
        for end in range(PATH_STEP, len(setter_path), PATH_STEP):
            setter = self._setters.get(setter_path[:end])
            if setter is None:
                continue
            due = setter.levels.get(level)
            if due is not None and (best is None or due < best.date):
                best = Due(date=due, set_by=setter.name)
        return best

    def set_here(self, path: str) -> _Setter:
        return self._setters.get(path, _Setter())


def day_end(day: date) -> datetime:
    """The first moment after `day`, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def committee_deadlines_refresh(*, committee: Committee) -> int:
    """Recompute the deadline holding for every committee below `committee` (CommitteeDeadline).

    Called by deadlines_set in its transaction, and by send_reminders for whole terms (which also
    catches committees added or moved since). Returns how many rows changed."""
    book = DeadlineBook.around(committee)
    below = Committee.objects.in_subtree(committee, include_self=False)
    wanted: dict[int, date] = {}
    for pk, path, level in below.values_list("pk", "path", "level"):
        due = book.due(committee_id=pk, path=path, level=level)
        if due is not None:
            wanted[pk] = due.date
    existing = dict(CommitteeDeadline.objects.filter(committee__in=below).values_list("committee_id", "due"))
    gone = [pk for pk in existing if pk not in wanted]
    CommitteeDeadline.objects.filter(committee_id__in=gone).delete()
    changed = [
        CommitteeDeadline(committee_id=pk, due=due, due_end=day_end(due))
        for pk, due in wanted.items()
        if existing.get(pk) != due
    ]
    CommitteeDeadline.objects.bulk_create(
        changed,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["committee"],
        update_fields=["due", "due_end"],
    )
    return len(gone) + len(changed)


def _day(d: date) -> str:
    return date_format(d, "SHORT_DATE_FORMAT")


def levels_below(committee: Committee) -> list[str]:
    """The levels present below the committee, top first."""
    present = set(
        Committee.objects.in_subtree(committee, include_self=False).values_list("level", flat=True).distinct()
    )
    return [level for level in Level.values if level in present]


@transaction.atomic
def deadlines_set(
    *,
    committee: Committee,
    levels: Mapping[str, date | None],
    only: Mapping[str, date | None] | None = None,
    by,
) -> list[DeadlineChange]:
    """Set (or, with None, clear) the deadlines `committee` gives the committees below it.

    `levels` maps a level to its deadline for the whole subtree; `only` maps the code of one
    committee below to its own deadline (an override). All or nothing: DeadlineError names the
    first problem (unknown level or code, a deadline later than one set above)."""
    if by is not None and not can(by, committee, Action.SET_DEADLINES):
        raise DeadlineError(
            _("Bạn không có quyền đặt hạn cho các đơn vị dưới %(name)s.") % {"name": committee.name}
        )
    only = only or {}
    present = levels_below(committee)
    for level in levels:
        if level not in Level.values:
            raise DeadlineError(_("Không có cấp “%(level)s”.") % {"level": level})
        if level not in present:
            raise DeadlineError(
                _("Dưới %(name)s không có đơn vị nào cấp %(level)s.")
                % {"name": committee.name, "level": Level(level).label}
            )
    below = {
        c.code: c
        for c in Committee.objects.in_subtree(committee, include_self=False).filter(code__in=list(only))
    }
    for code in only:
        if code not in below:
            raise DeadlineError(
                _("Không có đơn vị mã %(code)s dưới %(name)s.") % {"code": code, "name": committee.name}
            )

    first, last = DEADLINE_YEARS
    for due in [*levels.values(), *only.values()]:
        if due is not None and not first <= due.year <= last:
            raise DeadlineError(
                _("Hạn %(due)s không hợp lệ: hãy chọn một ngày trong các năm %(first)d–%(last)d.")
                % {"due": _day(due), "first": first, "last": last}
            )

    book = DeadlineBook.around(committee)
    for level, due in levels.items():
        bound = book.level_bound(setter_path=committee.path, level=level)
        if due is not None and bound is not None and due > bound.date:
            raise DeadlineError(
                _("Hạn cho cấp %(level)s (%(due)s) muộn hơn hạn %(bound)s do %(setter)s đặt.")
                % {
                    "level": Level(level).label,
                    "due": _day(due),
                    "bound": _day(bound.date),
                    "setter": bound.set_by,
                }
            )
    for code, due in only.items():
        child = below[code]
        bound = book.due(committee_id=child.pk, path=child.path, level=child.level, above=committee.path)
        if due is not None and bound is not None and due > bound.date:
            raise DeadlineError(
                _("Hạn cho %(name)s (%(due)s) muộn hơn hạn %(bound)s do %(setter)s đặt.")
                % {"name": child.name, "due": _day(due), "bound": _day(bound.date), "setter": bound.set_by}
            )

    now = timezone.now()
    changes = []
    targets: list[tuple[dict[str, object], date | None]] = [
        ({"level": level, "committee": None}, due) for level, due in levels.items()
    ]
    targets += [({"level": "", "committee": below[code]}, due) for code, due in only.items()]
    for where, due in targets:
        row = Deadline.objects.select_for_update().filter(set_by=committee, **where).order_by("pk").first()
        old = row.due if row else None
        if old == due:
            continue
        if due is None:
            if row is not None:
                row.delete()
        elif row is None:
            Deadline.objects.create(set_by=committee, due=due, updated_by=by, updated_at=now, **where)
        else:
            row.due, row.updated_by, row.updated_at = due, by, now
            row.save(update_fields=["due", "updated_by", "updated_at"])
        changes.append(
            DeadlineChange.objects.create(
                set_by=committee, old_due=old, new_due=due, changed_by=by, changed_at=now, **where
            )
        )
    if changes:
        committee_deadlines_refresh(committee=committee)
    return changes
