"""The pages of a merged committee: its predecessors side by side on its dashboard, the staff page
that sets them (and its indicators' predecessor indicators), the indicator page's trajectory."""

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorChange, PredecessorChange, Stage
from indicators.results import Results
from indicators.services.assessments import stage_open
from indicators.services.indicators import indicator_create
from indicators.services.lineage import committee_predecessors_set
from indicators.services.resolutions import resolution_create
from indicators.services.terms import term_get_or_create

from .dashboard_data import build_tree


def url(name, code, term, *args):
    return f"{reverse(name, args=[code, *args])}?term={term}"


@pytest.fixture
def merged(db):
    old, _c = term_get_or_create(code="2020-2025")
    new, _c = term_get_or_create(code="2025-2030")
    tn_old = build_tree(old, code="TN", districts=1, communes=2, indicators=3)
    bk = build_tree(old, code="BK", districts=1, communes=2, indicators=4)
    tn = build_tree(new, code="TNM", districts=1, communes=2, indicators=2)
    grdp = Indicator.objects.get(resolution__committee=bk, number="1")
    from indicators.services.assessments import AssessmentEdit, assessments_update

    assessments_update(
        edits=[
            AssessmentEdit(
                grdp.assessment.pk,
                grdp.assessment.status,
                note="Lý do",
                results=Results.build(baseline="39,2", years={2024: ("52", False), 2025: ("55,5", True)}),
            )
        ]
    )
    return {"old": old, "new": new, "TN-old": tn_old, "BK": bk, "TN": tn, "grdp": grdp}


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("staff", is_staff=True))
    return client


class TestDashboard:
    def test_predecessors_are_listed_each_with_its_own_sentence_and_a_link_to_the_old_tree(
        self, staff_client, merged
    ):
        committee_predecessors_set(committee=merged["TN"], predecessors=[merged["TN-old"], merged["BK"]])
        html = staff_client.get(url("dashboard", "TNM", "2025-2030")).content.decode()
        assert "Đơn vị tiền thân" in html
        assert f'href="{url("dashboard", "BK", "2020-2025")}"' in html
        assert f'href="{url("dashboard", "TN", "2020-2025")}"' in html
        # Each predecessor's own tally (never a sum of the two).
        assert html.count("chỉ tiêu có khả năng đạt và vượt") >= 3  # own tally + two predecessors
        old = staff_client.get(url("dashboard", "BK", "2020-2025")).content.decode()
        assert "Đơn vị kế tục" in old and f'href="{url("dashboard", "TNM", "2025-2030")}"' in old

    def test_a_predecessor_whose_end_review_is_open_shows_its_end_of_term_sentence_and_links_there(
        self, staff_client, merged
    ):
        committee_predecessors_set(committee=merged["TN"], predecessors=[merged["TN-old"], merged["BK"]])
        stage_open(committee=merged["BK"], stage=Stage.END)
        html = staff_client.get(url("dashboard", "TNM", "2025-2030")).content.decode()
        bk_end = f'href="{url("dashboard", "BK", "2020-2025")}&amp;stage=end"'
        assert bk_end in html and f'href="{url("dashboard", "TN", "2020-2025")}"' in html
        bk_row = html.split(bk_end, 1)[1].split("</li>", 1)[0]
        assert "tổng kết nhiệm kỳ:" in bk_row and "0/4 chỉ tiêu đạt và vượt" in bk_row
        assert "có khả năng" not in bk_row  # the end of term has no "hard", no "likely"
        tn_row = html.split(f'href="{url("dashboard", "TN", "2020-2025")}"', 1)[1].split("</li>", 1)[0]
        assert "sơ kết giữa nhiệm kỳ:" in tn_row and "có khả năng" in tn_row

    def test_the_old_trees_people_see_the_successor_named_but_not_linked(self, client, merged, make_user):
        committee_predecessors_set(committee=merged["TN"], predecessors=[merged["BK"]])
        client.force_login(make_user("old", merged["BK"]))
        html = client.get(url("dashboard", "BK", "2020-2025")).content.decode()
        assert "Đảng bộ tỉnh TNM" in html
        assert url("dashboard", "TNM", "2025-2030") not in html

    def test_a_role_on_the_new_committee_opens_the_predecessors_pages(self, client, merged, make_user):
        committee_predecessors_set(committee=merged["TN"], predecessors=[merged["BK"]])
        client.force_login(make_user("new", merged["TN"]))
        assert client.get(url("dashboard", "BK", "2020-2025")).status_code == 200
        assert client.get(url("dashboard", "BK-D0-X1", "2020-2025")).status_code == 200
        assert client.get(url("dashboard", "TN", "2020-2025")).status_code == 404  # not a predecessor

    @pytest.mark.parametrize("size", [1, 4])
    def test_dashboard_of_a_merged_committee_costs_the_same_whatever_the_trees(
        self, client, make_user, django_assert_num_queries, size
    ):
        from .test_dashboard import TestConstantQueries

        old, _c = term_get_or_create(code="2020-2025")
        new, _c = term_get_or_create(code="2025-2030")
        olds = [
            build_tree(old, code=f"O{i}", districts=size, communes=size, indicators=size)
            for i in range(size + 1)
        ]
        tn = build_tree(new, code="N", districts=size, communes=size, indicators=size)
        committee_predecessors_set(committee=tn, predecessors=olds)
        client.force_login(make_user("v", tn))
        page = url("dashboard", "N", "2025-2030")
        client.get(page)
        # +2: the committees the links name (a committee without links reads only the links), and
        # the viewer's roles in the term before, to link only the predecessors they may open.
        with django_assert_num_queries(TestConstantQueries.PINNED["dashboard"] + 2):
            assert client.get(page).status_code == 200


