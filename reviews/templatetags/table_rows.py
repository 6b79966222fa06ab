"""`{% table_row row %}`: one row of a django-tables2 table (reviews/_table.html), drawn in Python.

The same HTML as the template loop it replaces (`<td {{ column.attrs.td.as_html }}>`, the column's
name for the narrow screen's cards, then the cell, nothing for an empty one), each value put in as
the template would put it (localized, escaped unless marked safe). Drawn by the template language, a
cell cost about as much again as django-tables2's own work on it: a dashboard whose tables are not
cached (a district's on deadline day, its communes saving all the time) spent most of its time there."""

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def table_row(context, row) -> SafeString:
    parts = [f"<tr {row.attrs.as_html()}>"]
    for column, cell in row.items():
        parts.append(f"<td {column.attrs['td'].as_html()}>")
        if cell != "":
            header = render_value_in_context(column.header, context)
            parts.append(
                f'<span class="cell-label">{header}: </span>{render_value_in_context(cell, context)}'
            )
        parts.append("</td>")
    parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 -- every value went through render_value_in_context
