"""The end-of-term review on the web: pages, workflow, JSON, report and the staff page that opens it."""

import pytest
from django.urls import reverse

from indicators.models import Assessment, Committee, Role, Stage, Status
from indicators.services.assessments import stage_open
from indicators.services.terms import term_get_or_create
from indicators.tally import Tally
from reviews.models import Review, ReviewAction, ReviewState
from reviews.report.selectors import report_context
from reviews.services import review_step
from reviews.workbook.services import workbook_import
from tests.conftest import assess_one, fill_document, fill_end

from .dashboard_data import build_tree
from .workbook_files import INDICATOR_HEADER, indicator, xlsx


def _url(name, committee, stage=None):
    url = reverse(name, args=[committee.code]) + f"?term={committee.term.code}"
    return url + f"&stage={stage}" if stage else url


def _post(committee, changes, stage):
    """Every row of the assessment form at `stage` as the page shows it, with `changes`
    {indicator_id: status}."""
    from reviews.forms.assess import digest

    data = {}
    for a in Assessment.objects.filter(indicator__resolution__committee=committee, stage=stage):
        prefix = f"i{a.indicator_id}-"
        status = changes.get(a.indicator_id, a.status)
        data |= {
            prefix + "status": status,
            prefix + "value": a.value,
            prefix + "note": "Lý do" if status not in (a.status, "achieved") else a.note,
            prefix + "version": str(a.version),
            prefix + "orig": digest(a.status, a.value, a.note),
        }
    return data


@pytest.fixture
def commune(tree):
    stage_open(committee=tree["P"], stage=Stage.END)
    return Committee.objects.select_related("term").get(pk=tree["P-D1-C1"].pk)


@pytest.fixture
def secretary(commune, make_user):
    return make_user("bithu", commune, "secretary")


@pytest.mark.django_db
class TestAssessPage:
    def test_the_end_page_offers_no_hard_and_says_which_stage_it_is(self, client, commune, secretary):
        client.force_login(secretary)
        html = client.get(_url("assess", commune, "end")).content.decode()
        assert "Nhập đánh giá chỉ tiêu cuối nhiệm kỳ" in html and 'value="hard"' not in html
        assert "Tổng kết nhiệm kỳ" in html and 'data-stage="end"' in html
        mid = client.get(_url("assess", commune)).content.decode()
        assert 'value="hard"' in mid and 'data-stage="mid"' in mid
        # Where the end review is open, each page links to the other stage.
        assert f"{_url('assess', commune, 'end')}".replace("&", "&amp;") in mid

    def test_saving_at_the_end_changes_the_end_judgements_only(self, client, commune, secretary):
        client.force_login(secretary)
        ends = list(Assessment.objects.filter(indicator__resolution__committee=commune, stage=Stage.END))
        changes = {a.indicator_id: "achieved" for a in ends}
        response = client.post(_url("assess", commune, "end"), _post(commune, changes, Stage.END))
        assert response.status_code == 302 and "stage=end" in response["Location"]
        commune.refresh_from_db()
        assert Tally.of_committee(commune, Stage.END) == Tally(achieved=3)
        assert Tally.of_committee(commune) == Tally(achieved=2, hard=1)
        assert Review.objects.get(committee=commune, stage=Stage.END).state == ReviewState.DRAFT
        assert not Review.objects.filter(committee=commune, stage=Stage.MID).exists()

    def test_a_forged_hard_at_the_end_is_refused_with_a_message(self, client, commune, secretary):
        client.force_login(secretary)
        a = Assessment.objects.filter(indicator__resolution__committee=commune, stage=Stage.END).first()
        response = client.post(
            _url("assess", commune, "end"), _post(commune, {a.indicator_id: "hard"}, Stage.END)
        )
        assert response.status_code == 400 and "đánh giá không hợp lệ" in response.content.decode()
        assert Assessment.objects.get(pk=a.pk).status == Status.NOT_ASSESSED

    def test_a_stage_that_does_not_exist_shows_the_mid_term(self, client, commune, secretary):
        client.force_login(secretary)
        response = client.get(_url("assess", commune, "later"))
        assert response.status_code == 200 and response.context["stage"] == "mid"


