"""`{{ text|display_value }}`: a typed number shown in the reader's language (6,5 / 6.5)."""

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
