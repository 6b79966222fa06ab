"""The committee's own status counters (Committee.n_*), moved by the services that change a
status, in their transaction (private to indicators.services).
"""

from collections import Counter

from django.db.models import F

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
    transaction.

    Only the committee's own row is touched, never its ancestors', so saves in different
    communes never wait on a shared province row."""
    changes = {
        _counter_column(key, stage): F(_counter_column(key, stage)) + n for key, n in delta.items() if n
    }
    if changes:
        Committee.objects.filter(pk=committee_id).update(**changes)
