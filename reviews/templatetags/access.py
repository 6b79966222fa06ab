"""`{% may_open committee as ok %}`: whether the page's user may open a committee (the one access rule)."""

from django import template

from indicators.access import Action, can

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context, committee) -> bool:
    return can(context["request"].user, committee, Action.VIEW)
