"""Committees and the tree: create one or many (with their CommitteeChange rows), rename, re-level
or move one (its subtree's paths follow), and a name as stored.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PATH_STEP, Committee, CommitteeChange, ContentAction, Term
from ..signals import committees_placed
from ..units import kind_from_name
from ..values import without_bidi_controls

if TYPE_CHECKING:
    from django.contrib.auth.models import User
from ._insert import _insert_rows
from ._validation import _validated


def _child_path(parent: Committee | None, pk: int) -> str:
    return (parent.path if parent else "") + str(pk).zfill(PATH_STEP)


def committee_create(
    *,
    term: Term,
    code: str,
    name: str,
    level: str,
    parent: Committee | None = None,
    kind: str = "",
    by: "User | None" = None,
) -> Committee:
    """A committee (committees_bulk_create of one row); its kind of unit read from its name when not given."""
    if parent is not None and parent.term_id != term.pk:
        raise ValueError("parent belongs to another term")
    row = {
        "code": code,
        "name": name,
        "level": level,
        "parent_code": parent.code if parent else "",
        "kind": kind,
    }
    return committees_bulk_create(term=term, rows=[row], by=by)[0]


def committee_name(name: str) -> str:
    """A committee's name as stored: one line, single spaces (a workbook cell may hold a line
    break, which would make every e-mail header naming the committee invalid), without
    bidirectional controls (values.without_bidi_controls)."""
    return " ".join(without_bidi_controls(name or "").split())


@transaction.atomic
def committee_update(
    *,
    committee: Committee,
    name: str,
    level: str,
    parent: Committee | None,
    by: "User | None" = None,
    kind: str = "",
) -> Committee:
    """Rename, re-level or move a committee, with its CommitteeChange row; moving rewrites the paths
    of its whole subtree. The kind of unit: as given, else read again from a new name or level."""
    name = committee_name(name)
    # Compared with the stored row, not the instance: an admin form has already set its fields.
    before = Committee.objects.select_for_update(of=("self",)).select_related("parent").get(pk=committee.pk)
    new_parent_id = parent.pk if parent else None
    if not kind:
        renamed = (before.name, before.level) != (name, level)
        kind = kind_from_name(name, level) if renamed or not before.kind else before.kind
    if (before.name, before.level, before.parent_id, before.kind) == (name, level, new_parent_id, kind):
        return committee
    if parent is not None and parent.term_id != before.term_id:
        raise ValueError("parent belongs to another term")
    committee.name, committee.level, committee.kind = name, level, kind
    committee.parent, committee.path, committee.depth = parent, before.path, before.depth
    fields = ["name", "level", "kind"]
    if new_parent_id != before.parent_id:
        if parent is not None and (parent.pk == before.pk or parent.path.startswith(before.path)):
            raise ValueError(_("Không thể chuyển một đơn vị vào dưới chính nó."))
        new_path = _child_path(parent, before.pk)
        depth_shift = (parent.depth + 1 if parent else 1) - before.depth
        subtree = list(Committee.objects.in_subtree(before))
        for node in subtree:
            node.path = new_path + node.path[len(before.path) :]
            node.depth += depth_shift
        Committee.objects.bulk_update(subtree, ["path", "depth"])
        committee.path, committee.depth = new_path, before.depth + depth_shift
        fields += ["parent", "path", "depth"]
    committee.full_clean(exclude=["path"])
    committee.save(update_fields=fields)
    CommitteeChange.objects.create(
        action=ContentAction.CHANGED,
        committee=committee,
        committee_code=committee.code,
        changed_by=by,
        changed_at=timezone.now(),
        old_name=before.name,
        new_name=name,
        old_level=before.level,
        new_level=level,
        old_parent=before.parent,
        new_parent=parent,
    )
    if (before.parent_id, before.level) != (new_parent_id, level):
        committees_placed.send(sender=Committee, created=[], moved=[committee])
    return committee


@transaction.atomic
def committees_bulk_create(
    *, term: Term, rows: list[dict[str, str]], by: "User | None" = None
) -> list[Committee]:
    """Create many committees at once (import, demo, committee_create): rows of code/name/level/
    parent_code (and kind, else read from the name), each validated as full_clean validates it (the
    codes' uniqueness in one query for the batch), with a CommitteeChange "created" row each.

    Parents must come before their children or already exist in the term."""
    codes = [r["code"] for r in rows]
    if len(set(codes)) != len(codes) or Committee.objects.filter(term=term, code__in=codes).exists():
        raise ValidationError(_("Mã đơn vị đã có trong nhiệm kỳ."), code="duplicate_committee")
    parent_codes = {r["parent_code"] for r in rows if r.get("parent_code")} - set(codes)
    existing = {c.code: c for c in Committee.objects.filter(term=term, code__in=parent_codes)}
    created: list[Committee] = []
    # Insert level by level so every parent has its primary key (and path) before its children.
    pending = list(rows)
    while pending:
        ready = [r for r in pending if not r.get("parent_code") or r["parent_code"] in existing]
        if not ready:
            raise ValueError(
                "unknown parent codes: " + ", ".join(sorted({r["parent_code"] for r in pending}))
            )
        batch = []
        for r in ready:
            name = committee_name(r["name"])
            committee = Committee(
                term=term,
                code=r["code"],
                name=name,
                level=r["level"],
                kind=r.get("kind") or kind_from_name(name, r["level"]),
                parent=existing.get(r.get("parent_code") or ""),
                path="",
            )
            _validated(committee, exclude=["term", "parent", "path"])
            batch.append(committee)
        Committee.objects.bulk_create(batch, batch_size=2000)
        if any(c.pk is None for c in batch):  # backends that don't return ids
            by_code = {
                c.code: c for c in Committee.objects.filter(term=term, code__in=[c.code for c in batch])
            }
            batch = [by_code[c.code] for c in batch]
        for c in batch:
            c.path = _child_path(c.parent, c.pk)
            c.depth = c.parent.depth + 1 if c.parent else 1
            existing[c.code] = c
        Committee.objects.bulk_update(batch, ["path", "depth"], batch_size=2000)
        created += batch
        ready_codes = {r["code"] for r in ready}
        pending = [r for r in pending if r["code"] not in ready_codes]
    committees_placed.send(sender=Committee, created=created, moved=[])
    now = timezone.now()
    _insert_rows(
        CommitteeChange,
        [
            CommitteeChange(
                action=ContentAction.CREATED,
                committee=c,
                committee_code=c.code,
                changed_by=by,
                changed_at=now,
                new_name=c.name,
                new_level=c.level,
                new_parent=c.parent,
            )
            for c in created
        ],
    )
    return created
