"""Both catalogs complete and compiled; English pages in English; dates and numbers in the page's language."""

import gettext
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import polib
import pytest
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.utils import formats, translation

from indicators.values import display_value
from reviews.management.commands.load_demo import DEMO_PEOPLE

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGS = ["vi", "en"]
# Letters only Vietnamese uses (lower and upper case): English UI text must contain none of them.
VIETNAMESE = re.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.I)


def _po(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_has_no_untranslated_or_fuzzy_entry(lang):
    po = _po(lang)
    assert len(po) > 300  # the project's own strings, not an empty catalog
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy: msgfmt would ignore the catalog's charset"
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.untranslated_entries()] == []
    for entry in po:
        if entry.msgid_plural:
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_vietnamese_catalog_says_what_the_source_says():
    for entry in _po("vi"):
        if entry.msgid_plural:
            assert entry.msgstr_plural == {0: entry.msgid}, entry.msgid
        else:
            assert entry.msgstr == entry.msgid


def test_english_catalog_has_no_vietnamese_left():
    # Proper names kept on purpose: the product name and the language's own name for the switch,
    # and the workbook's sheet names, which are what the file really holds.
    keep = {"Sơ kết"}
    for entry in _po("en"):
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            if entry.msgid in keep:
                continue
            stripped = re.sub(r"“(Đơn vị|Chỉ tiêu)”|Sơ kết", "", text)
            assert not VIETNAMESE.search(stripped), f"{entry.msgid!r} → {text!r}"


def test_english_plural_forms_follow_the_count():
    po = _po("en")
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert _po("vi").metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalog_matches_its_po_file(lang):
    """A .po edited without `make messages` leaves a stale .mo; the site would show old text."""
    po = _po(lang)
    mo_path = LOCALE / lang / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path} missing: run `make messages`"
    with mo_path.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    stale = []
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for n, form in ((1, 0), (2, 1 if lang == "en" else 0)):
                if mo.ngettext(key, entry.msgid_plural, n) != entry.msgstr_plural[form]:
                    stale.append(entry.msgid)
        elif mo.gettext(key) != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == [], f"{len(stale)} entries differ between .po and .mo: run `make messages`"
    # Nothing in the .mo that the .po no longer has.
    mo_ids = {e.msgid for e in polib.mofile(str(mo_path)) if e.msgid}
    assert mo_ids == {e.msgid for e in po}


def test_tally_sentence_and_statuses_in_english():
    from indicators.models import Status
    from indicators.tally import Tally

    with translation.override("en"):
        assert Tally(achieved=54, hard=11, not_achieved=1, not_assessed=3).sentence() == (
            "54/69 indicators achieved or on track; 11 hard to achieve; 1 not achieved; 3 not yet assessed"
        )
        assert {str(s.label) for s in Status} == {
            "Achieved or exceeded",
            "Hard to achieve",
            "Not achieved",
            "Cannot yet be assessed",
            "Not yet assessed",
        }


@pytest.mark.parametrize(
    ("lang", "day", "datetime_", "number", "grouped"),
    [
        ("vi", "28/10/2020", "14:05 28/10/2020", "6,5", "3.500"),
        ("en", "10/28/2020", "10/28/2020 2:05 p.m.", "6.5", "3,500"),
    ],
)
def test_dates_and_numbers_follow_the_language(lang, day, datetime_, number, grouped):
    from datetime import datetime

    with translation.override(lang):
        assert formats.date_format(date(2020, 10, 28), "SHORT_DATE_FORMAT") == day
        assert formats.date_format(datetime(2020, 10, 28, 14, 5), "SHORT_DATETIME_FORMAT") == datetime_
        assert formats.number_format(Decimal("6.5")) == number
        # What people typed is shown in the reader's language, whichever separator they used.
        assert display_value("6,5") == number
        assert display_value("6.5") == number
        assert display_value("3.500") == grouped
        assert display_value("≥ 95") == "≥ 95"


