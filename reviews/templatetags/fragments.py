"""`{% fragment key %}…{% endfragment %}`: the enclosed template, cached under a key the view
computed from the data it shows (reviews.fragments); on a hit the enclosed template is not rendered."""

from django import template

from ..fragments import cached

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, key: template.base.FilterExpression):
        self.nodelist = nodelist
        self.key = key

    def render(self, context) -> str:
        key = self.key.resolve(context)
        if not key:  # no key given: the fragment is not cached
            return self.nodelist.render(context)
        return cached(str(key), lambda: self.nodelist.render(context))


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("usage: {% fragment key %}…{% endfragment %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))
