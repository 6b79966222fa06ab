"""The assessment form: one row per indicator (status, value at mid-term, note), all saved at once.

Values: a plain number is accepted as "6,5" or "6.5" (indicators.values.stored_amount, shared with
the workbook import) and stored
in Vietnamese notation — decimal comma, no thousands separators ("6.5" → "6,5", "1,234.5" →
"1234,5", "3.500" → "3500") — so every stored number reads the same way and the page shows the
user how their number was read. Anything else ("≥ 95%", "đạt") is stored as typed, trimmed.

Only rows the user changed are validated against the cross-field rules and saved: each row
carries the version it was read at (the lock check) and a digest of what it showed (to know
whether this user touched it), so an untouched row never overwrites a colleague's save.
"""

import hashlib
import json
from collections.abc import Mapping
from functools import cached_property

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.forms import TextField
from indicators.models import Assessment, Indicator, Stage, Status, Term
from indicators.notes import Moment, Severity, assessment_problems
from indicators.people import person_name
from indicators.results import Results, suggested_at_stage, suggestion_for
from indicators.services.assessments import AssessmentEdit, Conflict
from indicators.values import (
    NOTE_MAX_LENGTH,
    is_number_with_words,
    normalise_note,
    stored_amount,
    without_unit,
)

from .. import fragments


