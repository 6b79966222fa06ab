"""One row of reviews/_table.html, drawn in Python.

django-tables2 works a column's attributes out afresh each time a template reads them
(`BoundColumn.attrs` merges the table's and the column's dicts and adds its classes), and the
template read them, and the column's header, once per cell: drawing the cells was about half of a
dashboard's CPU whenever its cached fragments were cold. Here each column's `<td>` attributes and
label are worked out once per table; the HTML is the template's, byte for byte."""

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def table_row(context, row) -> SafeString:
    """`<tr …><td …><span class="cell-label">Header: </span>cell</td>…</tr>`; an empty cell has no label."""
    drawn = _columns_drawn(row.table)
    html = [f"<tr {render_value_in_context(row.attrs.as_html(), context)}>"]
    for column, cell in row.items():
        td, label = drawn.get(column.name) or _column_drawn(column, context)
        if cell == "":
            html.append(f"<td {td}></td>")
        else:
            html.append(f'<td {td}><span class="cell-label">{label}: </span>')
            html.append(f"{render_value_in_context(cell, context)}</td>")
    html.append("</tr>")
    return mark_safe("".join(html))  # noqa: S308 - every part escaped as the template's {{ }} did


def _columns_drawn(table) -> dict[str, tuple[str, str]]:
    # Kept on the table: one render of it, one language, one request.
    return table.__dict__.setdefault("_columns_drawn", {})


def _column_drawn(column, context) -> tuple[str, str]:
    """The column's `<td>` attributes and its label as the template drew them; kept for the rest of
    the table unless its attributes are worked out per cell (a callable, given the row)."""
    attrs = column.attrs  # read once: each read builds them again
    drawn = (
        render_value_in_context(attrs["td"].as_html(), context),
        render_value_in_context(column.header, context),
    )
    if not _per_cell(column):
        _columns_drawn(column._table)[column.name] = drawn
    return drawn


def _per_cell(column) -> bool:
    own = column.column.attrs
    table = column._table.attrs
    return any(
        callable(value)
        for attrs in (own, table)
        for key in ("td", "cell")
        for value in (attrs.get(key) or {}).values()
    )
