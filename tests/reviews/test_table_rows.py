"""reviews.templatetags.table_rows draws a row exactly as the template's loop over its cells did:
attributes, labels, escaping and localized numbers, an empty cell without its label, and a column
whose attributes depend on the row worked out per cell."""

import django_tables2 as tables
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

# The row block of reviews/_table.html before the tag drew it.
CELL_LOOP = Template(
    "{% for row in table.rows %}<tr {{ row.attrs.as_html }}>{% for column, cell in row.items %}"
    '<td {{ column.attrs.td.as_html }}>{% if cell != "" %}<span class="cell-label">{{ column.header }}: '
    "</span>{{ cell }}{% endif %}</td>{% endfor %}</tr>{% endfor %}"
)
TAG = Template("{% load table_rows %}{% for row in table.rows %}{% table_row row %}{% endfor %}")


class Sample(tables.Table):
    name = tables.Column(verbose_name="Đơn vị <A&B>", attrs={"td": {"class": "card-title"}})
    share = tables.Column(verbose_name="Tỷ lệ", attrs={"td": {"class": "num"}})
    html = tables.Column(verbose_name="Trạng thái", empty_values=())
    level = tables.Column(
        verbose_name="Cấp", attrs={"td": {"data-level": lambda record: record["level"]}}, empty_values=()
    )

    class Meta:
        attrs = {"class": "data"}


ROWS = [
    {"name": 'Xã <Tân> & "Mỹ"', "share": 12.5, "html": mark_safe("<b>Đạt</b>"), "level": "xã"},
    {"name": "Huyện", "share": None, "html": "", "level": "huyện"},
    {"name": "مرحبا\u202e", "share": 1234567, "html": "<script>", "level": ""},
]


def _drawn(template: Template) -> str:
    table = Sample(ROWS)
    request = RequestFactory().get("/")
    return template.render(Context({"table": table, "request": request}))


def test_the_tag_draws_every_row_as_the_templates_loop_did_in_both_languages():
    for language in ("vi", "en"):
        with translation.override(language):
            expected = _drawn(CELL_LOOP)
            assert _drawn(TAG) == expected
    assert 'data-level="xã"' in expected and 'data-level="huyện"' in expected  # per cell, not cached
    assert "&lt;script&gt;" in expected and "<b>Đạt</b>" in expected
    assert "Đơn vị &lt;A&amp;B&gt;: " in expected


def test_an_empty_cell_has_no_label_and_a_number_is_localized():
    with translation.override("vi"):
        rows = _drawn(TAG).split("</tr>")
    assert "<td ></td>" in rows[1]  # the empty status: no "Trạng thái: " label
    assert '<td data-level=""></td>' in rows[2]
    assert '<span class="cell-label">Tỷ lệ: </span>12,5</td>' in rows[0]
