"""Big committees can save: every field the assessment page of 100 indicators posts (every "ước"
ticked) is read and saved; a POST past the bound gets the site's own page in the user's language."""

from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from indicators.models import Assessment


class _Inputs(HTMLParser):
    """The name/value pairs a browser posts for the page's assessment form, every checkbox ticked."""

    def __init__(self):
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "assess-form" in (a.get("class") or ""):
            self._in_form = True
        if not self._in_form or a.get("disabled") is not None or not a.get("name"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "radio" and "checked" not in a:
                return
            if kind == "checkbox":
                self.pairs.append((a["name"], a.get("value", "on")))
            elif kind != "submit":
                self.pairs.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea = a["name"]

    def handle_data(self, data):
        if self._textarea:
            self.pairs.append((self._textarea, data))
            self._textarea = None

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.pairs.append((self._textarea, ""))
            self._textarea = None
        if tag == "form":
            self._in_form = False


@pytest.fixture
def big(make_committee, make_indicators, make_user, client):
    committee = make_committee("BIG")
    make_indicators(committee, ["achieved"] * 100)
    client.force_login(make_user("sec", committee, "secretary"))
    return committee


def _page_fields(client, url) -> list[tuple[str, str]]:
    parser = _Inputs()
    parser.feed(client.get(url).content.decode())
    return parser.pairs


def test_a_committee_of_100_indicators_saves_with_every_estimate_ticked(client, big):
    url = reverse("assess", args=["BIG"]) + "?term=2020-2025"
    pairs = _page_fields(client, url)
    per_indicator = sum(1 for name, _v in pairs if name.startswith("i")) / 100
    # The bound is sized from the form's own count: it holds while the form stays within it.
    assert per_indicator <= settings.ASSESS_FIELDS_PER_INDICATOR
    assert len(pairs) > 1000  # what Django's default bound refused
    first = Assessment.objects.filter(indicator__resolution__committee=big).order_by("indicator_id").first()
    prefix = f"i{first.indicator_id}-"
    pairs = [(n, "hard" if n == prefix + "status" else v) for n, v in pairs]
    pairs = [(n, "Thiếu vốn" if n == prefix + "note" else v) for n, v in pairs]
    body = urlencode(pairs).encode()
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302, response.content.decode()[:2000]
    first.refresh_from_db()
    assert (first.status, first.note) == ("hard", "Thiếu vốn")


@pytest.mark.parametrize(
    ("lang", "words"), [("vi", "Biểu mẫu quá lớn, chưa lưu"), ("en", "The form is too large")]
)
def test_a_refused_form_gets_the_sites_own_page_in_her_language(client, big, settings, lang, words):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    url = reverse("assess", args=["BIG"]) + "?term=2020-2025"
    body = urlencode([(f"f{i}", "1") for i in range(60)]).encode()
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    page = response.content.decode()
    assert response.status_code == 400
    assert words in page and 'class="site-header"' in page
    assert "Bad Request (400)" not in page
