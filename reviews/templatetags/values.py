"""`{{ text|display_value }}`: a typed number shown in the reader's language (6,5 / 6.5)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from indicators.tally import percent_text
from indicators.values import display_value as _display_value

register = template.Library()


@register.filter
def display_value(text):
    return _display_value(text or "")


@register.filter
def percent(value):
    """`{{ share|percent }}`: a percent from indicators.tally.percent (one decimal, half up): 84,4%."""
    return percent_text(value)


@register.filter
def progress_percent(progress):
    """`{{ assessment.progress|progress_percent }}`: the suggestion's progress r (1 = the target
    reached) as a percent, one decimal, half up like every other percent: 0.662 → 66,2%."""
    if progress is None:
        return percent_text(None)
    return percent_text(Decimal(str(progress * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