class TestStaffPage:
    def test_sets_predecessors_and_indicator_predecessors_with_history(self, staff_client, merged):
        first = Indicator.objects.get(resolution__committee=merged["TN"], number="1")
        response = staff_client.post(
            url("predecessors", "TNM", "2025-2030"),
            {"codes": "TN, BK", f"indicator-{first.pk}": "BK/01-NQ/ĐH/1"},
        )
        assert response.status_code == 302
        assert set(merged["TN"].predecessors.values_list("code", flat=True)) == {"TN", "BK"}
        assert Indicator.objects.get(pk=first.pk).predecessor_id == merged["grdp"].pk
        assert PredecessorChange.objects.get().new_codes == ["BK", "TN"]
        assert IndicatorChange.objects.filter(indicator=first).first().new == {
            "predecessor": "BK/01-NQ/ĐH/1@2020-2025"
        }
        page = staff_client.get(url("predecessors", "TNM", "2025-2030")).content.decode()
        assert 'value="TN, BK"' in page or 'value="BK, TN"' in page
        assert 'value="BK/01-NQ/ĐH/1"' in page

    def test_unknown_codes_and_indicators_are_named_and_nothing_is_saved(self, staff_client, merged):
        first = Indicator.objects.get(resolution__committee=merged["TN"], number="1")
        response = staff_client.post(
            url("predecessors", "TNM", "2025-2030"),
            {"codes": "BK, HG", f"indicator-{first.pk}": "BK/01-NQ/ĐH/99"},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Không có đơn vị mã HG trong nhiệm kỳ 2020-2025." in html
        assert "Không có chỉ tiêu “BK/01-NQ/ĐH/99” trong nhiệm kỳ 2020-2025." in html
        assert not merged["TN"].predecessors.exists()
        response = staff_client.post(url("predecessors", "TNM", "2025-2030"), {f"indicator-{first.pk}": "BK"})
        assert response.status_code == 400 and "MÃ ĐƠN VỊ/SỐ NGHỊ QUYẾT/STT" in response.content.decode()

    def test_a_term_without_one_before_says_so(self, staff_client, merged):
        response = staff_client.post(url("predecessors", "BK", "2020-2025"), {"codes": "TN"})
        assert response.status_code == 400
        assert "Nhiệm kỳ này không có nhiệm kỳ trước." in response.content.decode()

    def test_a_secretary_may_not_set_them(self, client, merged, make_user):
        client.force_login(make_user("s", merged["TN"], role="secretary"))
        assert client.post(url("predecessors", "TNM", "2025-2030"), {"codes": "BK"}).status_code == 403
        assert not merged["TN"].predecessors.exists()

    @pytest.mark.parametrize("size", [1, 5])
    def test_costs_the_same_whatever_the_trees(self, staff_client, django_assert_num_queries, size):
        old, _c = term_get_or_create(code="2020-2025")
        new, _c = term_get_or_create(code="2025-2030")
        olds = [
            build_tree(old, code=f"O{i}", districts=size, communes=size, indicators=3) for i in range(size)
        ]
        tn = build_tree(new, code="N", districts=size, communes=size, indicators=3)
        committee_predecessors_set(committee=tn, predecessors=olds)
        page = url("predecessors", "N", "2025-2030")
        staff_client.get(page)
        # session, user, roles, the committee with its term, term before, indicators, lineage (its
        # links, then the committees they name), the roles in the term before (which predecessors
        # are links), the header's count
        with django_assert_num_queries(10):
            assert staff_client.get(page).status_code == 200


class TestIndicatorPage:
    def test_shows_the_carried_baseline_and_the_trajectory_across_both_terms(self, staff_client, merged):
        new_resolution = resolution_create(committee=merged["TN"], number="02-NQ/ĐH")
        carried = indicator_create(resolution=new_resolution, number="1", text="GRDP bình quân đầu người")
        staff_client.post(
            url("predecessors", "TNM", "2025-2030"), {f"indicator-{carried.pk}": "BK/01-NQ/ĐH/1"}
        )
        html = staff_client.get(url("indicator_detail", "TNM", "2025-2030", carried.pk)).content.decode()
        assert "55,5" in html and "(theo số liệu nhiệm kỳ 2020–2025)" in html
        assert "Kết quả qua các nhiệm kỳ" in html and "52" in html
        assert f'href="{url("indicator_detail", "BK", "2020-2025", merged["grdp"].pk)}"' in html
