"""`/api/committees/<CODE>/indicators/` and `manage.py indicators --json`: interfaces.md's shape."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Committee, Term
from indicators.services.terms import term_get_or_create

from .dashboard_data import build_tree, demo  # noqa: F401  (fixture)


def api(code, term="2020-2025"):
    return f"{reverse('api_indicators', args=[code])}?term={term}"


KEYS = {
    "resolution", "kind", "number", "text", "unit", "target", "baseline", "measure", "direction",
    "years", "forecast", "status", "exceeded", "suggested_status", "progress", "disagrees", "parts",
    "target_adjusted", "target_adjusted_by", "predecessor", "baseline_carried_from",
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemoIndicators:
    @pytest.fixture
    def bk_viewer(self, make_user):
        return make_user("v", Committee.objects.get(term=Term.objects.get(code="2020-2025"), code="BK"))

    def test_the_documented_shape_and_the_grdp_example(self, client, bk_viewer):
        client.force_login(bk_viewer)
        data = client.get(api("BK")).json()
        assert set(data) == {"committee", "term", "stage", "indicators"}
        assert data["committee"] == {"code": "BK", "name": "Đảng bộ tỉnh Bắc Kạn", "level": "province"}
        assert len(data["indicators"]) == 66
        first = data["indicators"][0]
        assert set(first) == KEYS
        assert first | {"text": "…"} == {
            "resolution": "16-NQ/ĐH",
            "kind": "congress",
            "number": "1",
            "text": "…",
            "unit": "%",
            "target": "6,5",
            "target_adjusted": None,
            "target_adjusted_by": None,
            "baseline": "5,1",
            "measure": "average",
            "direction": "up",
            "years": {
                "2021": {"value": "4,1", "estimate": False},
                "2022": {"value": "4,5", "estimate": False},
                "2023": {"value": "4,3", "estimate": True},
            },
            "forecast": None,
            "status": "hard",
            "exceeded": False,
            "suggested_status": "not_achieved",
            "progress": 0.662,
            "disagrees": True,
            "parts": [],
            "predecessor": None,
            "baseline_carried_from": None,
        }

    def test_no_suggestion_gives_nulls(self, client, bk_viewer):
        client.force_login(bk_viewer)
        pci = next(i for i in client.get(api("BK")).json()["indicators"] if i["number"] == "25")
        assert (pci["suggested_status"], pci["progress"], pci["disagrees"], pci["years"]) == (
            None,
            None,
            False,
            {},
        )
        assert pci["baseline"] is None and pci["forecast"] is None

    def test_the_demo_has_three_judgements_the_numbers_do_not_support(self, client, bk_viewer):
        client.force_login(bk_viewer)
        flagged = []
        for code in ("BK", "BK-CD", "BK-CM-NH"):
            flagged += [
                (code, i["number"]) for i in client.get(api(code)).json()["indicators"] if i["disagrees"]
            ]
        assert flagged == [("BK", "1"), ("BK", "58"), ("BK-CD", "1")]

    def test_thematic_indicators_are_listed_and_marked(self, client, bk_viewer):
        client.force_login(bk_viewer)
        kinds = [i["kind"] for i in client.get(api("BK-CM-NH")).json()["indicators"]]
        assert kinds == ["congress"] * 20 + ["thematic"] * 3

    def test_api_and_command_print_the_same_object(self, client, bk_viewer):
        client.force_login(bk_viewer)
        out = io.StringIO()
        call_command("indicators", "BK-CD", "--term", "2020-2025", "--json", stdout=out)
        assert client.get(api("BK-CD")).json() == json.loads(out.getvalue())

    def test_the_command_lists_the_suggestion_in_words(self):
        out = io.StringIO()
        call_command("indicators", "BK", "--term", "2020-2025", stdout=out)
        first = out.getvalue().splitlines()[0]
        assert first.startswith("16-NQ/ĐH 1. Tốc độ tăng trưởng kinh tế")
        assert "Khó đạt (gợi ý: Không đạt, cần giải trình)" in first
        assert "2023 (ước): 4,3" in first
        # The baseline and the forecast the suggestion reads are printed too.
        assert first.endswith("[2020 (đầu kỳ): 5,1, 2021: 4,1, 2022: 4,5, 2023 (ước): 4,3]")
        second = out.getvalue().splitlines()[1]
        assert second.endswith(
            "[2020 (đầu kỳ): 39,2, 2021: 41,5, 2022: 45,8, 2023 (ước): 49,0, dự báo 2025: 61]"
        )

    def test_a_stranger_gets_404(self, client, make_user):
        nh = Committee.objects.get(term__code="2020-2025", code="BK-CM-NH")
        client.force_login(make_user("other", nh))
        assert client.get(api("BK-CD")).status_code == 404


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_indicators(client, make_user, django_assert_num_queries):
    small = build_tree(
        term_get_or_create(code="2020-2025")[0], code="S", districts=1, communes=1, indicators=3
    )
    big = build_tree(
        term_get_or_create(code="2025-2030")[0], code="B", districts=1, communes=1, indicators=60
    )
    user = make_user("v", small)
    from indicators.models import Role

    Role.objects.create(user=user, committee=big, role="viewer")
    client.force_login(user)
    for code, term in (("S", "2020-2025"), ("B", "2025-2030")):
        client.get(api(code, term))
        with django_assert_num_queries(5):
            response = client.get(api(code, term))
        assert response.status_code == 200


def test_unknown_committee_prints_one_line(db):
    from django.core.management.base import CommandError

    term_get_or_create(code="2020-2025")
    with pytest.raises(CommandError, match="Không có đơn vị mã XX"):
        call_command("indicators", "XX", "--term", "2020-2025", "--json")


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_demo_next_term_names_predecessors_and_carries_baselines(client, make_user):
    """The demo's 2025–2030 Thái Nguyên: `predecessor` as interfaces.md writes it, the baseline
    carried from the old indicator's 2025 value unless typed."""
    client.force_login(make_user("staff", is_staff=True))
    rows = {i["number"]: i for i in client.get(api("TN", "2025-2030")).json()["indicators"]}
    assert (rows["1"]["predecessor"], rows["1"]["baseline"], rows["1"]["baseline_carried_from"]) == (
        "TN/01-NQ/ĐH/1@2020-2025",
        "128,5",
        "2020-2025",
    )
    assert (rows["3"]["baseline"], rows["3"]["baseline_carried_from"]) == ("3,2", None)  # typed
    assert (rows["4"]["predecessor"], rows["4"]["baseline"]) == ("BK/16-NQ/ĐH/1@2020-2025", None)
