"""The assessment form stays light on a phone: 66 indicators, their yearly fields included, in under
150 kB transferred (HTML, CSS and JS, compressed), no request per indicator (issue 15). That it works
without JavaScript is tested in a browser with JavaScript off (tests/e2e/test_phone.py)."""

import gzip
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

LIMIT = 150_000


def test_66_indicators_weigh_under_150_kb_with_no_script_and_no_request_per_indicator(
    client, make_committee, make_indicators, make_user
):
    commune = make_committee("X")
    make_indicators(commune, ["achieved", "hard", "not_achieved", "not_assessed"] * 16 + ["achieved"] * 2)
    client.force_login(make_user("sec", commune, "secretary"))
    url = reverse("assess", args=["X"]) + "?term=2020-2025"
    html = client.get(url).content
    # What travels: the page compressed by the server itself (GZipMiddleware), whatever the proxy.
    sent = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert sent["Content-Encoding"] == "gzip"
    assert gzip.decompress(sent.content).count(b'type="radio" name="i') == 5 * 66
    assert html.count(b'type="radio" name="i') == 5 * 66

    # What the page loads besides itself: its stylesheets and one small script, nothing per indicator.
    page = html.decode()
    assert "<img" not in page and "<iframe" not in page
    sheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', page)
    assert sheets == ["css/site.css", "css/assess.css"]
    scripts = re.findall(r'<script src="/static/([^"]+)"', page)
    assert len(scripts) <= 1 and page.count("<script") == len(scripts)
    sheets += scripts
    icons = re.findall(r'<link rel="icon" href="/static/([^"]+)"', page)
    assert len(re.findall(r'(?:src|href)="/static/', page)) == len(sheets) + len(icons)

    static = Path(settings.BASE_DIR) / "static"
    weight = len(sent.content) + sum(len(gzip.compress((static / s).read_bytes())) for s in sheets)
    assert weight < LIMIT
