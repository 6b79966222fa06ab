"""The assessment page as it opens draws its cards from the rows (reviews/forms/assess_shown.py),
not through the row forms: the HTML must be the forms' own to the byte, for every kind of card
(values to escape, notes over several lines, yearly values and "ước" ticks, "vượt", no unit, no
results, two resolutions, who saved it last, a review already sent, English), or the POST, the
page's script and the offline queue would read another page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Assessment
from indicators.results import Results
from indicators.services.assessments import AssessmentEdit, assessments_update
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from reviews.forms.assess import AssessmentForm
from reviews.models import ReviewAction
from reviews.services import review_step
from tests.conftest import fill_document

HOSTILE = "<b>\"Tỷ lệ\" & 'hộ' </b>"


def _through_the_form(
    indicators, *, disabled, term, committee_code, card_parts, may_adjust=False, posted=None
):
    return AssessmentForm(indicators, disabled=disabled, term=term, card_parts=card_parts)


def _page(client, url) -> str:
    html = client.get(url).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def both_ways(client, url, monkeypatch) -> tuple[str, str]:
    from django.core.cache import caches

    caches["fragments"].clear()
    shown = _page(client, url)
    with monkeypatch.context() as patched:
        patched.setattr("reviews.views.assess.ShownForm", _through_the_form)
        caches["fragments"].clear()
        formed = _page(client, url)
    caches["fragments"].clear()
    return shown, formed


@pytest.fixture
def commune(tree, make_user):
    commune = tree["P-D1-C1"]
    saver = make_user("saver", commune, "secretary", last_name="Lê & <Thị>", first_name="\"Ngọc\" 'A'")
    second = resolution_create(committee=commune, number="05-NQ/TU <x>", kind="thematic")
    for n, (unit, target) in enumerate([(HOSTILE, HOSTILE), ("", ""), ("%", "≥ 95")], 1):
        indicator_create(
            resolution=second,
            number=f"{n}<",
            text=f"{HOSTILE} {n}",
            field="" if n == 2 else "culture_society",
            unit=unit,
            target=target,
        )
    assessments = list(Assessment.objects.filter(indicator__resolution__committee=commune).order_by("pk"))
    results = Results.build(
        baseline="1,5", years={2021: ("2", True), 2023: ('3"&<', False)}, forecast="x & 'y'"
    )
    assessments_update(
        edits=[
            AssessmentEdit(assessments[0].pk, "achieved", value='6,5 "<&>"', exceeded=True, results=results),
            AssessmentEdit(assessments[1].pk, "hard", note=f"Một\n{HOSTILE}\r\nBa", results=results),
            AssessmentEdit(assessments[3].pk, "not_assessable", note="Chưa có số liệu"),
            AssessmentEdit(assessments[4].pk, "achieved", value="≥ 95%"),
        ],
        by=saver,
    )
    return commune


@pytest.fixture
def url(commune):
    return reverse("assess", args=[commune.code]) + "?term=2020-2025"


def test_every_kind_of_card_is_the_forms_own(client, commune, url, make_user, monkeypatch):
    client.force_login(make_user("bithu", commune, "secretary"))
    shown, formed = both_ways(client, url, monkeypatch)
    assert shown.count('class="assess-card"') == 6
    # Escaped as the widgets do (a quote is &#34;).
    assert "&lt;b&gt;" in shown and 'value="6,5 &#34;&lt;&amp;&gt;&#34;"' in shown
    assert shown == formed


def test_in_english_too(client, commune, url, make_user, monkeypatch):
    client.force_login(make_user("bithu", commune, "secretary"))
    client.cookies["django_language"] = "en"
    shown, formed = both_ways(client, url, monkeypatch)
    assert "Achieved" in shown
    assert shown == formed


def test_a_review_already_sent_too(client, commune, url, make_user, monkeypatch):
    secretary = make_user("bithu", commune, "secretary")
    client.force_login(secretary)
    edits = [
        AssessmentEdit(assessment_id=a.pk, status="achieved", expected_version=a.version)
        for a in Assessment.objects.filter(indicator__resolution__committee=commune, status="not_assessed")
    ]
    assessments_update(edits=edits)
    fill_document(commune)
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary)
    shown, formed = both_ways(client, url, monkeypatch)
    assert " disabled" in shown
    assert shown == formed


def test_parts_groups_adjusted_targets_and_the_staff_link_too(client, commune, url, make_user, monkeypatch):
    """Cards of a group and its parts (indicators.groups), an adjusted target, and the staff's
    "Điều chỉnh mục tiêu" link: each the form's own HTML."""
    from indicators.models import Indicator
    from indicators.services.indicators import indicator_adjust_target

    own = Indicator.objects.get(resolution__committee=commune, resolution__kind="congress", number="1")
    staff = make_user("root", is_superuser=True, is_staff=True)
    indicator_adjust_target(
        indicator=own, target_adjusted="6", adjusted_by="15-NQ/TU ngày 10/3/2022", by=staff
    )
    group = Indicator.objects.get(resolution__committee=commune, resolution__kind="congress", number="2")
    for n in ("2.1", "2.2"):
        indicator_create(resolution=group.resolution, number=n, text=f"Phần {n}", target="5", group=group)
    client.force_login(staff)
    shown, formed = both_ways(client, url, monkeypatch)
    assert 'class="assess-card is-group"' in shown and shown.count('class="assess-card is-part"') == 2
    assert 'class="target-adjusted"' in shown and "#adjust-title" in shown
    assert shown == formed


