"""The JSON tally: the interfaces.md shape, the page's numbers, the command's output, the access rule."""

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Committee, Term

from .dashboard_data import demo  # noqa: F401  (fixture)


def api(code, term="2020-2025"):
    return f"{reverse('api_tally', args=[code])}?term={term}"


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemoTally:
    @pytest.fixture
    def bk_viewer(self, make_user):
        return make_user("v", Committee.objects.get(term=Term.objects.get(code="2020-2025"), code="BK"))

    def test_province_tally_has_the_documented_shape_and_seed_figures(self, client, bk_viewer):
        client.force_login(bk_viewer)
        response = client.get(api("BK"))
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        data = response.json()
        assert set(data) == {"committee", "term", "stage", "own", "children", "subtree"}
        assert data["stage"] == "mid"
        assert data["committee"] == {"code": "BK", "name": "Đảng bộ tỉnh Bắc Kạn", "level": "province"}
        assert data["term"] == "2020-2025"
        assert data["own"] == {
            "total": 66,
            "achieved": 54,
            "hard": 11,
            "not_achieved": 1,
            "not_assessed": 0,
            "not_assessable": 0,
            "exceeded": 0,
        }
        children = {c["code"]: c for c in data["children"]}
        assert [c["code"] for c in data["children"]] == sorted(children)
        assert set(children["BK-CD"]) == {"code", "name", "level", "own"}
        assert children["BK-CD"]["own"]["achieved"] == 17 and children["BK-CD"]["own"]["total"] == 31
        assert set(data["subtree"]) == {
            "committees",
            "total",
            "achieved",
            "hard",
            "not_achieved",
            "not_assessed",
            "not_assessable",
            "exceeded",
        }
        assert data["subtree"]["committees"] == 1 + 8 + 108 + 1

    def test_api_and_tally_json_command_print_the_same_object(self, client, bk_viewer):
        client.force_login(bk_viewer)
        out = io.StringIO()
        call_command("tally", "BK-CD", "--term", "2020-2025", "--json", stdout=out)
        assert client.get(api("BK-CD")).json() == json.loads(out.getvalue())

    def test_api_numbers_equal_the_dashboard_numbers(self, client, bk_viewer):
        """What the page shows (its children table, its sentences) against what the API answers."""
        client.force_login(bk_viewer)
        data = client.get(api("BK")).json()
        page = client.get(f"{reverse('dashboard', args=['BK'])}?term=2020-2025").content.decode()
        shown = _children_table(page)
        assert [row["code"] for row in shown] == [c["code"] for c in data["children"]]
        for row, child in zip(shown, data["children"], strict=True):
            assert row["name"] == child["name"]
            assert {
                k: int(row[k]) for k in ("achieved", "total", "hard", "not_achieved", "not_assessed")
            } == {k: child["own"][k] for k in ("achieved", "total", "hard", "not_achieved", "not_assessed")}
        own, subtree = data["own"], data["subtree"]
        assert f'<p class="tally-sentence">{own["achieved"]}/{own["total"]} chỉ tiêu' in page
        assert f"{own['hard']} chỉ tiêu khó đạt; {own['not_achieved']} chỉ tiêu không đạt</p>" in page
        assert re.search(
            rf'<p class="subtree-sentence">[^<]*: {subtree["achieved"]}/{subtree["total"]} chỉ tiêu[^<]*'
            rf"; {subtree['hard']} chỉ tiêu khó đạt; {subtree['not_achieved']} chỉ tiêu không đạt</p>",
            page,
        )

    def test_names_with_diacritics_are_plain_utf8(self, client, bk_viewer):
        client.force_login(bk_viewer)
        assert "Bắc Kạn".encode() in client.get(api("BK")).content


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_is_redirected_to_login(self, client, tree):
        response = client.get(api("P"))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_stranger_gets_404(self, client, tree, make_user, make_committee):
        client.force_login(make_user("q", make_committee("Q")))
        assert client.get(api("P")).status_code == 404

    def test_district_viewer_sees_its_communes_but_not_the_province(self, client, tree, make_user):
        client.force_login(make_user("d", tree["P-D1"]))
        assert client.get(api("P-D1-C1")).status_code == 200
        assert client.get(api("P")).status_code == 404

    def test_unknown_term_is_404_not_500(self, client, tree, make_user):
        client.force_login(make_user("v", tree["P"]))
        assert client.get(api("P", term="20x0")).status_code == 404

    def test_post_is_refused(self, client, tree, make_user):
        client.force_login(make_user("v", tree["P"]))
        assert client.post(api("P")).status_code == 405


class _TableReader(HTMLParser):
    """The children table as the user reads it: column keys from the sort links, cell texts."""

    def __init__(self):
        super().__init__()
        self.keys: list[str] = []
        self.rows: list[list[str]] = []
        self._in_table = self._in_body = self._in_cell = False
        self._in_label = False  # the "Mã: " a phone shows before each cell is not the cell's value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "children-table" in (attrs.get("class") or ""):
            self._in_table = True
        elif self._in_table and tag == "a" and "c-sort=" in (attrs.get("href") or "") and not self._in_body:
            self.keys.append(attrs["href"].split("c-sort=")[1].split("&")[0])
        elif self._in_table and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")
        elif self._in_cell and tag == "span" and "cell-label" in (attrs.get("class") or ""):
            self._in_label = True

    def handle_endtag(self, tag):
        if tag == "span":
            self._in_label = False
        elif tag == "td":
            self._in_cell = False
        elif tag == "table":
            self._in_table = self._in_body = False

    def handle_data(self, data):
        if self._in_cell and not self._in_label:
            self.rows[-1][-1] += data.strip()


def _children_table(page: str) -> list[dict[str, str]]:
    reader = _TableReader()
    reader.feed(page)
    assert reader.keys and reader.rows
    return [dict(zip(reader.keys, row, strict=True)) for row in reader.rows]