def test_vietnamese_date_input_reads_day_first():
    class F(forms.Form):
        when = forms.DateField()

    with translation.override("vi"):
        form = F({"when": "28/10/2020"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["when"] == date(2020, 10, 28)


class _UiText(HTMLParser):
    """Text of the page's interface elements (labels, buttons, headers, nav), not its data (links,
    and text marked translate="no", such as an indicator's text in the legend of its choices)."""

    UI = {"label", "button", "th", "nav", "legend", "title", "footer", "caption"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.data_at: list[bool] = []  # beside the stack: the element holds data, not interface
        self.ui: list[str] = []
        self.all: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in {"input", "br", "meta", "link", "img", "hr", "col"}:
            self.stack.append(tag)
            self.data_at.append(("translate", "no") in attrs)
        for name, value in attrs:
            if name in {"aria-label", "placeholder", "title"} and value:
                self.ui.append(value)

    def handle_endtag(self, tag):
        while self.stack:
            self.data_at.pop()
            if self.stack.pop() == tag:
                break

    def handle_data(self, data):
        text = data.strip()
        if text:
            self.all.append(text)
            if self.UI & set(self.stack) and "a" not in self.stack[-1:] and not any(self.data_at):
                self.ui.append(text)


@pytest.fixture
def demo_clients(db, client):
    call_command("load_demo", "--password", "i18n-Secret-2023", stdout=StringIO())
    return client


def _get(client, url, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _UiText()
    parser.feed(response.content.decode())
    return parser


# Data shown inside interface elements (committee names in the nav/breadcrumb, resolution captions).
# People's names (the header names the user) are data too.
_DATA = re.compile(
    r"Đảng bộ|Bắc Kạn|Chợ|Nông Hạ|Nghị quyết|NQ/|Tiếng Việt|Sơ kết|bithu|vanphong|"
    + "|".join(f"{last} {first}" for last, first, _position in DEMO_PEOPLE.values())
)


def _leftovers(page) -> list[str]:
    """Interface texts still holding Vietnamese, data (names, units in brackets) set aside."""
    texts = (re.sub(r"\([^)]*\)", "", t) for t in page.ui)
    return [t for t in texts if VIETNAMESE.search(t) and not _DATA.search(t)]


def test_english_pages_show_english_interface(demo_clients):
    client = demo_clients
    login = _get(client, "/accounts/login/", "en")
    assert {"Log in", "Username", "Password"} <= set(login.all)

    client.login(username="bithu.nongha", password="i18n-Secret-2023")
    pages = {
        "/committees/BK-CM-NH/": {"Achieved or exceeded", "Enter indicator assessments", "Report (PDF)"},
        "/committees/BK-CM-NH/assess/": {"Save changes", "Hard to achieve", "Value at mid-term", "Note"},
        "/committees/BK-CM-NH/review/": {"Save the report", "I. Results of implementing the Resolution"},
        "/import/": {"Check only", "Import data"},
    }
    for url, expected in pages.items():
        page = _get(client, url, "en")
        missing = expected - set(page.all)
        assert not missing, f"{url}: {missing}"
        leftovers = _leftovers(page)
        assert leftovers == [], f"{url}: Vietnamese left in the English interface: {leftovers[:10]}"
        assert "Log out" in page.all and "Tiếng Việt" in page.all

    client.logout()
    client.login(username="vanphong.tinhuy", password="i18n-Secret-2023")
    province = _get(client, "/committees/BK/", "en")
    assert {"Committees below", "Share achieved", "Review report"} <= set(province.all)
    assert "54/66 indicators achieved or on track; 11 hard to achieve; 1 not achieved" in province.all
    assert _leftovers(province) == []


def test_vietnamese_is_the_default_and_shares_use_a_comma(demo_clients):
    client = demo_clients
    client.login(username="vanphong.tinhuy", password="i18n-Secret-2023")
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    html = client.get("/committees/BK/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html
    assert "54/66 chỉ tiêu có khả năng đạt và vượt" in html
    assert "54,8%" in html  # Chợ Đồn: 17/31
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/committees/BK/").content.decode()
    assert "54.8%" in html and "54,8%" not in html


def test_dates_on_pages_follow_the_language(demo_clients):
    from django.utils.timezone import localtime

    from indicators.models import Assessment

    client = demo_clients
    client.login(username="bithu.nongha", password="i18n-Secret-2023")
    assessment = Assessment.objects.filter(indicator__resolution__committee__code="BK-CM-NH").first()
    local = localtime(assessment.updated_at)
    url = f"/committees/BK-CM-NH/indicators/{assessment.indicator_id}/"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert local.strftime("%d/%m/%Y") in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert local.strftime("%m/%d/%Y") in client.get(url).content.decode()
