"""From one term to the next: a committee of a new term names its predecessors in the term before,
an indicator its predecessor indicator (domain.md, "The life of a term"; indicators.lineage). Staff
set them up.
"""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import Action, authorize
from ..history import indicator_subject
from ..models import (
    ChangeSource,
    Committee,
    CommitteePredecessor,
    ContentAction,
    Indicator,
    IndicatorChange,
    PredecessorChange,
    Term,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
from ._insert import _insert_rows
from .terms import term_before


@transaction.atomic
def committee_predecessors_set(
    *,
    committee: Committee,
    predecessors: list[Committee],
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> list[Committee]:
    """Make `predecessors` (committees of the term before) exactly the committee's predecessors,
    with a PredecessorChange row when that changes anything. ValueError names a committee of
    another term; Refused unless `by` may set terms up."""
    authorize(by, committee, Action.SET_UP)
    before = term_before(committee.term)
    stray = [p.code for p in predecessors if before is None or p.term_id != before.pk]
    if stray:
        raise ValueError(
            _("Đơn vị tiền thân phải thuộc nhiệm kỳ %(term)s (nhiệm kỳ trước): %(codes)s.")
            % {"term": before.code if before else "—", "codes": ", ".join(stray)}
            if before
            else _("Nhiệm kỳ %(term)s không có nhiệm kỳ trước để chọn đơn vị tiền thân.")
            % {"term": committee.term.code}
        )
    # Locked, so two staff setting them at once cannot both read the same "before".
    Committee.objects.select_for_update(of=("self",)).filter(pk=committee.pk).first()
    links = CommitteePredecessor.objects.filter(committee=committee).select_related("predecessor")
    old = {link.predecessor_id: link.predecessor.code for link in links}
    new = {p.pk: p.code for p in predecessors}
    if old.keys() == new.keys():
        return sorted(predecessors, key=lambda p: p.code)
    CommitteePredecessor.objects.filter(committee=committee).exclude(predecessor_id__in=new).delete()
    CommitteePredecessor.objects.bulk_create(
        [CommitteePredecessor(committee=committee, predecessor_id=pk) for pk in new.keys() - old.keys()]
    )
    PredecessorChange.objects.create(
        committee=committee,
        committee_code=committee.code,
        changed_by=by,
        changed_at=timezone.now(),
        source=source,
        old_codes=sorted(old.values()),
        new_codes=sorted(new.values()),
    )
    return sorted(predecessors, key=lambda p: p.code)


@transaction.atomic
def indicator_predecessors_set(
    *,
    links: list[tuple[Indicator, Indicator | None]],
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> int:
    """Set each indicator's predecessor (None: none), each checked to be of the term before its
    own, with an IndicatorChange row for each that changed ({"predecessor": "BK/16-NQ/ĐH/5@2020-2025"}
    before and after); returns how many changed. Indicators and predecessors with their resolution,
    committee and term loaded. Refused unless `by` may set terms up."""
    from ..lineage import term_reference  # lineage reads the models and results this module writes

    changed: list[Indicator] = []
    history = []
    now = timezone.now()
    befores: dict[int, Term | None] = {}
    stored = dict(
        Indicator.objects.select_for_update(of=("self",))
        .filter(pk__in=[i.pk for i, _p in links])
        .values_list("pk", "predecessor_id")
    )
    old_refs = {
        i.pk: term_reference(i)
        for i in Indicator.objects.filter(pk__in={p for p in stored.values() if p}).select_related(
            "resolution__committee__term"
        )
    }
    for indicator, predecessor in links:
        committee = indicator.resolution.committee
        authorize(by, committee, Action.SET_UP)
        if committee.term_id not in befores:
            befores[committee.term_id] = term_before(committee.term)
        before = befores[committee.term_id]
        if predecessor is not None and (
            before is None or predecessor.resolution.committee.term_id != before.pk
        ):
            raise ValueError(
                _("Chỉ tiêu kỳ trước “%(ref)s” không thuộc nhiệm kỳ trước của nhiệm kỳ %(term)s.")
                % {"ref": term_reference(predecessor), "term": committee.term.code}
            )
        old_id = stored[indicator.pk]
        new_id = predecessor.pk if predecessor else None
        if old_id == new_id:
            continue
        indicator.predecessor = predecessor
        changed.append(indicator)
        history.append(
            IndicatorChange(
                indicator=indicator,
                committee_id=committee.pk,
                committee_code=committee.code,
                subject=indicator_subject(indicator),
                changed_by=by,
                changed_at=now,
                source=source,
                action=ContentAction.CHANGED,
                old={"predecessor": old_refs.get(old_id) if old_id else None},
                new={"predecessor": term_reference(predecessor) if predecessor else None},
            )
        )
    Indicator.objects.bulk_update(changed, ["predecessor"], batch_size=1000)
    _insert_rows(IndicatorChange, history)
    return len(changed)


@transaction.atomic
def committee_lineage_set(
    *,
    committee: Committee,
    predecessors: list[Committee],
    indicator_links: list[tuple[Indicator, Indicator | None]],
    by: "User | None" = None,
    source: str = ChangeSource.FORM,
) -> int:
    """The staff page's one save: the committee's predecessors and its indicators' predecessor
    indicators, all or nothing; returns how many indicators changed."""
    committee_predecessors_set(committee=committee, predecessors=predecessors, by=by, source=source)
    return indicator_predecessors_set(links=indicator_links, by=by, source=source)