def digest(
    status: str, value: str, note: str, results: Results | None = None, *, exceeded: bool = False
) -> str:
    """A short fingerprint of what a row showed; only for change detection, not security.
    `results` None: the page showed no results over time (they are then never saved). The "vượt"
    tick counts only when ticked, so a row's fingerprint without it is what it always was."""
    shown: list[object] = [
        status + "+vượt" if exceeded else status or "",
        (value or "").strip(),
        normalise_note(note),
    ]
    if results is not None:
        shown.append(results.as_json())
    payload = json.dumps(shown, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


class AssessmentRowForm(forms.Form):
    # Large choices, not a tiny select: on a phone each status is a labelled target of its own.
    status = forms.ChoiceField(
        label=gettext_lazy("Đánh giá"), choices=Status.choices, widget=forms.RadioSelect
    )
    # "vượt": only meaningful with "Đạt và vượt"; the page shows it beside that choice.
    exceeded = forms.BooleanField(label=gettext_lazy("Vượt chỉ tiêu"), required=False)
    value = TextField(label=gettext_lazy("Thực hiện giữa nhiệm kỳ"), required=False, max_length=200)
    note = TextField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    orig = TextField(max_length=64, widget=forms.HiddenInput)

    def __init__(
        self,
        data=None,
        *,
        indicator: Indicator,
        label: str,
        disabled: bool = False,
        term: Term | None = None,
        card_parts: tuple = (),
    ):
        self.indicator = indicator
        self.assessment: Assessment = indicator.assessment
        self.label = label
        # A part (5.1 of 5) has its own values and suggestion but no status: the committee judges
        # its group (domain.md). How many parts a group has: set by AssessmentForm.
        self.is_part = indicator.group_id is not None
        self.n_parts = 0
        self.group_number = ""
        self.conflict: Assessment | None = None
        self.card_parts = card_parts  # given: the card shown as stored is cached (card_key)
        # The suggestion of the numbers just typed (None: not computed, the stored one is shown).
        self.typed_suggestion: tuple[str, str, bool] | None = None
        # With a term the row also shows the results over time: baseline, each later year of
        # the term (value and "ước"), and the forecast.
        self.term = term
        self.years = list(range(term.start_year + 1, term.end_year + 1)) if term else []
        a = self.assessment
        stored = Results.of(a)
        initial = {
            "status": a.status,
            "exceeded": a.exceeded,
            "value": a.value,
            "note": a.note,
            "version": a.version,
            "orig": digest(a.status, a.value, a.note, stored if term else None, exceeded=a.exceeded),
        }
        if term:
            initial |= {"baseline": stored.baseline, "forecast": stored.forecast}
            for year in self.years:
                shown = stored.value_of(year)
                initial |= {
                    f"y{year}": shown.value if shown else "",
                    f"e{year}": bool(shown and shown.estimate),
                }
        super().__init__(data, prefix=f"i{indicator.pk}", initial=initial)
        # Where the indicator's own unit was typed after a number and taken off (a hint after saving).
        self.units_dropped: list[str] = []
        if term:
            self._add_result_fields()
        n = {"label": label}
        if self.is_part:
            # Only "not assessed", carried hidden so the row binds and its fingerprint holds; its own
            # id, so the card's fieldset keeps the status's id (the error summary's links).
            self.fields["status"] = forms.ChoiceField(
                choices=[(Status.NOT_ASSESSED.value, Status.NOT_ASSESSED.label)],
                widget=forms.HiddenInput(attrs={"id": f"id_i{indicator.pk}-status-part"}),
            )
            self.fields["exceeded"].disabled = True
        self.fields["status"].error_messages = {
            "required": _("%(label)s: hãy chọn đánh giá.") % n,
            "invalid_choice": _("%(label)s: đánh giá không hợp lệ.") % n,
        }
        self.fields["value"].error_messages["max_length"] = _("%(label)s: giá trị dài quá 200 ký tự.") % n
        self.fields["note"].error_messages["max_length"] = _("%(label)s: ghi chú dài quá %(max)d ký tự.") % {
            **n,
            "max": NOTE_MAX_LENGTH,
        }
        nul = _("%(label)s: văn bản chứa ký tự không hợp lệ (ký tự NUL).") % n
        self.fields["value"].error_messages["null_characters_not_allowed"] = nul
        self.fields["note"].error_messages["null_characters_not_allowed"] = nul
        stale = _("%(label)s: biểu mẫu không hợp lệ, hãy tải lại trang.") % n
        for name in ("version", "orig"):
            self.fields[name].error_messages = dict.fromkeys(
                ("required", "invalid", "min_value", "max_length", "null_characters_not_allowed"), stale
            )
        self.fields["value"].label = Stage(self.assessment.stage).value_label
        # The status choices are named by their own labels and grouped under the indicator's text.
        for name in ("value", "note"):
            self.fields[name].widget.attrs["aria-label"] = f"{self.fields[name].label} – {label}"
        self.fields["exceeded"].widget.attrs["aria-label"] = f"{self.fields['exceeded'].label} – {label}"
        for name in ("status", "exceeded", "value", "note"):
            self.fields[name].disabled = disabled or self.fields[name].disabled
        # No "hard" at the end of a term: the choice is not offered, and a forged one is refused.
        if self.assessment.stage != Stage.MID:
            status_field = self.fields["status"]
            assert isinstance(status_field, forms.ChoiceField)  # noqa: S101 -- declared so above
            status_field.choices = [(s.value, s.label) for s in Stage(self.assessment.stage).statuses]

    def _add_result_fields(self) -> None:
        assert self.term is not None  # noqa: S101 -- only called with a term
        n = {"label": self.label}
        amount = {"max_length": _("%(label)s: giá trị dài quá 200 ký tự.") % n}
        self.fields["baseline"] = TextField(
            label=gettext_lazy("Giá trị đầu kỳ (%(year)s)") % {"year": self.term.start_year},
            required=False,
            max_length=200,
            error_messages=amount,
        )
        for year in self.years:
            self.fields[f"y{year}"] = TextField(
                label=gettext_lazy("Năm %(year)s") % {"year": year},
                required=False,
                max_length=200,
                error_messages=amount,
            )
            self.fields[f"e{year}"] = forms.BooleanField(label=gettext_lazy("ước"), required=False)
        self.fields["forecast"] = TextField(
            label=gettext_lazy("Dự báo cuối kỳ (%(year)s)") % {"year": self.term.end_year},
            required=False,
            max_length=200,
            error_messages=amount,
        )
        # Each field has its <label> inside the indicator's card; no aria-label per field, so the
        # 66-indicator page stays light (tests/reviews/test_assess_weight.py).
        for name in self.result_field_names:
            if not name.startswith("e"):
                self.fields[name].widget.attrs["inputmode"] = "decimal"
            self.fields[name].disabled = self.fields["status"].disabled

    @property
    def result_field_names(self) -> list[str]:
        if not self.term:
            return []
        return ["baseline", *(n for y in self.years for n in (f"y{y}", f"e{y}")), "forecast"]

    @property
    def year_fields(self):
        """[(year, value field, estimate field), …] for the template."""
        return [(y, self[f"y{y}"], self[f"e{y}"]) for y in self.years]

    @property
    def has_results(self) -> bool:
        """Whether the card opens its yearly values: stored ones, or (a page shown again after an
        error) ones she typed, which must not come back folded as if they were gone."""
        if self.is_bound and self.raw_results is not None and not self.raw_results.is_empty:
            return True
        return not Results.of(self.assessment).is_empty

    def raw(self, name: str) -> str:
        return self.data.get(self.add_prefix(name), "") if self.is_bound else ""

    @cached_property
    def raw_results(self) -> Results | None:
        """The results over time as posted, or None when the page did not show them; read once
        per row (is_touched and clean both need it; a conflict re-bases only version and orig)."""
        if not self.term or self.add_prefix("baseline") not in self.data:
            return None
        return Results.build(
            baseline=self.raw("baseline").strip(),
            years={
                y: (self.raw(f"y{y}").strip(), self.raw(f"e{y}") in ("on", "true", "1")) for y in self.years
            },
            forecast=self.raw("forecast").strip(),
        )

    @property
    def card_key(self) -> str | None:
        """The cache key of this row's rendered card (reviews.fragments; `card_key` below). None
        for a submitted row, whose card shows what was typed, its errors or a conflict: never cached."""
        if not self.card_parts or self.is_bound or self.conflict is not None:
            return None
        return card_key(
            card_parts=self.card_parts,
            label=self.label,
            disabled=self.fields["status"].disabled,
            term=self.term,
            indicator=self.indicator,
            assessment=self.assessment,
            n_parts=self.n_parts,
        )

    @property
    def status_value(self) -> str:
        """The status the row shows: as posted, or as stored."""
        return self["status"].value()

    def digest_of(self, assessment: Assessment) -> str:
        """What the row would carry as `orig` had it been drawn from `assessment` as stored."""
        results = Results.of(assessment) if self.term else None
        return digest(
            assessment.status, assessment.value, assessment.note, results, exceeded=assessment.exceeded
        )

    @property
    def is_touched(self) -> bool:
        """The user changed this row on the page (its inputs differ from what it showed)."""
        if not self.is_bound:
            return False
        prefix = self.prefix or ""  # a row form always has its prefix (i<indicator id>)
        shown = posted_digest(self.data, prefix, self.years, with_results=self.term is not None)
        return shown != self.raw("orig")

    def _clean_results(self, cleaned) -> Results | None:
        if self.raw_results is None:
            return None
        stored: dict[str, str] = {}
        unit = self.indicator.unit or ""
        for name in ("baseline", *(f"y{y}" for y in self.years), "forecast"):
            typed, dropped = without_unit(cleaned.get(name) or "", unit)
            if dropped:
                self.units_dropped.append(f"{self.label}, {self.fields[name].label}")
            if is_number_with_words(typed):
                # "17 tiêu chí" where the unit is not the indicator's: a number with words is no
                # number the suggestion can use, and would be printed as typed in the annex.
                where = {"label": self.label, "field": self.fields[name].label, "value": typed, "unit": unit}
                message = (
                    _(
                        "%(label)s, %(field)s: “%(value)s”: chỉ ghi số; "
                        "đơn vị của chỉ tiêu (%(unit)s) đã in sẵn."
                    )
                    if unit
                    else _("%(label)s, %(field)s: “%(value)s”: chỉ ghi số, không ghi đơn vị.")
                )
                self.add_error(name, message % where)
                stored[name] = typed
                continue
            try:
                stored[name] = stored_amount(typed)
            except ValueError:
                self.add_error(
                    name,
                    _(
                        "%(label)s, %(field)s: “%(value)s” không phải là số hợp lệ; "
                        "hãy viết ví dụ 6,5 hoặc 6.5."
                    )
                    % {"label": self.label, "field": self.fields[name].label, "value": typed},
                )
                stored[name] = typed
        return Results.build(
            baseline=stored["baseline"],
            years={y: (stored[f"y{y}"], bool(cleaned.get(f"e{y}"))) for y in self.years},
            forecast=stored["forecast"],
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not self.is_touched:
            return cleaned
        n = {"label": self.label}
        value, dropped = without_unit(cleaned.get("value", ""), self.indicator.unit or "")
        if dropped:
            self.units_dropped.append(f"{self.label}, {self.fields['value'].label}")
        cleaned["value"] = value
        try:
            cleaned["value"] = stored_amount(cleaned.get("value", ""))
        except ValueError:
            self.add_error(
                "value",
                _("%(label)s: “%(value)s” không phải là số hợp lệ; hãy viết ví dụ 6,5 hoặc 6.5.")
                % {**n, "value": cleaned.get("value", "")},
            )
        cleaned["note"] = normalise_note(cleaned.get("note", ""))
        cleaned["results"] = self._clean_results(cleaned)
        status = cleaned.get("status")
        self._remember_typed_suggestion(cleaned["results"], status, noted=bool(cleaned["note"]))
        # The tick belongs to "Đạt và vượt" (the page hides it beside any other choice): a tick
        # left behind after switching to another status is dropped, never refused.
        cleaned["exceeded"] = bool(cleaned.get("exceeded")) and status == Status.ACHIEVED
        # The form shows results only with a term; without it there are none to disagree with.
        suggested = None
        if status and self.term:
            results = cleaned["results"] if cleaned["results"] is not None else Results.of(self.assessment)
            suggestion = suggestion_for(indicator=self.indicator, results=results, term=self.term)
            suggested = suggested_at_stage(suggestion.status, self.assessment.stage) if suggestion else None
        for problem in assessment_problems(status=status or "", note=cleaned["note"], suggested=suggested):
            if problem.severity(Moment.ASSESS) == Severity.ERROR:
                self.add_error("note", problem.message(self.label))
        return cleaned

    def _remember_typed_suggestion(self, results: Results | None, status: str | None, *, noted: bool) -> None:
        """When the page comes back with errors, its summary shows what the numbers just typed
        suggest (the same the error message names), not the suggestion stored before."""
        if results is None or not self.term or any(n in self.errors for n in self.result_field_names):
            return
        suggestion = suggestion_for(indicator=self.indicator, results=results, term=self.term)
        suggested = suggested_at_stage(suggestion.status, self.assessment.stage) if suggestion else ""
        self.typed_suggestion = (suggested, status or "", noted)

    @property
    def suggestion_shown(self) -> dict[str, object]:
        """{"status", "label", "disagrees", "explained"} for the row's summary: typed numbers (and
        note) first, else as stored. A disagreement a note explains reads "đã giải trình"."""
        if self.typed_suggestion is None:
            a = self.assessment
            label = a.get_suggested_status_display()
            return {
                "status": a.suggested_status,
                "label": label,
                "disagrees": a.disagrees,
                "explained": a.explained,
            }
        suggested, status, noted = self.typed_suggestion
        disagrees = bool(suggested) and status not in ("", Status.NOT_ASSESSED, suggested)
        return {
            "status": suggested,
            "label": Status(suggested).label if suggested else "",
            "disagrees": disagrees,
            "explained": disagrees and noted,
        }

    def describe_errors(self) -> None:
        """Tie each error to its input (aria-describedby) once validation has run."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"

    def edit(self) -> AssessmentEdit:
        c = self.cleaned_data
        return AssessmentEdit(
            assessment_id=self.assessment.pk,
            status=c["status"],
            exceeded=bool(c.get("exceeded")),
            value=c["value"],
            note=c["note"],
            expected_version=c["version"],
            results=c.get("results"),
        )


def _ticked(raw: str) -> bool:
    return raw in ("on", "true", "1")


def posted_digest(data: Mapping[str, str], prefix: str, years: list[int], *, with_results: bool) -> str:
    """The fingerprint of what a row posted under `prefix` (a row form's `is_touched` compares it
    with the `orig` the page carried); the results over time count only when the page showed them."""

    def raw(name: str) -> str:
        return data.get(f"{prefix}-{name}", "")

    results = None
    if with_results and f"{prefix}-baseline" in data:
        results = Results.build(
            baseline=raw("baseline").strip(),
            years={y: (raw(f"y{y}").strip(), _ticked(raw(f"e{y}"))) for y in years},
            forecast=raw("forecast").strip(),
        )
    return digest(raw("status"), raw("value"), raw("note"), results, exceeded=_ticked(raw("exceeded")))


def plainly_untouched(data: Mapping[str, str], prefix: str, years: list[int], *, with_results: bool) -> bool:
    """True only when the row form would find the row posted under `prefix` untouched AND free
    of errors, read from the posted strings alone: the fingerprint is the one the page showed, the
    version a plain number, the status one of the choices, and every text within its field's
    length, without a NUL (a field only ever shortens a text: strips it, drops bidi controls).
    Anything else (None of these sure) is left to the row form, which decides as before; so the
    save of one indicator builds and checks one row form, not one per indicator on the page."""

    def raw(name: str) -> str:
        return data.get(f"{prefix}-{name}", "")

    if posted_digest(data, prefix, years, with_results=with_results) != raw("orig"):
        return False
    version = raw("version").strip()
    if not (version.isascii() and version.isdigit()) or raw("status") not in Status.values:
        return False
    texts = [(raw("value"), 200), (raw("note"), NOTE_MAX_LENGTH)]
    if with_results:
        texts += [(raw(name), 200) for name in ("baseline", *(f"y{y}" for y in years), "forecast")]
    return all(len(text) <= limit and "\x00" not in text for text, limit in texts)


def posted_as_stored(
    data: Mapping[str, str], prefix: str, assessment: Assessment, years: list[int], *, with_results: bool
) -> bool:
    """True when the row posted under `prefix` is, string for string, what the card drawn from
    `assessment` as stored posts (its version and fingerprint too; a textarea's CRLF aside): its form
    would draw the very card the page draws from the row, so a page shown again need not build it."""

    def raw(name: str) -> str:
        return data.get(f"{prefix}-{name}", "")

    a = assessment
    stored = Results.of(a)
    shown = {
        "status": a.status,
        "exceeded": "on" if a.exceeded else "",
        "value": a.value,
        "version": str(a.version),
        "orig": digest(a.status, a.value, a.note, stored if with_results else None, exceeded=a.exceeded),
    }
    if with_results:
        shown |= {"baseline": stored.baseline, "forecast": stored.forecast}
        for year in years:
            value = stored.value_of(year)
            shown |= {
                f"y{year}": value.value if value else "",
                f"e{year}": "on" if value and value.estimate else "",
            }
    return raw("note").replace("\r\n", "\n") == a.note and all(raw(name) == v for name, v in shown.items())


def card_key(
    *,
    card_parts: tuple,
    label: str,
    disabled: bool,
    term: Term | None,
    indicator: Indicator,
    assessment: Assessment,
    n_parts: int = 0,
) -> str:
    """The cache key of a card as stored, drawn from every row it shows (the indicator, its
    assessment, who saved it last) and how it is drawn (the view's `card_parts`: the committee of
    its links; the term; whether it may be edited). The same for the form's row and the page's
    (reviews/forms/assess_shown.py): both draw the same HTML."""
    # Only what the card shows of who saved it last (their name), never their whole row: a
    # login or a new password hash is no reason to draw the card again.
    saved_by = person_name(assessment.updated_by) if assessment.updated_by is not None else None
    return fragments.fragment_key(
        "assess-card",
        *card_parts,
        label,
        disabled,
        n_parts,  # a group's card says how many parts it has
        term.code if term else None,
        fragments.values(indicator),
        fragments.values(assessment),
        saved_by,
    )


def indicator_label(indicator: Indicator, *, with_resolution: bool) -> str:
    if with_resolution:
        return _("Chỉ tiêu %(number)s (Nghị quyết %(resolution)s)") % {
            "number": indicator.number,
            "resolution": indicator.resolution.number,
        }
    return _("Chỉ tiêu %(number)s") % {"number": indicator.number}


class AssessmentForm:
    """All rows of a committee's form; valid when every row is; yields the edits of touched rows.

    A row form is built when it is needed: on a save, only for the rows the POST may change or
    find fault with (plainly_untouched sorts out the others from the posted strings); every row
    when the page is drawn again (errors, a conflict), each then as it would always have been."""

    def __init__(
        self,
        indicators: list[Indicator],
        data: QueryDict | None = None,
        *,
        disabled: bool = False,
        term: Term | None = None,
        card_parts: tuple = (),
    ):
        # A mutable copy: after a conflict the refused rows are re-based on the stored versions.
        # A plain dict of each field's value (the form posts one value a field), not QueryDict's
        # copy, which deep-copies every value list.
        self.data: dict[str, str] | None = (
            {key: data.get(key, "") for key in data} if data is not None else None
        )
        self.indicators = indicators
        self.several = len({i.resolution_id for i in indicators}) > 1
        self.disabled = disabled
        self.term = term
        self.years = list(range(term.start_year + 1, term.end_year + 1)) if term else []
        self.card_parts = card_parts
        self._built: dict[int, AssessmentRowForm] = {}
        self.conflicts: list[AssessmentRowForm] = []
        # How many parts each group has and the groups' numbers, given to each row as it is built
        # (only the rows a save checks are built: plainly_untouched).
        self._n_parts: dict[int, int] = {}
        for i in indicators:
            if i.group_id is not None:
                self._n_parts[i.group_id] = self._n_parts.get(i.group_id, 0) + 1
        self._numbers = {i.pk: i.number for i in indicators}

    def _row(self, indicator: Indicator) -> AssessmentRowForm:
        row = self._built.get(indicator.pk)
        if row is None:
            # A row absent from the POST (a partial form) stays unbound: untouched, never saved.
            posted = self.data is not None and f"i{indicator.pk}-status" in self.data
            row = self._built[indicator.pk] = AssessmentRowForm(
                self.data if posted else None,
                indicator=indicator,
                label=indicator_label(indicator, with_resolution=self.several),
                disabled=self.disabled,
                term=self.term,
                card_parts=self.card_parts,
            )
            row.n_parts = self._n_parts.get(indicator.pk, 0)
            row.group_number = self._numbers.get(indicator.group_id or 0, "")
        return row

    @cached_property
    def rows(self) -> list[AssessmentRowForm]:
        return [self._row(i) for i in self.indicators]

    @cached_property
    def checked_rows(self) -> list[AssessmentRowForm]:
        """The rows a save must check, in page order: every posted row but the plainly untouched."""
        if self.data is None:
            return self.rows
        data = self.data
        return [
            self._row(i)
            for i in self.indicators
            if f"i{i.pk}-status" in data
            and not plainly_untouched(data, f"i{i.pk}", self.years, with_results=self.term is not None)
        ]

    def is_valid(self) -> bool:
        for row in self.checked_rows:  # every row, so the summary lists all errors, not just the first
            row.describe_errors()
        return all(not row.errors for row in self.checked_rows)

    def row_form(self, indicator: Indicator) -> AssessmentRowForm:
        return self._row(indicator)

    def drawn_as_stored(self, indicator: Indicator) -> bool:
        """Whether a page shown again (errors, a conflict) may draw this row's card from the row as
        stored (reviews/forms/assess_shown.py) rather than through its form: a row not posted (its
        form is unbound), or posted exactly as the card as stored posts it. Never a row the save
        checked: what was typed, its errors and a conflict are drawn by the form."""
        prefix = f"i{indicator.pk}"
        if self.data is None or f"{prefix}-status" not in self.data:
            return True
        if any(row.indicator.pk == indicator.pk for row in self.checked_rows):
            return False
        return posted_as_stored(
            self.data, prefix, indicator.assessment, self.years, with_results=self.term is not None
        )

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(input id, message) of every error, in page order, for the summary at the top (only a
        row the save checked can have one: plainly_untouched)."""
        out: list[tuple[str, str]] = []
        for row in self.checked_rows:
            for name, errors in row.errors.items():
                shown = ("status", "value", "note", *row.result_field_names)
                target = row[name].auto_id if name in shown else row["status"].auto_id
                out += [(target, str(message)) for message in errors]
        return out

    def edits(self) -> list[AssessmentEdit]:
        return [row.edit() for row in self.checked_rows if row.is_bound and row.is_touched]

    @property
    def units_dropped(self) -> list[str]:
        """ "Chỉ tiêu 3, Dự báo 2025" for every field whose typed unit was taken off its number."""
        return [where for row in self.checked_rows for where in row.units_dropped]

    def mark_conflicts(self, conflicts: list[Conflict]) -> None:
        """Show the stored values next to the user's input, and re-base those rows on them, so
        saving again is a deliberate choice made with the colleague's change in view."""
        assert self.data is not None, "a conflict comes from a submitted form"
        by_id = {c.assessment.pk: c.assessment for c in conflicts}
        for row in self.checked_rows:  # a conflict is a row saved: a row checked
            current = by_id.get(row.assessment.pk)
            if current is None:
                continue
            row.conflict = current
            self.data[row.add_prefix("version")] = str(current.version)
            self.data[row.add_prefix("orig")] = row.digest_of(current)
            self.conflicts.append(row)
