"""The load generator's quick read of the assessment form (loadtest/forms.py) finds the fields the
whole HTML parser finds: on the real page with hostile values, notes over several lines and yearly
ticks, and on markup written every way HTML allows."""

from html.parser import HTMLParser

import pytest

from loadtest.forms import FormFields
from tests.reviews.test_assess_shown import commune, url  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _both(page: str) -> tuple[dict[str, str], dict[str, str]]:
    quick = FormFields()
    quick.feed(page)
    whole = FormFields()
    HTMLParser.feed(whole, page)
    return quick.fields, whole.fields


def test_the_real_page_gives_the_whole_parsers_fields(client, commune, url, make_user):  # noqa: F811
    client.force_login(make_user("bithu", commune, "secretary"))
    quick, whole = _both(client.get(url).content.decode())
    assert quick == whole
    # The hostile stored values come back as stored: a value with quotes and brackets, a note over
    # three lines, a yearly tick.
    assert '6,5 "<&>"' in quick.values()
    assert any(v.startswith("Một\n<b>") for v in quick.values())
    assert "on" in quick.values()


@pytest.mark.parametrize(
    "markup",
    [
        # Quoted either way, unquoted, no value, upper case, a self-closing slash.
        '<INPUT Name=\'a\' VALUE=1><input name="b" value="x &amp; y"/><input name=c disabled>',
        # A tick without a value, one unticked, a button and a submit (never posted).
        '<input type="checkbox" name="t" checked><input type="checkbox" name="u" value="1">'
        '<input type="submit" name="go" value="Lưu"><input type="button" name="b2" value="x">',
        # A select with a chosen option, one with none (the first is posted), options unquoted.
        '<select name="s"><option value="1">A</option><option value="2" selected>B</option></select>'
        "<select name=r><option value=x>X<option value=y>Y</select>",
        # A note: its first newline dropped, entities read, a "<" escaped, attributes on the tag.
        '<textarea name="n" rows="3">\n\nhai &lt;b&gt; &amp; ba\r\n</textarea><textarea name="e"></textarea>',
        # Right-to-left text and a NUL-free foreign script in a value.
        '<input name="rtl" value="مرحبا ‮abc"><input name="zh" value="指标 &#34;x&#34;">',
    ],
)
def test_markup_written_every_way_gives_the_whole_parsers_fields(markup):
    page = (
        '<form class="inline"><input name="outside" value="never"></form>'
        f'<p>text <b>bold</b></p><form method="post" class="assess-form" novalidate>{markup}</form>'
        '<input name="after" value="never">'
    )
    quick, whole = _both(page)
    assert quick == whole
    assert "outside" not in quick and "after" not in quick
