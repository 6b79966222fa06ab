"""The history rows the services write with each change (private to indicators.services): an
assessment's judgement before and after (AssessmentChange), and what a resolution or an indicator
says (ResolutionChange, IndicatorChange), each with its readable copy of what it is about.
"""

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connections, router, transaction
from django.db.models import AutoField, Model
from django.utils import timezone

from ..history import indicator_subject, resolution_subject
from ..models import (
    Assessment,
    AssessmentChange,
    ContentAction,
    Indicator,
    IndicatorChange,
    Resolution,
    ResolutionChange,
    Status,
)
from ..results import Results

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Judgement(NamedTuple):
    """What an AssessmentChange records before and after."""

    status: str
    value: str
    note: str
    results: Results
    exceeded: bool = False


_NEVER_ASSESSED = Judgement(Status.NOT_ASSESSED, "", "", Results())


def _judgement(a: Assessment) -> Judgement:
    return Judgement(a.status, a.value, a.note, Results.of(a), a.exceeded)


def _assessment_history(
    a: Assessment,
    *,
    old: Judgement,
    new: Judgement,
    by: "User | None",
    now: datetime,
    source: str,
    code: str,
) -> AssessmentChange:
    """The unsaved history row of one assessment's change (creation: from _NEVER_ASSESSED), with its
    readable copy; results before and after only when they changed."""
    results_changed = new.results != old.results
    if a.pk is None:  # what AssessmentChange(assessment=a) refuses at its save; ids are passed below
        raise ValueError("the history of an assessment not saved yet")
    # Ids rather than objects: a bulk write builds thousands, and an object costs its descriptor's checks.
    return AssessmentChange(
        assessment_id=a.pk,
        committee_id=a.indicator.resolution.committee_id,
        committee_code=code,
        subject=indicator_subject(a.indicator),
        changed_by_id=by.pk if by is not None else None,
        changed_at=now,
        source=source,
        old_status=old.status,
        new_status=new.status,
        old_exceeded=old.exceeded,
        new_exceeded=new.exceeded,
        old_value=old.value,
        new_value=new.value,
        old_note=old.note,
        new_note=new.note,
        old_results=old.results.as_json() if results_changed else None,
        new_results=new.results.as_json() if results_changed else None,
    )


def _content(obj: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    values = {name: getattr(obj, name) for name in fields}
    return {name: v.isoformat() if isinstance(v, date) else v for name, v in values.items()}


def _content_history(
    objs: list[Resolution] | list[Indicator],
    *,
    by: "User | None",
    source: str,
    before: dict[int, Resolution] | dict[int, Indicator] | None = None,
    deleted: bool = False,
    codes: dict[int, str] | None = None,
) -> None:
    """The ResolutionChange or IndicatorChange rows of these saved objects, in one INSERT: every
    field on creation (`before` None), only the fields that differ from `before[pk]` on a change,
    every field as it was on deletion (`deleted`, written before the DELETE). Each row keeps the
    committee's code (from `codes`, committee id -> code, when the caller has them) and a readable
    copy of its object."""
    if not objs:
        return
    history: type[ResolutionChange] | type[IndicatorChange]
    history, name = (
        (ResolutionChange, "resolution")
        if isinstance(objs[0], Resolution)
        else (IndicatorChange, "indicator")
    )
    now = timezone.now()
    rows = []
    for obj in objs:
        resolution = obj if isinstance(obj, Resolution) else obj.resolution
        new: dict[str, Any] | None = _content(obj, history.CONTENT)
        old = None if before is None else _content(before[obj.pk], history.CONTENT)
        if deleted:
            action, old, new = ContentAction.DELETED, new, None
        elif old is not None and new is not None:
            changed = [field for field in history.CONTENT if old[field] != new[field]]
            if not changed:
                continue
            action, old, new = (
                ContentAction.CHANGED,
                {n: old[n] for n in changed},
                {n: new[n] for n in changed},
            )
        else:
            action = ContentAction.CREATED
        if obj.pk is None:  # what history(<name>=obj) refuses at its save; ids are passed below
            raise ValueError("the history of an object not saved yet")
        rows.append(
            history(
                **{f"{name}_id": obj.pk},
                committee_id=resolution.committee_id,
                committee_code=codes[resolution.committee_id] if codes else resolution.committee.code,
                subject=resolution_subject(obj) if isinstance(obj, Resolution) else indicator_subject(obj),
                changed_by_id=by.pk if by is not None else None,
                changed_at=now,
                source=source,
                action=action,
                old=old,
                new=new,
            )
        )
    _history_insert(history, rows)


def _history_insert(model: type[Model], rows: Sequence[Model]) -> None:
    """Store unsaved history rows of `model` as bulk_create stores them (each value through its
    field's pre_save and get_db_prep_save, as its compiler does), in one executemany of one
    prepared INSERT.

    bulk_create compiles a multi-row INSERT per batch (placeholders and checks per value; on
    SQLite the debug log then quotes every parameter by a second query) and reads the new ids back:
    on a big import that was most of the cost of its history rows. Nothing reads a history row's
    id after writing it, so the rows are left without one (pk None)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = _insert_fields(model)
    values = []
    for row in rows:
        if type(row) is not model or row._is_pk_set():
            raise ValueError(f"not an unsaved {model.__name__}: {row!r}")
        # bulk_create's own refusal of a related object not saved yet (its id would be lost).
        row._prepare_related_fields_for_save(operation_name="bulk_create")
        values.append([_db_value(field, row, connection) for field in fields])
    # As bulk_create: all rows or none, even when the caller holds no transaction.
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.executemany(_insert_sql(model, connection.alias), values)


def _db_value(field: Any, row: Model, connection: Any) -> Any:
    value = field.pre_save(row, True)
    if hasattr(value, "resolve_expression"):  # an expression is compiled by bulk_create only
        raise ValueError(f"{field.name}: an expression in a history row")
    return field.get_db_prep_save(value, connection)


@cache
def _insert_fields(model: type[Model]) -> tuple[Any, ...]:
    """The columns bulk_create writes for a row without a primary key: every stored one but the
    generated ones and the auto-incremented key."""
    return tuple(f for f in model._meta.concrete_fields if not f.generated and not isinstance(f, AutoField))


@cache
def _insert_sql(model: type[Model], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(f.column) for f in _insert_fields(model))
    placeholders = ", ".join(["%s"] * len(_insert_fields(model)))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - the model's own names; the values are parameters
