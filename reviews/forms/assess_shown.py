"""The assessment page as it opens (a GET): each indicator's card drawn from its plain row, no
Django form.

Drawing a card through the row's form cost its 18 bound fields and about 20 widget templates,
then the card's template on top: 5 ms a card, 130 ms for a commune of 23 indicators whose cards
were not cached. Here each card is one string built from the row's values, about a tenth of that.
The HTML is the form's own to the byte, every attribute in the order and escaping Django's widget
templates give it (through Jinja2: a quote in a value is &#34;), so the POST, the page's script and
its tests see no difference; tests/reviews/test_assess_shown.py draws every kind of card both ways.
A POST (errors, a conflict, typed values shown again) still draws its cards through the form."""

import html
from collections import Counter
from functools import cached_property

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext, ngettext
from markupsafe import escape as widget_escape

from indicators.models import Indicator, Stage, Status, Term
from indicators.people import person_name
from indicators.results import Results
from indicators.values import NOTE_MAX_LENGTH, display_value

from .assess import AssessmentForm, AssessmentRowForm, card_key, digest, indicator_label

# Each card asks for the same forty-odd words (labels, the statuses, the years' "Năm %(year)s"):
# through Django's gettext, and choices' lazy labels built into a dict on every get_…_display(),
# they were a fifth of a page drawn cold. Remembered per language here; the catalogs of a running
# process never change.
_TRANSLATED: dict[tuple[str | None, str], str] = {}
_CHOICES: dict[tuple[str | None, type, str], dict] = {}


def _(message: str, language: str | None) -> str:
    """gettext(message) in `language`, the active one (each card asks for the language once:
    reading it, a context-local, for each of its words was a tenth of a card's drawing)."""
    key = (language, message)
    try:
        return _TRANSLATED[key]
    except KeyError:
        _TRANSLATED[key] = translated = gettext(message)
        return translated


def _choice_label(obj: object, name: str, language: str | None) -> str:
    """obj.get_<name>_display(): the label of the field's value, or the value when it has none."""
    key = (language, type(obj), name)
    labels = _CHOICES.get(key)
    if labels is None:
        field = obj._meta.get_field(name)  # type: ignore[attr-defined]  # a model instance
        labels = _CHOICES[key] = {value: str(label) for value, label in field.flatchoices}
    value = getattr(obj, name)
    return labels.get(value, value)


def _statuses(stage: str, language: str | None) -> list[tuple[str, str]]:
    """(value, label) of the statuses a review of `stage` offers, in the active language."""
    key = (language, Stage, stage)
    if key not in _CHOICES:
        _CHOICES[key] = {s.value: str(s.label) for s in Stage(stage).statuses}
    return list(_CHOICES[key].items())


def escape(text: object) -> str:
    """django.utils.html.escape's very output, without its wrapper for lazy strings (a card escapes
    some forty values)."""
    return html.escape(str(text))


def _attr(name: str, value: object) -> str:
    return f' {name}="{widget_escape(value)}"'


def _input(kind: str, name: str, value: str | None, attrs: str) -> str:
    """Django's input.html: type, name, the value unless empty, then the attributes."""
    shown = _attr("value", value) if value not in (None, "") else ""
    return f'<input type="{kind}" name="{name}"{shown}{attrs}>'


