"""A group's stored suggestion follows its parts' (private to indicators.services): written by the
services that change a part, a group or their links.
"""

from collections import defaultdict

from ..groups import lowest_progress, worst_suggestion
from ..models import Assessment
from ..results import with_suggestion


def _groups_resuggest(*, group_ids: set[int], known: dict[int, Assessment] | None = None) -> None:
    """Keep each group's stored suggestion the worst of its parts' (and its progress their lowest),
    in the caller's transaction, after the parts' own suggestions are stored; a group left without
    parts reads its own numbers again. `known` (indicator id -> assessment) are instances the
    caller holds, updated in place so what it returns is what is stored."""
    if not group_ids:
        return
    # Per stage: a group's suggestion at the end of the term is the worst of its parts' at the end.
    parts: dict[tuple[int, str], list[tuple[str, float | None]]] = defaultdict(list)
    for group_id, stage, suggested, progress in Assessment.objects.filter(
        indicator__group_id__in=group_ids
    ).values_list("indicator__group_id", "stage", "suggested_status", "progress"):
        if group_id is not None:  # always, by the filter: for the type checker
            parts[(group_id, stage)].append((suggested, progress))
    changed = []
    for a in Assessment.objects.select_related("indicator__resolution__committee__term").filter(
        indicator_id__in=group_ids
    ):
        before = (a.suggested_status, a.progress)
        if (a.indicator_id, a.stage) in parts:
            a.suggested_status = worst_suggestion(s for s, _p in parts[(a.indicator_id, a.stage)])
            a.progress = lowest_progress(p for _s, p in parts[(a.indicator_id, a.stage)])
        else:
            with_suggestion(a)
        if (a.suggested_status, a.progress) != before:
            changed.append(a)
        held = known.get(a.indicator_id) if known else None
        if held is not None and held.stage == a.stage:
            held.suggested_status, held.progress = a.suggested_status, a.progress
    Assessment.objects.bulk_update(changed, ["suggested_status", "progress"], batch_size=1000)