def test_the_end_of_term_cards_too(client, commune, url, make_user, monkeypatch):
    """At the end of a term the choices have no "hard": drawn from the rows as the form offers them."""
    from indicators.models import Committee
    from indicators.services.assessments import stage_open

    staff = make_user("root", is_superuser=True, is_staff=True)
    stage_open(committee=Committee.objects.get(code="P"), stage="end", by=staff)
    client.force_login(make_user("bithu", commune, "secretary"))
    shown, formed = both_ways(client, url + "&stage=end", monkeypatch)
    assert 'value="hard"' not in shown and 'value="not_assessable"' in shown
    assert shown == formed


def test_who_saved_it_last_is_dated_in_the_sites_time_zone(client, commune, url, make_user, monkeypatch):
    """Saved at 20:00 UTC is the next morning in Hà Nội: the card says the next day, as the form's
    template does (a call to the `date` filter does not convert; the template does)."""
    from datetime import UTC, datetime

    Assessment.objects.filter(indicator__resolution__committee=commune, updated_by__isnull=False).update(
        updated_at=datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
    )
    client.force_login(make_user("bithu", commune, "secretary"))
    shown, formed = both_ways(client, url, monkeypatch)
    assert "07/12/2026" in shown and "06/12/2026" not in shown
    assert shown == formed


def _assessments(commune) -> list[Assessment]:
    return list(Assessment.objects.filter(indicator__resolution__committee=commune).order_by("pk"))


def _page_fields(client, url) -> dict[str, str]:
    """What a browser posts for the page as drawn (every card's inputs, ticks and notes)."""
    from loadtest.forms import FormFields

    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.fields


def test_a_conflict_draws_the_rows_posted_as_stored_without_their_forms(
    client, commune, url, make_user, monkeypatch
):
    """A save refused as a conflict shows the page again: the refused row and a stale row through
    their forms (what she typed, the stored values in conflict), every row posted just as stored
    from the row itself: the same page, to the byte, as every posted row drawn by its form."""
    from django.core.cache import caches

    from reviews.forms import assess as assess_forms

    client.force_login(make_user("bithu", commune, "secretary"))
    stale = _page_fields(client, url)
    # Rows whose stored values pass the checks a changed row meets (not the hostile yearly values).
    rows = [f"i{a.indicator_id}" for a in _assessments(commune)[3:5]]
    colleague = Client()
    colleague.force_login(make_user("pho.bithu", commune, "secretary"))
    theirs = {**stale, f"{rows[0]}-value": "7", f"{rows[1]}-note": "Của đồng chí phó"}
    assert colleague.post(url, theirs).status_code == 302
    mine = {**stale, f"{rows[0]}-value": "12,5", f"{rows[0]}-note": "Của tôi\r\nhai dòng"}
    built: list[str] = []
    original = assess_forms.AssessmentRowForm.__init__

    def counting(self, *args, **kwargs):
        built.append(kwargs["label"])
        original(self, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(assess_forms.AssessmentRowForm, "__init__", counting)
        response = client.post(url, mine)
    assert response.status_code == 409
    page = response.content.decode()
    # The refused row, the row the colleague changed (posted as she had read it) and the note
    # stored with a CR (the fixture's service call; a browser posts it back otherwise).
    assert sorted(built) == [
        "Chỉ tiêu 1< (Nghị quyết 05-NQ/TU <x>)",
        "Chỉ tiêu 2 (Nghị quyết 01-NQ/ĐH)",
        "Chỉ tiêu 2< (Nghị quyết 05-NQ/TU <x>)",
    ]
    assert 'value="12,5"' in page and "Của đồng chí phó" not in page
    with monkeypatch.context() as patched:
        patched.setattr(assess_forms.AssessmentForm, "drawn_as_stored", lambda self, indicator: False)
        caches["fragments"].clear()
        formed = client.post(url, mine).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", page) == strip.sub("", formed)


def test_errors_draw_the_rows_posted_as_stored_without_their_forms(
    client, commune, url, make_user, monkeypatch
):
    from reviews.forms import assess as assess_forms

    client.force_login(make_user("bithu", commune, "secretary"))
    fields = _page_fields(client, url)
    bad = {**fields, f"i{_assessments(commune)[4].indicator_id}-value": "6,5,3"}
    response = client.post(url, bad)
    assert response.status_code == 400
    with monkeypatch.context() as patched:
        patched.setattr(assess_forms.AssessmentForm, "drawn_as_stored", lambda self, indicator: False)
        formed = client.post(url, bad)
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert "không phải là số hợp lệ" in response.content.decode()
    assert strip.sub("", response.content.decode()) == strip.sub("", formed.content.decode())
