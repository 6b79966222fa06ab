"""Indicators with parts (nhóm chỉ tiêu, domain.md): the group's suggestion and reading order.

A part (5.1, 5a) is explicitly linked to its group (5) of the same resolution, one level deep. The
committee judges the group, which the tally counts once; each part keeps its own target, values
and suggestion, and the group's suggestion is the worst of its parts'. Pure functions.
"""

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from django.utils.translation import gettext as _

from .models import Status

# From worst to best: what "the worst of its parts' suggestions" compares.
_WORST_FIRST = [Status.NOT_ACHIEVED, Status.HARD, Status.ACHIEVED]


def worst_suggestion(suggestions: Iterable[str]) -> str:
    """The worst of the parts' suggested statuses; a part without a suggestion (no target or no
    numbers) is left out, and "" when no part has one (never a guess from nothing)."""
    given = {s for s in suggestions if s}
    return next((status.value for status in _WORST_FIRST if status in given), "")


def lowest_progress(progresses: Iterable[float | None]) -> float | None:
    """The group's progress: its worst part's (the lowest), None when no part has one."""
    given = [p for p in progresses if p is not None]
    return min(given) if given else None


class _Linked(Protocol):
    @property
    def pk(self) -> int | None: ...

    @property
    def group_id(self) -> int | None: ...


Row = TypeVar("Row", bound=_Linked)


def in_group_order(indicators: Sequence[Row]) -> list[Row]:
    """The same indicators, each group followed at once by its parts (in their given order): a part
    numbered "a" still reads under its group 5, whatever its number sorts as. A part whose group is
    not in the list stays where it is."""
    present = {i.pk for i in indicators}
    parts: dict[int, list[Row]] = {}
    for indicator in indicators:
        if indicator.group_id is not None and indicator.group_id in present:
            parts.setdefault(indicator.group_id, []).append(indicator)
    ordered: list[Row] = []
    for indicator in indicators:
        if indicator.group_id is not None and indicator.group_id in present:
            continue
        ordered.append(indicator)
        ordered.extend(parts.get(indicator.pk or 0, []))
    return ordered


def link_problems(links: dict[str, str]) -> dict[str, str]:
    """What is wrong with the groups of one resolution: `links` maps every indicator number of the
    resolution to the number of its group ("" for one of its own); the answer maps each number whose
    link is wrong to the sentence saying why (unknown number, itself, or a part of a part)."""
    problems = {}
    for number, group in links.items():
        if not group:
            continue
        if group == number:
            problems[number] = _("Chỉ tiêu %(number)s không thể là một phần của chính nó.") % {
                "number": number
            }
        elif group not in links:
            problems[number] = _(
                "Chỉ tiêu %(number)s thuộc chỉ tiêu “%(group)s”, nhưng nghị quyết không có chỉ tiêu số này."
            ) % {"number": number, "group": group}
        elif links[group]:
            problems[number] = _(
                "Chỉ tiêu %(group)s đã là một phần của chỉ tiêu %(outer)s, nên chỉ tiêu %(number)s không "
                "thể thuộc nó: nhóm chỉ tiêu chỉ có một cấp."
            ) % {"group": group, "outer": links[group], "number": number}
    return problems
