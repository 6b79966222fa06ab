"""Reading rows: the one row a unique key finds, and model instances from hand-written SQL.

The ORM spends more CPU building a short query and its instances than the database spends
answering it (a committee with its term and parent: 0.68 ms against 0.06 ms by hand). The few
reads every page makes are written by hand; `select_list` and `loaded` keep them the model's own:
every stored column, converted as the ORM converts it (SQLite's dates, times and booleans), into
instances as the ORM makes them (Model.from_db)."""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from functools import cache
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Field, Model, QuerySet

M = TypeVar("M", bound=Model)


def one_or_none(queryset: QuerySet[M]) -> M | None:
    """The row `queryset` finds by a unique key (or a primary key), None when there is none.

    Like first(), without its ORDER BY: first() orders an unordered query by the primary key, and
    building that clause (Django hashes each expression through inspect.signature) was a third
    of the CPU of the committee lookup every page makes, for rows a unique key already makes one."""
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None


def select_list(model: type[Model], alias: str) -> str:
    """Every stored column of `model` under table alias `alias`, in `loaded`'s order."""
    return ", ".join(f"{alias}.{field.column}" for field in model._meta.concrete_fields)


def read(
    model: type[Model], sql: str, params: Sequence[Any] | Mapping[str, Any], *, by_key: bool = False
) -> tuple[str, list[tuple[Any, ...]]]:
    """The rows of a hand-written `sql`, from the database the router reads `model` from (the
    replica on the pages that may read one, as the ORM would), with that database's alias.
    `by_key`: a lookup by a key, whose plan does not depend on the values: prepared (`prepared`)."""
    using = router.db_for_read(model)
    connection = connections[using]
    with connection.cursor() as cursor, prepared(connection) if by_key else nullcontext():
        cursor.execute(sql, params)
        return using, cursor.fetchall()


@contextmanager
def prepared(connection: Any) -> Iterator[None]:
    """Statements executed inside are prepared on the connection (PostgreSQL with parameters bound
    by the server, config.settings): planned once per connection instead of on every request.

    Only for plain lookups by a key, whose best plan is the same whatever the values: a prepared
    statement may be given a generic plan after its fifth run, and a generic plan of a subtree's
    path range ran for twenty minutes on the national tree, one of the campaign's children rows (a
    correlated subquery per child) for over a second. Elsewhere (SQLite, binding on the client)
    nothing changes."""
    if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        yield
        return
    raw = connection.connection  # psycopg's own connection: open inside the caller's cursor block
    threshold = raw.prepare_threshold
    raw.prepare_threshold = 0  # prepared from its first run (and a prepared one is used)
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


def split(row: tuple[Any, ...], *models: type[Model]) -> list[tuple[Any, ...]]:
    """A row of several `select_list`s, in their order, cut into each model's values."""
    parts, start = [], 0
    for model in models:
        end = start + len(model._meta.concrete_fields)
        parts.append(row[start:end])
        start = end
    return parts


@cache
def _converters(model: type[Model], using: str) -> tuple[tuple[int, tuple[Any, ...], Any], ...]:
    """(position, converters, column) for every column the database hands back in another type
    than the model's (as the ORM's compiler finds them)."""
    connection = connections[using]
    found = []
    for position, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        convs = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if convs:
            found.append((position, tuple(convs), column))
    return tuple(found)


def loaded(model: type[M], values: tuple[Any, ...] | list[Any], *, using: str) -> M:
    """The instance of `model` from the values of `select_list`'s columns, as the ORM loads it."""
    values = list(values)
    connection = connections[using]
    for position, convs, column in _converters(model, using):
        value = values[position]
        for convert in convs:
            value = convert(value, column, connection)
        values[position] = value
    return model.from_db(using, _attnames(model), values)


def field_value(model: type[Model], name: str, value: Any, *, using: str) -> Any:
    """A value read for `model`'s field `name` outside its own columns (an aggregate of them:
    MAX(at)), converted as the ORM converts that field's values."""
    connection = connections[using]
    field = model._meta.get_field(name)
    assert isinstance(field, Field), f"{model.__name__}.{name} is not a column"
    column = field.get_col(model._meta.db_table)
    for convert in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = convert(value, column, connection)
    return value


@cache
def _attnames(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]
