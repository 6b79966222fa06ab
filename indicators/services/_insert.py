"""Inserting many rows at once (private to indicators.services): the values bulk_create would
store, in one executemany of one prepared INSERT.

bulk_create compiles a multi-row INSERT per batch (a placeholder and its checks per value; on
SQLite the debug log then quotes every parameter again by a second query) and reads the new ids
back through RETURNING. On a big import (10,000 indicators: their assessments and two history rows
each) that compiling was most of the cost of the writes. The same values, each through its
field's pre_save and get_db_prep_save as bulk_create's compiler passes them, go in one statement
prepared once; the ids, when the caller needs them, are read back by a unique key. History rows
can come as their values alone (_insert_values): a model instance built only to be read back cost
as much as its storing. A value the field would store unchanged (a str in a text column, a bool,
no foreign key) skips the field's conversion, which for 10,000 indicators was 470,000 calls
returning what they were given; a value repeated down a column (the time of the change, the
committee, the user) is converted once.
"""

from collections.abc import Callable, Mapping, Sequence
from functools import cache, partial
from operator import attrgetter
from typing import Any

from django.db import connections, router, transaction
from django.db.models import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    Field,
    ForeignKey,
    Model,
    QuerySet,
    TextField,
)

from ._by_value import by_value

# A column's values converted so far: (type, value) -> the value as its field stores it.
Converted = dict[tuple[type, Any], Any]


def _insert_rows(model: type[Model], rows: Sequence[Model]) -> None:
    """Store unsaved `rows` of `model` as bulk_create stores them, without reading their ids back
    (their pk stays None): history rows, whose ids nothing reads after writing them."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    columns = _columns(_insert_fields(model), model)
    readers = [(field, _reader(field), as_given, converted) for field, as_given, converted in columns]
    values = []
    for row in rows:
        if type(row) is not model or row.pk is not None:
            raise ValueError(f"not an unsaved {model.__name__}: {row!r}")
        # bulk_create's own refusal of a related object not saved yet (its id would be lost).
        row._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]  # Django's, unstubbed
        # A value stored as given (a str in a text column, ...) is taken without calling
        # _db_value, and a field whose pre_save only reads the attribute is read by attrgetter:
        # of the 280,000 values of 10,000 indicators and their assessments, 170,000 calls of the
        # one and 250,000 of the other fewer.
        values.append(
            [
                value
                if type(value := read(row)) in as_given
                else _db_value(field, as_given, converted, value, connection)
                for field, read, as_given, converted in readers
            ]
        )
    _execute(model, connection, values)


def _insert_values(model: type[Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Store rows of `model` given as {attribute name: value} (a foreign key by its id), as
    _insert_rows stores model(**row): a field not given takes its default, a name the model does
    not store is refused. Only for models whose fields store their value as it is given (no
    auto_now, no file), as every history row's do."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = _plain_fields(model)
    columns = _columns(fields, model)
    names = {field.attname for field in fields}
    values = []
    for row in rows:
        if unknown := row.keys() - names:
            raise TypeError(f"{model.__name__} stores no {', '.join(sorted(unknown))}")
        values.append(
            [
                _db_value(
                    field,
                    as_given,
                    converted,
                    row[field.attname] if field.attname in row else field.get_default(),
                    connection,
                )
                for field, as_given, converted in columns
            ]
        )
    _execute(model, connection, values)


def _columns(fields: tuple[Any, ...], model: type[Model]) -> list[tuple[Any, tuple[type, ...], Converted]]:
    """Each field with the types it stores as given and, empty, what its column has converted."""
    return [(field, as_given, {}) for field, as_given in zip(fields, _as_given(model), strict=True)]


def _reader(field: Any) -> Callable[[Model], Any]:
    """What `field` stores of a row being inserted, as its pre_save(row, add=True) gives it: read
    straight off the row when the field's pre_save is Field's own (it only reads the attribute)."""
    if type(field).pre_save is Field.pre_save:
        return attrgetter(field.attname)
    return partial(field.pre_save, add=True)


def _execute(model: type[Model], connection: Any, values: list[list[Any]]) -> None:
    # As bulk_create: all rows or none, even when the caller holds no transaction.
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.executemany(_insert_sql(model, connection.alias), values)


def _insert_rows_with_ids(
    model: type[Model], rows: Sequence[Model], *, key: tuple[str, ...], among: QuerySet[Any]
) -> None:
    """_insert_rows, then each row's id (and its state: stored, in that database) as bulk_create
    sets them. `key`: the attribute names of a unique key of `model`; `among`: a query that finds
    at least the new rows (by their parents), read once from the database written to, inside the
    caller's transaction."""
    _insert_rows(model, rows)
    using = router.db_for_write(model)
    ids = {tuple(found[:-1]): found[-1] for found in among.using(using).values_list(*key, "pk")}
    for row in rows:
        row.pk = ids[tuple(getattr(row, name) for name in key)]
        row._state.adding, row._state.db = False, using


def _db_value(
    field: Any, as_given: tuple[type, ...], converted: Converted, value: Any, connection: Any
) -> Any:
    """`value` as `field` stores it; `converted` holds what the column's earlier rows converted."""
    kind = type(value)
    if kind in as_given:
        return value
    if by_value(kind):  # a value met again in the column is converted once
        key = (kind, value)
        if key not in converted:
            converted[key] = field.get_db_prep_save(value, connection)
        return converted[key]
    if hasattr(value, "resolve_expression"):  # an expression is compiled by bulk_create only
        raise ValueError(f"{field.model.__name__}.{field.name}: an expression in a row inserted at once")
    return field.get_db_prep_save(value, connection)


# Values each field class stores as they are given, on every backend: Field.get_prep_value only
# casts a lazy translation, and CharField's and TextField's to_python return a str as it is, a
# BooleanField's a bool; a ForeignKey stores None as NULL. Only these exact classes: a subclass may
# convert (tests/indicators/test_insert_rows.py holds each to get_db_prep_save).
_STORED_AS_GIVEN: dict[type, tuple[type, ...]] = {
    CharField: (str,),
    TextField: (str,),
    BooleanField: (bool,),
    ForeignKey: (type(None),),
}


@cache
def _as_given(model: type[Model]) -> tuple[tuple[type, ...], ...]:
    """Per column of _insert_fields(model), the types of value it stores unchanged."""
    return tuple(_STORED_AS_GIVEN.get(type(field), ()) for field in _insert_fields(model))


@cache
def _insert_fields(model: type[Model]) -> tuple[Any, ...]:
    """The columns bulk_create writes for a row without a primary key: every stored one but the
    generated ones and the auto-incremented key."""
    return tuple(f for f in model._meta.concrete_fields if not f.generated and not isinstance(f, AutoField))


@cache
def _plain_fields(model: type[Model]) -> tuple[Any, ...]:
    """_insert_fields, when each stores the value it is given (its pre_save reads it, as Field's
    own does): what _insert_values needs to store a row without building its instance."""
    fields = _insert_fields(model)
    for field in fields:
        if (
            getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
            or (type(field).pre_save is not Field.pre_save and not isinstance(field, DateField))
        ):
            raise TypeError(f"{model.__name__}.{field.name} computes its value on save: insert instances")
    return fields


@cache
def _insert_sql(model: type[Model], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(f.column) for f in _insert_fields(model))
    placeholders = ", ".join(["%s"] * len(_insert_fields(model)))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - the model's own names; the values are parameters
