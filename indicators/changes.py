"""What a history row changed, as lines a person reads: "Mục tiêu: 1 → 2", "Năm 2022: — → 4,5 (ước)".

History rows keep machine-readable JSON (ContentChange.old/new, AssessmentChange.old/new_results);
the indicator's page and the admin show them through here, so both read the same and neither
shows raw JSON."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Indicator, target_with_adjustment
from .results import Results, YearResult

# What an indicator's target is: the Congress's, and an adjustment with its decision (one line).
TARGET_FIELDS = ("target", "target_adjusted", "target_adjusted_by")


# Content a history row keeps that is no model field (the workbook's own columns), by its label.
CONTENT_LABELS = {"part_of": gettext_lazy("Thuộc nhóm chỉ tiêu")}


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str  # "" where there was nothing (a creation, an empty field)
    new: str  # "" where nothing is left (a deletion, a cleared field)


def _year_text(result: YearResult | None) -> str:
    if result is None:
        return ""
    return f"{result.value} ({_('ước')})" if result.estimate else result.value


def results_lines(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[ChangeLine]:
    """The baseline, each year and the forecast that differ between two stored results, in that
    order; an estimate turned actual with the same figure is a change too ("4,5 (ước) → 4,5")."""
    if old is None and new is None:
        return []
    before, after = Results.from_json(old or {}), Results.from_json(new or {})
    lines = []
    if before.baseline != after.baseline:
        lines.append(ChangeLine(_("Đầu kỳ"), before.baseline, after.baseline))
    for year in sorted({r.year for r in before.years} | {r.year for r in after.years}):
        was, now = _year_text(before.value_of(year)), _year_text(after.value_of(year))
        if was != now:
            lines.append(ChangeLine(_("Năm %(year)s") % {"year": year}, was, now))
    if before.forecast != after.forecast:
        lines.append(ChangeLine(_("Dự báo cuối kỳ"), before.forecast, after.forecast))
    return lines


def _field_text(field: Any, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("có") if value else _("không")
    return str(value)


def content_lines(
    model: type[models.Model], old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> list[ChangeLine]:
    """The fields of a resolution's or an indicator's content change (ContentChange), each under
    its field's own label and with choices shown by name ("Xây dựng Đảng …", not "party_building").
    A creation lists every field it was created with, a deletion every field it had."""
    old, new = old or {}, new or {}
    lines = []
    targets = model is Indicator and any(name in TARGET_FIELDS for name in (*old, *new))
    for name in dict.fromkeys([*old, *new]):  # the stored order, each field once
        if targets and name in TARGET_FIELDS:
            if name == next(n for n in (*old, *new) if n in TARGET_FIELDS):  # once, where the first is
                before, after = _targets_text(old), _targets_text(new)
                if before != after:
                    lines.append(ChangeLine(str(_("Mục tiêu")), before, after))
            continue
        was, now = old.get(name), new.get(name)
        if was == now:
            continue
        field: Any
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a field since removed from the model: still shown, by its name
            field = None
        before, after = _field_text(field, was), _field_text(field, now)
        if before == after:  # nothing a person sees changed: "" stored where there was no key
            continue
        if field is not None:
            label = _first_upper(str(field.verbose_name))
        else:  # a content key of its own ("part_of"), else a field since removed: by its name
            label = str(CONTENT_LABELS.get(name, name))
        lines.append(ChangeLine(label, before, after))
    return lines


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]  # "STT" stays "STT" (str.capitalize would write "Stt")


def _targets_text(content: Mapping[str, Any]) -> str:
    """ "7,5 – 8; điều chỉnh: 6 theo 15-NQ/TU ngày 10/3/2022" from the target fields a history row
    holds (only those that changed, or all of them on a creation); "không điều chỉnh" where a row
    about the adjustment alone has none (cleared, or not yet made)."""
    parts = []
    if content.get("target"):
        parts.append(content["target"])
    adjusted = content.get("target_adjusted", "")
    if adjusted:
        parts.append(target_with_adjustment("", adjusted, content.get("target_adjusted_by", "")))
    elif "target_adjusted" in content and "target" not in content:
        parts.append(_("không điều chỉnh"))
    elif content.get("target_adjusted_by") and "target_adjusted" not in content:
        parts.append(_("văn bản điều chỉnh: %(decision)s") % {"decision": content["target_adjusted_by"]})
    return "; ".join(parts)
