"""Every write of the campaign: setting deadlines, and keeping the deadline that holds for each committee.

A committee's deadline is the earliest of the deadlines its ancestors set for it, each ancestor
contributing its override for that committee if it made one, else its deadline for the
committee's level. A committee may set an earlier deadline for the committees below it, never a
later one than the committees above it set: `deadlines_set` refuses that."""

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from indicators.access import Action, authorize
from indicators.models import Committee, Level, Stage
from indicators.signals import committees_placed

from .models import CommitteeDeadline, Deadline, DeadlineChange
from .selectors import DeadlineBook, day_end, levels_below


class DeadlineError(Exception):
    """A deadline that may not be set; nothing was changed. The message is for the user."""


# The years a deadline may fall in: a date like 9999-12-31 would overflow the day after it
# (day_end), and none of these reviews is due before 2000 or after 2100.
DEADLINE_YEARS = (2000, 2100)


def _refresh(book: DeadlineBook, committees: QuerySet[Committee]) -> int:
    """Make CommitteeDeadline hold, for each of `committees` and each stage, the deadline `book`
    gives it (the book must hold every deadline set above them, at every stage). Every stage in
    the same few queries. Returns how many rows changed."""
    wanted: dict[tuple[int, str], date] = {}
    stages = book.stages
    for pk, path, level in committees.values_list("pk", "path", "level"):
        for stage in stages:
            due = book.due(committee_id=pk, path=path, level=level, stage=stage)
            if due is not None:
                wanted[pk, stage] = due.date
    existing = {
        (committee_id, stage): (row_id, due)
        for row_id, committee_id, stage, due in CommitteeDeadline.objects.filter(
            committee__in=committees
        ).values_list("pk", "committee_id", "stage", "due")
    }
    gone = [row_id for key, (row_id, _due) in existing.items() if key not in wanted]
    CommitteeDeadline.objects.filter(pk__in=gone).delete()
    changed = [
        CommitteeDeadline(committee_id=pk, stage=stage, due=due, due_end=day_end(due))
        for (pk, stage), due in wanted.items()
        if existing.get((pk, stage), (None, None))[1] != due
    ]
    CommitteeDeadline.objects.bulk_create(
        changed,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["committee", "stage"],
        update_fields=["due", "due_end"],
    )
    return len(gone) + len(changed)


def committee_deadlines_refresh(*, committee: Committee, include_self: bool = False) -> int:
    """Recompute the deadline holding for every committee below `committee` (CommitteeDeadline) at
    every stage, and for the committee itself with `include_self`. Returns how many rows changed.

    Called by deadlines_set in its transaction, and for committees placed in the tree (created,
    moved, re-levelled: `committees_placed_refresh`) in theirs."""
    book = DeadlineBook.around(committee)
    return _refresh(book, Committee.objects.in_subtree(committee, include_self=include_self))


# Committees created at once (an import) are refreshed in batches of this many ids.
_PLACED_BATCH = 2000


@receiver(committees_placed)
def committees_placed_refresh(*, created: list[Committee], moved: list[Committee], **kwargs) -> int:
    """Keep CommitteeDeadline true when committees take a place in the tree (indicators.signals):
    a commune added under a district with a deadline has that deadline, and is overdue after it,
    from the moment it exists. Runs in the committee service's transaction. Returns rows changed."""
    changed = 0
    for committee in moved:
        changed += committee_deadlines_refresh(committee=committee, include_self=True)
    terms = {c.term_id for c in created}
    if not terms or not Deadline.objects.filter(set_by__term_id__in=terms).exists():
        return changed  # nothing set in the term yet (an import before the campaign): no query more
    # Everything below a new committee is new too: the created ids are closed under "below".
    if len(created) == 1:  # one committee (the admin, committee_create): the deadlines above it only
        return changed + committee_deadlines_refresh(committee=created[0], include_self=True)
    for term_id in terms:
        book = DeadlineBook.of_term(term_id)
        ids = [c.pk for c in created if c.term_id == term_id]
        for start in range(0, len(ids), _PLACED_BATCH):
            changed += _refresh(book, Committee.objects.filter(pk__in=ids[start : start + _PLACED_BATCH]))
    return changed


def _day(d: date) -> str:
    return date_format(d, "SHORT_DATE_FORMAT")


@transaction.atomic
def deadlines_set(
    *,
    committee: Committee,
    levels: Mapping[str, date | None],
    only: Mapping[str, date | None] | None = None,
    by,
    stage: str = Stage.MID,
) -> list[DeadlineChange]:
    """Set (or, with None, clear) the deadlines `committee` gives the committees below it for
    their review at `stage` (the other stage's deadlines are left as they are).

    `levels` maps a level to its deadline for the whole subtree; `only` maps the code of one
    committee below to its own deadline (an override). All or nothing: Refused (indicators.access)
    for a user without a role on `committee`; DeadlineError names the first other problem (unknown
    level or code, a deadline later than one set above)."""
    authorize(
        by,
        committee,
        Action.SET_DEADLINES,
        message=_("Bạn không có quyền đặt hạn cho các đơn vị dưới %(name)s.") % {"name": committee.name},
    )
    only = only or {}
    if stage not in Stage.values:
        raise DeadlineError(_("Không có giai đoạn “%(stage)s”.") % {"stage": stage})
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
        bound = book.level_bound(setter_path=committee.path, level=level, stage=stage)
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
        bound = book.due(
            committee_id=child.pk, path=child.path, level=child.level, above=committee.path, stage=stage
        )
        if due is not None and bound is not None and due > bound.date:
            raise DeadlineError(
                _("Hạn cho %(name)s (%(due)s) muộn hơn hạn %(bound)s do %(setter)s đặt.")
                % {"name": child.name, "due": _day(due), "bound": _day(bound.date), "setter": bound.set_by}
            )

    now = timezone.now()
    changes = []
    targets: list[tuple[dict[str, object], date | None]] = [
        ({"stage": stage, "level": level, "committee": None}, due) for level, due in levels.items()
    ]
    targets += [({"stage": stage, "level": "", "committee": below[code]}, due) for code, due in only.items()]
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
