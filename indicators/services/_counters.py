"""The committee's own status counters (Committee.n_*), moved by the services that change a
status, in their transaction (private to indicators.services).
"""

from collections import Counter
from collections.abc import Mapping
from functools import cache

from django.db import connections, router

from ..models import EXCEEDED_COUNTER, STATUS_COUNTER, Committee, Stage, Status, stage_counter


def _counter_keys(status: str, exceeded: bool) -> Counter[str]:
    """What one assessment adds to its committee's counters: its status, and "exceeded" when
    it is marked "vượt" (the key of EXCEEDED_COUNTER in a delta)."""
    keys = Counter({status: 1})
    if exceeded:
        keys["exceeded"] += 1
    return keys


def _counter_column(key: str, stage: str = Stage.MID) -> str:
    if stage == Stage.MID:
        return EXCEEDED_COUNTER if key == "exceeded" else STATUS_COUNTER[Status(key)]
    return stage_counter(stage, key if key == "exceeded" else Status(key).value)


def _shift_counters(committee_id: int, delta: Counter[str], stage: str = Stage.MID) -> None:
    """One UPDATE of one committee row: counters (of `stage`) move by the delta, in the caller's
    transaction (_shift_many_counters of one committee)."""
    _shift_many_counters({committee_id: delta}, stage)


def _shift_many_counters(deltas: Mapping[int, Counter[str]], stage: str = Stage.MID) -> None:
    """Each committee's counters (of `stage`) move by its delta (committee id -> delta), by an
    UPDATE of its own row, in the caller's transaction: one statement prepared once and run per
    committee, where the ORM compiled an UPDATE each (300 on a big import's bench).

    Only the committee's own row is touched, never its ancestors', so saves in different
    communes never wait on a shared province row."""
    moves = {
        committee_id: {_counter_column(key, stage): n for key, n in delta.items() if n}
        for committee_id, delta in deltas.items()
    }
    columns = sorted({column for move in moves.values() for column in move})
    if not columns:
        return
    rows = [
        [move.get(column, 0) for column in columns] + [committee_id]
        for committee_id, move in moves.items()
        if move
    ]
    connection = connections[router.db_for_write(Committee)]
    with connection.cursor() as cursor:
        cursor.executemany(_shift_sql(tuple(columns), connection.alias), rows)


@cache
def _shift_sql(fields: tuple[str, ...], alias: str) -> str:
    """UPDATE committee SET n_x = n_x + %s, … WHERE id = %s: the counters' increments, then the id."""
    quote = connections[alias].ops.quote_name
    columns = [quote(_column(name)) for name in fields]
    sets = ", ".join(f"{column} = {column} + %s" for column in columns)
    return f"UPDATE {quote(Committee._meta.db_table)} SET {sets} WHERE {quote(_column('id'))} = %s"  # noqa: S608 - the model's own names; the values are parameters


def _column(name: str) -> str:
    for field in Committee._meta.concrete_fields:
        if field.name == name and field.column:
            return field.column
    raise LookupError(f"Committee stores no field {name}")
