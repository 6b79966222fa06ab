"""`{{ name|keep_pairs }}`: word pairs of a Party document that must not break across lines."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# "Đảng / bộ" at a line end reads as two words; these pairs stay on one line (CSS .keep: nowrap).
_PAIRS = re.compile(r"(?<!\w)(Đảng bộ|Đảng ủy|Nghị quyết|Đại hội|nhiệm kỳ)(?!\w)", re.IGNORECASE)


@register.filter(needs_autoescape=True)
def keep_pairs(text, autoescape=True):
    escaped = conditional_escape(text) if autoescape else str(text)
    return mark_safe(_PAIRS.sub(r'<span class="keep">\1</span>', escaped))  # noqa: S308 -- escaped above