class ShownRow:
    """One indicator as stored, for the page that opens: what the template reads of a row form
    (indicator, assessment, label, errors, conflict, card_key) and the card itself (`card_html`)."""

    is_bound = False
    errors: dict = {}  # noqa: RUF012 -- never written: a shown row has no errors
    conflict = None

    def __init__(
        self,
        indicator: Indicator,
        *,
        label: str,
        disabled: bool,
        term: Term | None,
        committee_code: str,
        card_parts: tuple = (),
        may_adjust: bool = False,
    ):
        self.indicator = indicator
        self.assessment = indicator.assessment
        self.label = label
        self.disabled = disabled
        self.term = term
        self.committee_code = committee_code
        self.card_parts = card_parts
        self.may_adjust = may_adjust  # staff: the card links to the target's adjustment
        # A part (5.1 of 5) has no status of its own; a group says how many parts it has (set by
        # ShownForm, as AssessmentForm sets its rows').
        self.is_part = indicator.group_id is not None
        self.n_parts = 0
        self.group_number = ""
        self.language = get_language()

    @property
    def status_value(self) -> str:
        return self.assessment.status

    @property
    def card_key(self) -> str | None:
        if not self.card_parts:
            return None
        return card_key(
            card_parts=self.card_parts,
            label=self.label,
            disabled=self.disabled,
            term=self.term,
            indicator=self.indicator,
            assessment=self.assessment,
            n_parts=self.n_parts,
        )

    @cached_property
    def card_html(self) -> SafeString:
        """The card (reviews/assess.html's <li>, its widgets as the row form draws them)."""
        lang = self.language
        i, a = self.indicator, self.assessment
        prefix = f"i{i.pk}"
        off = " disabled" if self.disabled else ""
        stored = Results.of(a)
        orig = digest(a.status, a.value, a.note, stored if self.term else None, exceeded=a.exceeded)
        unit = f"&nbsp;{escape(i.unit)}" if i.unit else ""
        classes = "assess-card" + (" is-part" if self.is_part else "") + (" is-group" if self.n_parts else "")
        out = [
            f'<li class="{classes}" id="row-{i.pk}">',
            f'<fieldset class="status-choices" id="id_{prefix}-status">',
            f'<legend><span class="ind-num">{escape(i.number)}. </span>'
            f'<span class="ind-text" translate="no">{escape(i.text)}</span></legend>',
            f'<p class="ind-meta">{escape(_("Mục tiêu", lang))}: '
            f"<strong>{escape(display_value(i.target or '') or '—')}</strong>{unit}"
            f"{self._adjusted_html()}</p>",
        ]
        if self.is_part:
            part_of = _(
                "Một phần của chỉ tiêu %(group)s: không đánh giá riêng, cấp ủy đánh giá cả nhóm.",
                lang,
            )
            out.append(f'<p class="part-note">{escape_format(part_of, group=self.group_number)}</p>')
        else:
            if self.n_parts:
                group_note = escape_format(_group_note(self.n_parts), n=str(self.n_parts))
                out.append(f'<p class="part-note">{group_note}</p>')
            out += ['<div class="choices">', *self._choices_html(prefix, off), "</div>"]
        value_label = Stage(a.stage).value_label
        value_aria = _attr("aria-label", f"{value_label} – {self.label}")
        note_aria = _attr("aria-label", f"{_('Ghi chú', lang)} – {self.label}")
        value_attrs = f' maxlength="200"{value_aria}{off} id="id_{prefix}-value"'
        unit_span = f'<span class="unit">{escape(i.unit)}</span>' if i.unit else ""
        note = f"{widget_escape(a.note)}" if a.note else ""
        out += [
            "</fieldset>",
            '<div class="card-field card-value">',
            f'<label for="id_{prefix}-value">{escape(value_label)}</label>',
            '<span class="with-unit">'
            + _input("text", f"{prefix}-value", a.value, value_attrs)
            + f"{unit_span}</span></div>",
            '<div class="card-field card-note">',
            f'<label for="id_{prefix}-note">{escape(_("Ghi chú", lang))}</label>',
            f'<textarea name="{prefix}-note" cols="30" rows="2" maxlength="{NOTE_MAX_LENGTH}"'
            f'{note_aria}{off} id="id_{prefix}-note">\n{note}</textarea>',
            # A part carries its one status, "not assessed", hidden (the form's first hidden field).
            _input("hidden", f"{prefix}-status", a.status, f' id="id_{prefix}-status-part"')
            if self.is_part
            else "",
            _input("hidden", f"{prefix}-version", str(a.version), f' id="id_{prefix}-version"'),
            _input("hidden", f"{prefix}-orig", orig, f' id="id_{prefix}-orig"'),
            "</div>",
        ]
        if self.term:
            out.append(self._results_html(prefix, stored))
        out.append(self._meta_html())
        out.append("</li>")
        return mark_safe("".join(out))  # noqa: S308 -- every value above is escaped

    def _choices_html(self, prefix: str, off: str) -> list[str]:
        """The status radios, "vượt" after "achieved" (the form's RadioSelect, and its checkbox)."""
        lang = self.language
        a, out = self.assessment, []
        # The statuses of the assessment's stage: no "hard" at the end of a term (as the form offers).
        for n, (value, choice_label) in enumerate(_statuses(a.stage, lang)):
            checked = " checked" if a.status == value else ""
            out.append(
                f'<label class="choice choice-{escape(value)}" for="id_{prefix}-status_{n}">'
                f'<input type="radio" name="{prefix}-status" value="{widget_escape(value)}" '
                f'id="id_{prefix}-status_{n}" required{off}{checked}> {escape(choice_label)}</label>'
            )
            if value == Status.ACHIEVED:
                aria = _attr("aria-label", f"{_('Vượt chỉ tiêu', lang)} – {self.label}")
                ticked = " checked" if a.exceeded else ""
                out.append(
                    f'<label class="choice choice-exceeded" for="id_{prefix}-exceeded">'
                    f'<input type="checkbox" name="{prefix}-exceeded"{aria}{off} id="id_{prefix}-exceeded"'
                    f"{ticked}> {escape(_('vượt', lang))}</label>"
                )
        return out

    def _adjusted_html(self) -> str:
        """The adjusted target beside the Congress's, with the decision that adjusted it."""
        lang = self.language
        i = self.indicator
        if not i.target_adjusted:
            return ""
        unit = f"&nbsp;{escape(i.unit)}" if i.unit else ""
        decision = escape_format(_("theo %(decision)s", lang), decision=i.target_adjusted_by)
        return (
            f'<span class="target-adjusted">{escape(_("Mục tiêu điều chỉnh", lang))}: '
            f"<strong>{escape(display_value(i.target_adjusted))}</strong>{unit} {decision}</span>"
        )

    def _results_html(self, prefix: str, stored: Results) -> str:
        """reviews/_results_fields.html for a row as stored. Its inputs are never disabled, as the
        row form draws them (it marks them before it marks the status fields, so they stay open
        on a review already sent; the page has no save button then, and a POST is refused)."""
        lang = self.language
        assert self.term is not None  # noqa: S101 -- only called with a term
        i, a = self.indicator, self.assessment
        opened = " open" if not stored.is_empty else ""
        summary: str = escape(_("Kết quả từng năm và dự báo", lang))
        if a.suggested_status:
            summary += (
                f' · {escape(_("Gợi ý", lang))}: <span class="status status-{escape(a.suggested_status)}">'
                f"{escape(_choice_label(a, 'suggested_status', lang))}</span>"
            )
            if a.explained:
                summary += f' <span class="explained">{escape(_("đã giải trình", lang))}</span>'
            elif a.disagrees:
                summary += f' <strong class="needs-explanation">{escape(_("cần giải trình", lang))}</strong>'
        how: str = (
            f"{escape(_choice_label(i, 'measure', lang))} · {escape(_choice_label(i, 'direction', lang))}"
        )
        if i.unit:
            how += f" · {escape(i.unit)}"

        def amount(name: str, value: str) -> str:
            attrs = f' maxlength="200" inputmode="decimal" id="id_{prefix}-{name}"'
            return _input("text", f"{prefix}-{name}", value, attrs)

        out = [
            f'<details class="results"{opened}><summary>{summary}</summary>',
            f'<p class="results-how muted">{how}</p>',
            '<div class="results-grid">',
            f'<p class="result-field"><label for="id_{prefix}-baseline">'
            f"{escape(_('Giá trị đầu kỳ (%(year)s)', lang) % {'year': self.term.start_year})}</label>"
            f"{amount('baseline', stored.baseline)}</p>",
        ]
        for year in range(self.term.start_year + 1, self.term.end_year + 1):
            shown = stored.value_of(year)
            ticked = " checked" if shown and shown.estimate else ""
            out.append(
                f'<p class="result-field"><span class="result-head"><label for="id_{prefix}-y{year}">'
                f"{escape(_('Năm %(year)s', lang) % {'year': year})}</label>"
                f'<label class="estimate" for="id_{prefix}-e{year}">'
                f'<input type="checkbox" name="{prefix}-e{year}" id="id_{prefix}-e{year}"{ticked}> '
                f'{escape(_("ước", lang))}<span class="visually-hidden"> {year}</span></label></span>'
                f"{amount(f'y{year}', shown.value if shown else '')}</p>"
            )
        out += [
            f'<p class="result-field"><label for="id_{prefix}-forecast">'
            f"{escape(_('Dự báo cuối kỳ (%(year)s)', lang) % {'year': self.term.end_year})}</label>"
            f"{amount('forecast', stored.forecast)}</p>",
            "</div></details>",
        ]
        return "".join(out)

    def _meta_html(self) -> str:
        lang = self.language
        a = self.assessment
        saved = ""
        if a.updated_by:
            # In the site's time zone, as the template's `|date` shows it (it converts; a call does not).
            when = date_filter(localtime(a.updated_at) if a.updated_at else None, "SHORT_DATE_FORMAT")
            who = person_name(a.updated_by)
            saved = escape_format(_("Sửa: %(who)s, %(when)s", lang), who=who, when=when) + " · "
        url = reverse("indicator_detail", args=[self.committee_code, self.indicator.pk])
        term = f"?term={escape(self.term.code)}" if self.term else "?term="
        adjust = ""
        if self.may_adjust:
            adjust = (
                f' · <a href="{url}{term}#adjust-title">{escape(_("Điều chỉnh mục tiêu", lang))}'
                f'<span class="visually-hidden"> – {escape(self.label)}</span></a>'
            )
        return (
            f'<p class="row-meta muted">{saved}<a href="{url}{term}">{escape(_("Lịch sử", lang))}'
            f'<span class="visually-hidden"> – {escape(self.label)}</span></a>{adjust}</p>'
        )


