"""The workbook's columns from one term to the next (spec/workbook.md, "Real variety"): a
committee's `Đơn vị tiền thân` (codes of the term before, separated by commas) and an indicator's
`Chỉ tiêu kỳ trước` (`CODE/RESOLUTION/STT` of the term before).

Checked against the term before the workbook's term (an unknown code or indicator is an error
naming the row); planned as what changes against what is stored; applied through the core's
services in the import's transaction. Only staff set them: anyone else's row must leave them as
stored. A file without a column leaves them all as they are; an empty cell under one clears."""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from indicators.lineage import Reference, parse_reference, reference_of, reference_query, split_codes
from indicators.models import ChangeSource, Committee, CommitteePredecessor, Indicator, Term
from indicators.services.lineage import committee_predecessors_set, indicator_predecessors_set

IndicatorKey = tuple[str, str, str]  # (committee code, resolution number, STT)


@dataclass
class LineagePlan:
    committees: dict[str, list[str]] = field(default_factory=dict)  # code -> predecessor codes
    indicators: dict[IndicatorKey, Reference | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.committees or self.indicators)


class LineageCheck:
    """Reads both columns for one import; reads the stored links once, only when a column is there."""

    def __init__(self, *, term: Term | None, start_year: int, full_rights: bool, plan: LineagePlan):
        self.term = term
        self.full_rights = full_rights
        self._start_year = start_year
        self.plan = plan
        self._before_codes: set[str] | None = None
        self._before_indicators: set[IndicatorKey] | None = None
        self._stored_committees: dict[str, list[str]] | None = None
        self._stored_indicators: dict[IndicatorKey, str] | None = None

    @cached_property
    def before(self) -> Term | None:
        """The term before the workbook's (read once, only when a column is there)."""
        return Term.objects.filter(start_year__lt=self._start_year).order_by("-start_year").first()

    # ---- committees ------------------------------------------------------------------------

    def committee_problem(self, code: str, text: str) -> str | None:
        """Read a committee row's `Đơn vị tiền thân`; the problem to report on the row, or None."""
        codes = split_codes(text)
        if codes and self.before is None:
            return _("Nhiệm kỳ này không có nhiệm kỳ trước để chọn đơn vị tiền thân.")
        if self._before_codes is None:
            self._before_codes = set(
                Committee.objects.filter(term=self.before).values_list("code", flat=True)
                if self.before
                else []
            )
        unknown = [c for c in codes if c not in self._before_codes]
        if unknown:
            assert self.before is not None  # noqa: S101 -- codes without a term before returned above
            return _("Không có đơn vị mã %(codes)s trong nhiệm kỳ %(term)s.") % {
                "codes": ", ".join(unknown),
                "term": self.before.code,
            }
        stored = self._stored_committee_links().get(code, [])
        if sorted(codes) == sorted(stored):
            return None
        if not self.full_rights:
            return _("Bạn không có quyền sửa đơn vị tiền thân của đơn vị “%(code)s”.") % {"code": code}
        self.plan.committees[code] = codes
        return None

    def _stored_committee_links(self) -> dict[str, list[str]]:
        if self._stored_committees is None:
            self._stored_committees = {}
            if self.term is not None:
                for code, predecessor in CommitteePredecessor.objects.filter(
                    committee__term=self.term
                ).values_list("committee__code", "predecessor__code"):
                    self._stored_committees.setdefault(code, []).append(predecessor)
        return self._stored_committees

    # ---- indicators ------------------------------------------------------------------------

    def indicator_problem(self, key: IndicatorKey, text: str) -> str | None:
        """Read an indicator row's `Chỉ tiêu kỳ trước`; the problem to report on the row, or None."""
        text = text.strip()
        ref: Reference | None = None
        if text:
            if self.before is None:
                return _("Nhiệm kỳ này không có nhiệm kỳ trước để chọn chỉ tiêu kỳ trước.")
            try:
                ref = parse_reference(text)
            except ValueError as exc:
                return str(exc)
            if (ref.code, ref.resolution, ref.number) not in self._indicators_before():
                return _("Không có chỉ tiêu “%(ref)s” trong nhiệm kỳ %(term)s.") % {
                    "ref": ref,
                    "term": self.before.code,
                }
        stored = self._stored_indicator_links().get(key, "")
        if (str(ref) if ref else "") == stored:
            return None
        if not self.full_rights:
            return _("Bạn không có quyền sửa chỉ tiêu kỳ trước.")
        self.plan.indicators[key] = ref
        return None

    def _indicators_before(self) -> set[IndicatorKey]:
        if self._before_indicators is None:
            self._before_indicators = set(
                Indicator.objects.filter(resolution__committee__term=self.before).values_list(
                    "resolution__committee__code", "resolution__number", "number"
                )
                if self.before
                else []
            )
        return self._before_indicators

    def _stored_indicator_links(self) -> dict[IndicatorKey, str]:
        if self._stored_indicators is None:
            self._stored_indicators = {}
            if self.term is not None:
                rows = Indicator.objects.filter(
                    resolution__committee__term=self.term, predecessor__isnull=False
                ).values_list(
                    "resolution__committee__code",
                    "resolution__number",
                    "number",
                    "predecessor__resolution__committee__code",
                    "predecessor__resolution__number",
                    "predecessor__number",
                )
                for code, res, number, *ref in rows:
                    self._stored_indicators[(code, res, number)] = str(Reference(*ref))
        return self._stored_indicators


def apply_lineage(plan: LineagePlan, *, term: Term, by) -> None:
    """Carry out the planned links through the services (in the import's transaction)."""
    if not plan:
        return
    before = Term.objects.filter(start_year__lt=term.start_year).order_by("-start_year").first()
    committees = {
        c.code: c
        for c in Committee.objects.filter(term=term, code__in=plan.committees).select_related("term")
    }
    olds = {
        c.code: c
        for c in Committee.objects.filter(
            term=before, code__in={p for ps in plan.committees.values() for p in ps}
        )
    }
    for code, predecessors in plan.committees.items():
        committee_predecessors_set(
            committee=committees[code],
            predecessors=[olds[p] for p in predecessors],
            by=by,
            source=ChangeSource.IMPORT,
        )
    if not plan.indicators:
        return
    keys = [Reference(*key) for key in plan.indicators]
    indicators = {
        str(reference_of(i)): i
        for i in Indicator.objects.filter(reference_query(keys, term=term)).select_related(
            "resolution__committee__term"
        )
    }
    refs = [ref for ref in plan.indicators.values() if ref is not None]
    found = (
        {
            str(reference_of(i)): i
            for i in Indicator.objects.filter(reference_query(refs, term=before)).select_related(
                "resolution__committee__term"
            )
        }
        if refs and before is not None
        else {}
    )
    indicator_predecessors_set(
        links=[
            (indicators[str(Reference(*key))], found[str(ref)] if ref else None)
            for key, ref in plan.indicators.items()
        ],
        by=by,
        source=ChangeSource.IMPORT,
    )
