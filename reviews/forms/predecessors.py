"""The staff's form of a committee's predecessors and of its indicators' predecessor indicators.

Both are written as the workbook writes them (spec/workbook.md): the committees' codes separated by
commas, each indicator as `CODE/RESOLUTION/STT`, all of the term before. Cleaning looks them up in
that term (one query each); an unknown one is an error naming it, on its own field."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from config.forms import TextField
from indicators.lineage import Reference, parse_reference, reference_of, reference_query, split_codes
from indicators.models import Committee, Indicator, Term

CODES_MAX_LENGTH = 2000
REFERENCE_MAX_LENGTH = 300


class PredecessorsForm(forms.Form):
    codes = TextField(
        label=_lazy("Đơn vị tiền thân"),
        help_text=_lazy("Mã các đơn vị của nhiệm kỳ trước, cách nhau bằng dấu phẩy, ví dụ: TN, BK."),
        required=False,
        max_length=CODES_MAX_LENGTH,
    )

    def __init__(self, *args, before: Term | None, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.before = before
        self.indicators = indicators
        for indicator in indicators:
            self.fields[self.field_name(indicator)] = TextField(
                label=f"{indicator.resolution.number} – {indicator.number}. {indicator.text}",
                required=False,
                max_length=REFERENCE_MAX_LENGTH,
            )

    @staticmethod
    def field_name(indicator: Indicator) -> str:
        return f"indicator-{indicator.pk}"

    def rows(self):
        """(indicator, its bound field) in the order of the committee's resolutions."""
        return [(i, self[self.field_name(i)]) for i in self.indicators]

    def _no_term_before(self) -> str:
        return _("Nhiệm kỳ này không có nhiệm kỳ trước.")

    def clean_codes(self) -> list[Committee]:
        codes = split_codes(self.cleaned_data["codes"])
        if not codes:
            return []
        if self.before is None:
            raise forms.ValidationError(self._no_term_before())
        found = {c.code: c for c in Committee.objects.filter(term=self.before, code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("Không có đơn vị mã %(codes)s trong nhiệm kỳ %(term)s.")
                % {"codes": ", ".join(unknown), "term": self.before.code}
            )
        return [found[c] for c in codes]

    def clean(self):
        cleaned = super().clean() or {}
        wanted: dict[str, Reference] = {}
        for indicator in self.indicators:
            name = self.field_name(indicator)
            text = (cleaned.get(name) or "").strip()
            if not text:
                continue
            if self.before is None:
                self.add_error(name, self._no_term_before())
                continue
            try:
                wanted[name] = parse_reference(text)
            except ValueError as exc:
                self.add_error(name, str(exc))
        found: dict[str, Indicator] = {}
        if wanted and self.before is not None:
            query = reference_query(list(wanted.values()), term=self.before)
            found = {
                str(reference_of(i)): i
                for i in Indicator.objects.filter(query).select_related("resolution__committee__term")
            }
        self.predecessors: dict[int, Indicator | None] = {}
        for indicator in self.indicators:
            name = self.field_name(indicator)
            if name in self.errors:
                continue
            ref = wanted.get(name)
            if ref is None:
                self.predecessors[indicator.pk] = None
            elif str(ref) in found:
                self.predecessors[indicator.pk] = found[str(ref)]
            else:
                assert self.before is not None  # noqa: S101 -- a reference is read only with a term before
                self.add_error(
                    name,
                    _("Không có chỉ tiêu “%(ref)s” trong nhiệm kỳ %(term)s.")
                    % {"ref": ref, "term": self.before.code},
                )
        return cleaned