def _group_note(n: int) -> str:
    text = (
        "Nhóm chỉ tiêu gồm %(n)s phần (bên dưới), tính là một chỉ tiêu; gợi ý là gợi ý kém nhất của các phần."
    )
    return ngettext(text, text, n)


def escape_format(template: str, **values: str) -> str:
    """A translated sentence with its values escaped, as {% blocktranslate %} gives it."""
    return template % {name: escape(value) for name, value in values.items()}


class ShownForm:
    """Every card of a committee's page as it opens: what reviews/assess.html reads of a form.

    `posted`: the page shown again after a save it refused (errors, a conflict). The rows that save
    checked are drawn through their forms (what was typed, its errors, the stored values in
    conflict); every other row as it opens, the same card its form would draw (drawn_as_stored)."""

    is_bound = False
    conflicts: list = []  # noqa: RUF012 -- never written
    error_list: list = []  # noqa: RUF012 -- never written

    def __init__(
        self,
        indicators: list[Indicator],
        *,
        disabled: bool,
        term: Term | None,
        committee_code: str,
        card_parts: tuple = (),
        may_adjust: bool = False,
        posted: AssessmentForm | None = None,
    ):
        several = len({i.resolution_id for i in indicators}) > 1
        self.rows: list[ShownRow | AssessmentRowForm] = [
            ShownRow(
                i,
                label=indicator_label(i, with_resolution=several),
                disabled=disabled,
                term=term,
                committee_code=committee_code,
                card_parts=card_parts,
                may_adjust=may_adjust,
            )
            for i in indicators
        ]
        n_parts = Counter(i.group_id for i in indicators if i.group_id is not None)
        numbers = {i.pk: i.number for i in indicators}
        for row in self.rows:
            row.n_parts = n_parts.get(row.indicator.pk, 0)
            row.group_number = numbers.get(row.indicator.group_id or 0, "")
        if posted is not None:
            self.rows = [
                row if posted.drawn_as_stored(row.indicator) else posted.row_form(row.indicator)
                for row in self.rows
            ]
            self.conflicts = posted.conflicts
            self.error_list = posted.error_list
