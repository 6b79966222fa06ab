"""The rows of one batch validated as full_clean validates each (indicators.services._validation's
_BatchValidator), a text value cleaned once per column however many rows repeat it."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CharField, DateTimeField
from django.utils import timezone

from indicators.models import Assessment, Indicator, Status
from indicators.services._validation import _BatchValidator

EXCLUDE = ["resolution", "group"]


def _indicator(number: str, **values) -> Indicator:
    return Indicator(number=number, sort_key=number, text=values.pop("text", f"Chỉ tiêu {number}"), **values)


def test_a_value_repeated_in_a_batch_is_cleaned_once_per_column(monkeypatch):
    cleaned = []
    monkeypatch.setattr(CharField, "clean", _counting(CharField.clean, cleaned))
    valid = _BatchValidator(exclude=EXCLUDE)
    for number in ("1", "2", "3"):
        valid(_indicator(number, unit="%", measure="level"))
    assert cleaned.count(("unit", "%")) == 1
    assert cleaned.count(("measure", "level")) == 1
    # Each row's own values are cleaned in their row.
    assert [v for name, v in cleaned if name == "number"] == ["1", "2", "3"]


def test_a_batch_refuses_a_bad_value_in_any_row_even_after_good_ones():
    valid = _BatchValidator(exclude=EXCLUDE)
    valid(_indicator("1", measure="level", unit="%"))
    with pytest.raises(ValidationError) as refused:
        valid(_indicator("2", measure="nonsense", unit="%"))
    assert set(refused.value.message_dict) == {"measure"}
    with pytest.raises(ValidationError) as refused:
        valid(_indicator("3", unit="x" * 61))
    assert set(refused.value.message_dict) == {"unit"}
    # A value refused once is refused again: only valid values are remembered.
    with pytest.raises(ValidationError):
        valid(_indicator("4", measure="nonsense"))


def test_a_value_the_clean_converts_is_converted_in_every_row():
    valid = _BatchValidator(exclude=EXCLUDE)
    rows = [_indicator(n, unit=7) for n in ("1", "2")]
    for row in rows:
        valid(row)
    assert [row.unit for row in rows] == ["7", "7"]


def test_the_model_clean_and_the_other_fields_still_run_on_every_row():
    valid = _BatchValidator(exclude=EXCLUDE)
    valid(_indicator("1", text="Một"))
    with pytest.raises(ValidationError) as refused:
        valid(_indicator("2", text=""))
    assert "text" in refused.value.message_dict


def test_equal_values_of_other_types_are_cleaned_apart():
    """1 and True are equal: a True after a valid 1 is still converted by its row's clean."""
    valid = _BatchValidator(exclude=["indicator", "updated_by"])
    valid(Assessment(version=1))
    converted = Assessment(version=True)
    valid(converted)
    assert type(converted.version) is int


def test_a_choice_and_the_time_of_the_change_repeated_in_a_batch_are_cleaned_once(monkeypatch):
    """A status given as its member (Status.HARD, as the import gives it) and the time every row of
    a batch shares are cleaned in the first row only; a bad status is still refused after them."""
    cleaned = []
    for field_class in (CharField, DateTimeField):
        monkeypatch.setattr(field_class, "clean", _counting(field_class.clean, cleaned))
    valid = _BatchValidator(exclude=["indicator", "updated_by"])
    now = timezone.now()
    for _row in range(3):
        valid(Assessment(status=Status.HARD, updated_at=now))
    assert cleaned.count(("status", Status.HARD)) == 1
    assert cleaned.count(("updated_at", now)) == 1
    with pytest.raises(ValidationError) as refused:
        valid(Assessment(status="nonsense", updated_at=now))
    assert set(refused.value.message_dict) == {"status"}


def _counting(clean, cleaned: list):
    def counting(field, value, instance):
        cleaned.append((field.name, value))
        return clean(field, value, instance)

    return counting
