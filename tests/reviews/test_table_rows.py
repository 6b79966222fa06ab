"""`{% table_row %}` (reviews.templatetags.table_rows) draws a table's rows as the template loop it
replaced did, to the byte: every table of the demo's pages, in both languages, and a name that needs
escaping."""

import itertools
from pathlib import Path

import pytest
from django.conf import settings
from django.template import RequestContext, Template
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from indicators.models import Committee
from indicators.services.committees import committee_update

from .dashboard_data import demo  # noqa: F401  (fixture)

# The row as reviews/_table.html drew it with the template language.
LOOP = (
    "<tr {{ row.attrs.as_html }}>{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>"
    '{% if cell != "" %}<span class="cell-label">{{ column.header }}: </span>{{ cell }}{% endif %}</td>'
    "{% endfor %}</tr>"
)
TABLE_TEMPLATE = Path(settings.BASE_DIR) / "reviews" / "templates" / "reviews" / "_table.html"


def _as_loop() -> Template:
    source = TABLE_TEMPLATE.read_text(encoding="utf-8")
    assert "{% table_row row %}" in source
    return Template(source.replace("{% table_row row %}", LOOP))


def _tables(response) -> list:
    context = response.context
    found = []
    for name in ("children_table", "table"):
        table = context.get(name)
        if table is not None and hasattr(table, "rows"):
            found.append(table)
    for _resolution, table in context.get("indicator_groups") or []:
        found.append(table)
    return found


@pytest.mark.usefixtures("demo")
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("page", ["dashboard", "trouble", "campaign", "campaign_overdue"])
def test_every_table_is_drawn_as_the_template_loop_drew_it(admin_client, page, language):
    bk = Committee.objects.get(code="BK-CD", term__code="2020-2025")
    # A name the page must escape (the cell of a committee's name, in the children's tables).
    child = Committee.objects.filter(parent=bk).order_by("code").first()
    committee_update(committee=child, name='Xã <b>Tân</b> & "Lập"', level=child.level, parent=bk)
    with translation.override(language):
        response = admin_client.get(f"{reverse(page, args=['BK-CD'])}?term=2020-2025")
        assert response.status_code == 200
        tables = _tables(response)
        assert tables, "the page shows a table"
        request = RequestFactory().get(response.wsgi_request.get_full_path())
        request.user = response.wsgi_request.user
        rows = 0
        for table in tables:
            # Each drawing counts the rows afresh (django-tables2 numbers them for odd/even on the table).
            table._counter = itertools.count()
            drawn = get_template("reviews/_table.html").render({"table": table}, request)
            table._counter = itertools.count()
            looped = _as_loop().render(RequestContext(request, {"table": table}))
            assert drawn == looped
            rows += len(table.rows)
        assert rows > 0 or page == "campaign_overdue"  # nobody is overdue in the demo
        if page in ("dashboard", "campaign"):
            assert "Xã &lt;b&gt;Tân&lt;/b&gt; &amp; &quot;Lập&quot;" in response.content.decode()