@pytest.mark.django_db
class TestWorkflowAtTheEnd:
    def test_the_end_review_is_sent_and_approved_apart_from_the_mid_terms(
        self, commune, secretary, make_user
    ):
        district = make_user("vanphong", commune.parent, "viewer")
        fill_end(commune)
        review_step(committee=commune, step=ReviewAction.SUBMIT, by=secretary, stage=Stage.END)
        review_step(committee=commune, step=ReviewAction.APPROVE, by=district, stage=Stage.END)
        assert Review.objects.get(committee=commune, stage=Stage.END).state == ReviewState.APPROVED
        # The mid-term review has its own document and workflow: nothing sent there.
        assert not Review.objects.filter(committee=commune, stage=Stage.MID).exists()

    def test_the_end_checklist_reads_the_end_judgements(self, client, commune, secretary):
        fill_document(commune)  # the mid-term document only
        client.force_login(secretary)
        html = client.get(_url("review_submit", commune, "end")).content.decode()
        assert "Còn 3 chỉ tiêu chưa đánh giá" in html
        assert (
            "Còn 3 chỉ tiêu chưa đánh giá" not in client.get(_url("review_submit", commune)).content.decode()
        )


@pytest.mark.django_db
class TestDashboardAndJson:
    def test_the_end_dashboard_prints_the_end_sentence(self, client, commune, secretary):
        for a in Assessment.objects.filter(indicator__resolution__committee=commune, stage=Stage.END):
            assess_one(
                assessment=a, status="not_achieved" if a.indicator.number == "3" else "achieved", note="x"
            )
        client.force_login(secretary)
        response = client.get(_url("dashboard", commune, "end"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "2/3 chỉ tiêu đạt và vượt; 1 chỉ tiêu không đạt" in html
        assert "có khả năng" not in html.split('class="tally-sentence"')[1].split("</p>")[0]

    def test_api_tally_names_its_stage(self, client, commune, secretary):
        client.force_login(secretary)
        assert client.get(_url("api_tally", commune, "end")).json()["stage"] == "end"
        assert client.get(_url("api_tally", commune)).json()["stage"] == "mid"
        assert client.get(_url("api_tally", commune, "x")).json()["stage"] == "mid"
        assert client.get(_url("api_reporting", commune, "end")).json()["stage"] == "end"

    @pytest.mark.parametrize("page", ["dashboard", "trouble", "api_tally", "assess"])
    def test_end_pages_cost_the_same_queries_on_a_tree_ten_times_larger(
        self, client, make_user, django_assert_num_queries, page
    ):
        small = build_tree(
            term_get_or_create(code="2020-2025")[0], code="S", districts=2, communes=3, indicators=4
        )
        big = build_tree(
            term_get_or_create(code="2025-2030")[0], code="B", districts=8, communes=10, indicators=12
        )
        for root in (small, big):
            stage_open(committee=root, stage=Stage.END)
        user = make_user("v", small, role="secretary")
        Role.objects.create(user=user, committee=big, role="secretary")
        client.force_login(user)
        counts = []
        for code, term in (("S", "2020-2025"), ("B", "2025-2030")):
            url = f"{reverse(page, args=[code])}?term={term}&stage=end"
            client.get(url)  # template loading is not what is measured
            with django_assert_num_queries(PINNED_END[page]) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1]


# The same reads as the mid-term pages (tests/reviews/test_dashboard.py's PINNED), at the end stage;
# the secretary's dashboard judges its workflow checklist from its own list (no query of its own).
PINNED_END = {"dashboard": 14, "trouble": 7, "api_tally": 6, "assess": 7}


@pytest.mark.django_db
class TestOpenPage:
    def test_staff_open_the_end_review_from_the_page(self, client, tree, make_user):
        client.force_login(make_user("staff", is_staff=True))
        response = client.post(_url("stage_open", tree["P-D1"]))
        assert response.status_code == 302 and response["Location"] == _url("dashboard", tree["P-D1"], "end")
        assert Assessment.objects.filter(stage=Stage.END).count() == 2 + 3 + 3
        assert client.post(_url("stage_open", tree["P-D1"])).status_code == 302  # idempotent
        assert Assessment.objects.filter(stage=Stage.END).count() == 8

    def test_a_secretary_may_not_and_a_get_opens_nothing(self, client, tree, make_user):
        client.force_login(make_user("s", tree["P"], role="secretary"))
        assert client.post(_url("stage_open", tree["P"])).status_code == 403
        client.force_login(make_user("staff", is_staff=True))
        assert client.get(_url("stage_open", tree["P"])).status_code == 405
        assert not Assessment.objects.filter(stage=Stage.END).exists()

    def test_the_dashboard_offers_staff_the_button_until_it_is_open(self, client, tree, make_user):
        client.force_login(make_user("staff", is_staff=True))
        assert "Mở tổng kết nhiệm kỳ" in client.get(_url("dashboard", tree["P"])).content.decode()
        stage_open(committee=tree["P"], stage=Stage.END)
        html = client.get(_url("dashboard", tree["P"])).content.decode()
        assert "Mở tổng kết nhiệm kỳ" not in html and "stage=end" in html


@pytest.mark.django_db
class TestReport:
    def test_the_end_report_is_a_tong_ket_with_the_mid_term_beside_the_end(self, commune):
        hard = Assessment.objects.get(
            indicator__resolution__committee=commune, stage=Stage.END, indicator__number="3"
        )
        assess_one(assessment=hard, status="achieved", exceeded=True)
        context = report_context(committee=commune, stage=Stage.END)
        assert context.subject.startswith("tổng kết thực hiện Nghị quyết Đại hội")
        rows = {row.indicator.number: row.trajectory for group in context.annex for row in group.rows}
        assert rows["3"] == "giữa kỳ: khó đạt → cuối kỳ: đạt và vượt (vượt)" or rows["3"].startswith(
            "giữa kỳ: khó đạt → cuối kỳ: đạt"
        )
        assert rows["1"].startswith("giữa kỳ: đạt") and "cuối kỳ: chưa đánh giá" in rows["1"]
        assert "hết nhiệm kỳ có" in context.sentences.tally_sentence
        mid = report_context(committee=commune)
        assert mid.subject.startswith("Sơ kết giữa nhiệm kỳ") and not any(
            row.trajectory for group in mid.annex for row in group.rows
        )


STAGE_HEADER = [*INDICATOR_HEADER, "Giai đoạn"]


def _lao_cai(rows):
    return workbook_import(
        data=xlsx([["LC", "Đảng bộ tỉnh Lào Cai", "tỉnh", ""]], rows, indicator_header=STAGE_HEADER),
        term_code="2015-2020",
    )


@pytest.mark.django_db
class TestWorkbookStageColumn:
    def test_hard_in_an_end_row_is_an_error_naming_the_row(self):
        rows = [
            [*indicator("LC", "1", "Đạt và vượt"), "giữa kỳ"],
            [*indicator("LC", "2", "Khó đạt", note="n"), "cuối kỳ"],
        ]
        result = _lao_cai(rows)
        assert not result.ok
        assert [(e.row, e.message) for e in result.errors] == [
            (3, "Dòng 3: cuối kỳ không có đánh giá “khó đạt” (tổng kết nhiệm kỳ).")
        ]
        assert not Assessment.objects.exists()  # all or nothing

    def test_mid_rows_empty_or_named_either_way_import_as_before(self):
        rows = [
            [*indicator("LC", "1", "Khó đạt", note="n"), "giữa kỳ"],
            [*indicator("LC", "2", "Đạt và vượt"), "mid"],
            [*indicator("LC", "3", "Đạt và vượt"), ""],
        ]
        result = _lao_cai(rows)
        assert result.ok, result.errors
        assert sorted(Assessment.objects.values_list("stage", "status")) == [
            ("mid", "achieved"),
            ("mid", "achieved"),
            ("mid", "hard"),
        ]

    def test_an_end_row_without_an_opened_end_review_is_refused_and_a_bad_stage_is_named(self):
        # A new indicator has no end assessment yet: the end review is opened on stored indicators
        # (tests/reviews/test_workbook_stages.py imports end rows once it is).
        result = _lao_cai(
            [[*indicator("LC", "1", "Đạt và vượt"), "end"], [*indicator("LC", "2", "Đạt và vượt"), "sau"]]
        )
        messages = [(e.row, e.message) for e in result.errors]
        assert messages[0] == (
            2,
            "Dòng 2: chỉ tiêu số 1 của nghị quyết 01-NQ/ĐH (LC) chưa mở tổng kết nhiệm kỳ, nên chưa nhập "
            "được đánh giá cuối kỳ; hãy báo văn phòng cấp ủy mở tổng kết nhiệm kỳ, hoặc ghi dòng này là "
            "giữa kỳ.",
        )
        assert messages[1][0] == 3 and "Giai đoạn “sau” không có trong danh sách" in messages[1][1]
