"""The review campaign: deadlines by level and per committee, the never-later rule, the reporting
numbers (against the demo), the JSON, the panel, the deadlines page and command, and access."""

import json
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from indicators.access import Action, Refused, can
from indicators.models import Assessment, Committee, Role, Stage, Status
from indicators.services.assessments import AssessmentEdit, assessments_update, stage_open
from indicators.services.committees import committee_create, committee_update, committees_bulk_create
from indicators.services.terms import term_get_or_create
from reviews.campaign.models import CommitteeDeadline, Deadline, DeadlineChange
from reviews.campaign.selectors import (
    DeadlineBook,
    ReportingSummary,
    _levels_grouped,
    _levels_query,
    _rows,
    awaiting_approval,
    committee_own_deadline,
    committee_reporting,
    deadlines_drift,
    overdue_rows,
)
from reviews.campaign.services import DeadlineError, deadlines_set
from reviews.models import ReviewAction, ReviewEvent
from reviews.selectors import review_of
from reviews.services import review_step
from tests.conftest import fill_document, fill_end
from tests.reviews.dashboard_data import build_tree

D = date(2023, 5, 30)


def _plain(value):
    """A database's boolean as Python's (SQLite answers 0/1 where the ORM converts to False/True)."""
    return int(value) if isinstance(value, bool) else value


def due_of(committee, stage="mid"):
    """The deadline holding for the committee at `stage`, as the book computes it; the stored copy
    (CommitteeDeadline, what the reporting reads) must agree."""
    committee.refresh_from_db()
    book = DeadlineBook.around(committee)
    found = book.due(committee_id=committee.pk, path=committee.path, level=committee.level, stage=stage)
    stored = (
        CommitteeDeadline.objects.filter(committee=committee, stage=stage)
        .values_list("due", flat=True)
        .first()
    )
    assert stored == (found.date if found else None)
    return stored


# ---- deadlines ----------------------------------------------------------------------------------


def test_deadlines_by_level_reach_the_whole_subtree(tree):
    deadlines_set(committee=tree["P"], levels={"commune": D, "district": D + timedelta(days=16)}, by=None)
    assert due_of(tree["P-D2-C2"]) == D
    assert due_of(tree["P-D1"]) == D + timedelta(days=16)
    assert due_of(tree["P"]) is None  # nobody above the province set one
    assert DeadlineChange.objects.count() == 2


def test_a_lower_committee_may_set_an_earlier_deadline_for_its_own_children_only(tree):
    deadlines_set(committee=tree["P"], levels={"commune": D}, by=None)
    deadlines_set(committee=tree["P-D1"], levels={"commune": D - timedelta(days=5)}, by=None)
    assert due_of(tree["P-D1-C1"]) == D - timedelta(days=5)
    assert due_of(tree["P-D2-C1"]) == D  # the other district's communes keep the province's


def test_never_later_than_the_level_above(tree):
    deadlines_set(committee=tree["P"], levels={"commune": D}, by=None)
    with pytest.raises(DeadlineError, match="muộn hơn hạn 30/05/2023 do Đảng bộ P đặt"):
        deadlines_set(committee=tree["P-D1"], levels={"commune": D + timedelta(days=1)}, by=None)
    with pytest.raises(DeadlineError, match="muộn hơn"):
        deadlines_set(committee=tree["P-D1"], levels={}, only={"P-D1-C1": D + timedelta(days=1)}, by=None)
    assert not Deadline.objects.filter(set_by=tree["P-D1"]).exists()  # all or nothing
    # The same day is allowed.
    deadlines_set(committee=tree["P-D1"], levels={"commune": D}, by=None)


def test_override_replaces_the_setters_own_level_deadline_and_the_earliest_holds(tree):
    deadlines_set(committee=tree["P"], levels={"commune": D}, by=None)
    # The district gives its communes an earlier date, and one commune a little more time
    # (still within the province's deadline).
    deadlines_set(
        committee=tree["P-D1"],
        levels={"commune": D - timedelta(days=10)},
        only={"P-D1-C2": D - timedelta(days=2)},
        by=None,
    )
    assert due_of(tree["P-D1-C1"]) == D - timedelta(days=10)
    assert due_of(tree["P-D1-C2"]) == D - timedelta(days=2)
    # The province later moves the communes' deadline earlier than the district's override: it holds.
    deadlines_set(committee=tree["P"], levels={"commune": D - timedelta(days=5)}, by=None)
    assert due_of(tree["P-D1-C2"]) == D - timedelta(days=5)


def test_clearing_and_unchanged_values(tree):
    deadlines_set(committee=tree["P"], levels={"commune": D}, by=None)
    assert deadlines_set(committee=tree["P"], levels={"commune": D}, by=None) == []  # no change, no history
    deadlines_set(committee=tree["P"], levels={"commune": None}, by=None)
    assert due_of(tree["P-D1-C1"]) is None
    assert DeadlineChange.objects.filter(new_due__isnull=True).count() == 1


def test_unknown_level_code_and_a_level_that_is_not_below(tree):
    with pytest.raises(DeadlineError, match="Không có cấp"):
        deadlines_set(committee=tree["P"], levels={"hamlet": D}, by=None)
    with pytest.raises(DeadlineError, match="không có đơn vị nào cấp"):
        deadlines_set(committee=tree["P-D1"], levels={"district": D}, by=None)
    with pytest.raises(DeadlineError, match="Không có đơn vị mã P-D2-C1 dưới"):
        deadlines_set(committee=tree["P-D1"], levels={}, only={"P-D2-C1": D}, by=None)


def test_only_a_role_on_the_committee_may_set_its_deadlines(tree, make_user):
    viewer = make_user("v", tree["P-D1"])
    secretary_below = make_user("s", tree["P-D1-C1"], role="secretary")
    deadlines_set(committee=tree["P-D1"], levels={"commune": D}, by=viewer)
    with pytest.raises(Refused, match="không có quyền"):
        deadlines_set(committee=tree["P-D1"], levels={"commune": D}, by=secretary_below)
    assert Deadline.objects.get().updated_by == viewer


class TestSetDeadlinesCommand:
    def test_sets_levels_and_overrides(self, tree):
        out = StringIO()
        call_command(
            "set_deadlines", "P", "--term", "2020-2025", "--level", "commune=2023-05-30",
            "--level", "district=2023-06-15", "--only", "P-D1-C1=2023-05-20", stdout=out,
        )  # fmt: skip
        assert due_of(tree["P-D1-C1"]) == date(2023, 5, 20)
        assert due_of(tree["P-D2-C1"]) == date(2023, 5, 30)
        assert due_of(tree["P-D2"]) == date(2023, 6, 15)
        assert "commune - -> 2023-05-30" in out.getvalue()

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["NOPE", "--level", "commune=2023-05-30"], "Không có đơn vị mã NOPE"),
            (["P", "--level", "commune=30/05/2023"], "is not a date"),
            (["P", "--level", "commune"], "expected NAME=YYYY-MM-DD"),
            (["P-D1", "--level", "commune=2023-06-01"], "muộn hơn hạn 30/05/2023"),
        ],
    )
    def test_errors_are_one_line_and_exit_1(self, tree, args, message):
        deadlines_set(committee=tree["P"], levels={"commune": D}, by=None)
        with pytest.raises(CommandError, match=message) as exc:
            call_command("set_deadlines", *args[:1], "--term", "2020-2025", *args[1:])
        assert exc.value.returncode == 1
        assert "\n" not in str(exc.value)


# ---- reporting ----------------------------------------------------------------------------------


@pytest.fixture
def campaign(tree, make_user):
    """P-D1's communes: C1 sent on time and approved; C2 assessed, never sent, and overdue. P-D2's:
    C1 returned."""
    today = timezone.localdate()
    deadlines_set(committee=tree["P"], levels={"commune": today + timedelta(days=5)}, by=None)
    deadlines_set(committee=tree["P-D1"], levels={}, only={"P-D1-C2": today - timedelta(days=2)}, by=None)
    approver1, approver2 = make_user("d1", tree["P-D1"]), make_user("d2", tree["P-D2"])
    for code in ("P-D1-C1", "P-D2-C1"):
        fill_document(tree[code])
        secretary = make_user(f"s-{code}", tree[code], role="secretary")
        review_step(committee=tree[code], step=ReviewAction.SUBMIT, by=secretary)
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.APPROVE, by=approver1)
    review_step(committee=tree["P-D2-C1"], step=ReviewAction.RETURN, by=approver2, reason="Thiếu số liệu")
    return today


def test_reporting_rows_and_summaries(tree, campaign):
    reporting = committee_reporting(committee=tree["P-D1"])
    rows = {r.code: r for r in reporting.children}
    c1, c2 = rows["P-D1-C1"], rows["P-D1-C2"]
    assert (c1.state, c1.on_time, c1.days_late, c1.overdue) == ("approved", True, 0, False)
    # Every indicator assessed, nothing sent: the work has begun, it is a draft (not "Chưa bắt đầu").
    assert (c2.state, c2.on_time, c2.days_late, c2.overdue) == ("draft", None, 2, True)
    assert (c1.assessed, c1.total) == (3, 3) and (c2.assessed, c2.total) == (3, 3)
    assert reporting.summary.as_json() == {
        "expected": 2, "not_started": 0, "draft": 1, "submitted": 0, "returned": 0, "approved": 1,
        "overdue": 1, "reporting_rate": 0.5, "on_time_rate": 0.5,
    }  # fmt: skip

    province = committee_reporting(committee=tree["P"])
    assert [(lv, s.expected, s.returned, s.overdue) for lv, s in province.levels.items()] == [
        ("district", 2, 0, 0),
        ("commune", 4, 1, 1),
    ]
    # P-D2-C1 was sent on time, then returned: no longer sent, so neither on time nor overdue.
    assert province.levels["commune"].as_json() == {
        "expected": 4, "not_started": 0, "draft": 2, "submitted": 0, "returned": 1, "approved": 1,
        "overdue": 1, "reporting_rate": 0.25, "on_time_rate": 0.25,
    }  # fmt: skip
    assert [r.code for r in overdue_rows(committee=tree["P"])] == ["P-D1-C2"]
    assert province.overdue_count == 1


def test_not_started_means_no_review_and_nothing_assessed(tree, campaign, make_committee, make_indicators):
    """The one rule (Progress.of), row by row and in the level counts: a commune with no review
    row and no indicator assessed has not started; one assessment makes it a draft."""
    fresh = make_committee("P-D1-C3", tree["P-D1"])
    [indicator] = make_indicators(fresh, ["not_assessed"])

    def state_and_level_counts():
        rows = {r.code: r for r in committee_reporting(committee=tree["P-D1"]).children}
        communes = committee_reporting(committee=tree["P"]).levels["commune"]
        return rows["P-D1-C3"].state, communes.not_started, communes.draft

    assert state_and_level_counts() == ("not_started", 1, 2)
    assessment = Assessment.objects.get(indicator=indicator)
    assessments_update(edits=[AssessmentEdit(assessment_id=assessment.pk, status=Status.ACHIEVED)])
    assert state_and_level_counts() == ("draft", 0, 3)


def test_not_assessable_is_a_judgement_the_campaign_counts(tree, campaign, make_committee, make_indicators):
    """ "Chưa thể đánh giá" (the data does not exist yet) is judged, not left blank: it starts the
    work, in the row and in the level counts, and counts as assessed."""
    fresh = make_committee("P-D1-C3", tree["P-D1"])
    [indicator, _blank] = make_indicators(fresh, ["not_assessed", "not_assessed"])
    assessment = Assessment.objects.get(indicator=indicator)
    edit = AssessmentEdit(assessment_id=assessment.pk, status=Status.NOT_ASSESSABLE, note="Chưa có số liệu")
    assessments_update(edits=[edit])
    row = {r.code: r for r in committee_reporting(committee=tree["P-D1"]).children}["P-D1-C3"]
    assert (row.state, row.assessed, row.total) == ("draft", 1, 2)
    communes = committee_reporting(committee=tree["P"]).levels["commune"]
    assert (communes.not_started, communes.draft) == (0, 3)


def test_a_late_submission_counts_as_sent_but_not_on_time(tree, campaign, make_user):
    later = committee_reporting(committee=tree["P-D1"], today=campaign + timedelta(days=30))
    c1 = next(r for r in later.children if r.code == "P-D1-C1")
    assert c1.on_time is True and c1.days_late == 0  # sent before its deadline: never late afterwards
    deadlines_set(committee=tree["P"], levels={"commune": campaign - timedelta(days=3)}, by=None)
    c1 = next(r for r in committee_reporting(committee=tree["P-D1"]).children if r.code == "P-D1-C1")
    assert c1.on_time is False and c1.days_late == 3


@pytest.mark.django_db
class TestAgainstTheDemo:
    """The demo's campaign in mid-flight: Chợ Mới, as its office sees it on first run."""

    @pytest.fixture
    def demo(self):
        call_command("load_demo", "--password", "demo-Pass-2023", stdout=StringIO())

    def test_cho_moi(self, demo):
        reporting = committee_reporting(committee=Committee.objects.get(code="BK-CM"))
        assert reporting.summary.as_json() == {
            "expected": 14, "not_started": 0, "draft": 7, "submitted": 3, "returned": 1, "approved": 3,
            "overdue": 3, "reporting_rate": 0.429, "on_time_rate": 0.429,
        }  # fmt: skip
        overdue = overdue_rows(committee=Committee.objects.get(code="BK-CM"))
        assert sorted(r.code for r in overdue) == ["BK-CM-DT", "BK-CM-TS", "BK-CM-TV"]
        rows = {r.code: r for r in reporting.children}
        assert rows["BK-CM-NH"].state == "draft"  # the secretary's journey starts from a draft
        assert rows["BK-CM-YH"].state == "returned"
        assert rows["BK-CM-DT"].days_late == 4
        assert deadlines_drift(term=Committee.objects.get(code="BK").term) == []

    def test_the_end_stage_has_its_own_deadlines_and_progress(self, demo):
        """Bắc Kạn's end review: its own deadlines, weeks away; the three Chợ Mới communes that sent
        their end reports sent them on time; nobody is late at the end."""
        reporting = committee_reporting(committee=Committee.objects.get(code="BK-CM"), stage="end")
        summary = reporting.summary
        assert (summary.approved, summary.on_time, summary.overdue) == (3, 3, 0)
        rows = {r.code: r for r in reporting.children}
        assert rows["BK-CM-ML"].deadline == timezone.localdate() + timedelta(days=45)
        assert rows["BK-CM-DT"].deadline == timezone.localdate() + timedelta(days=45)  # not its mid-term one
        assert Deadline.objects.filter(stage="end").count() == 2
        assert deadlines_drift(term=Committee.objects.get(code="BK").term) == []

    def test_province_counts_every_level(self, demo):
        reporting = committee_reporting(committee=Committee.objects.get(code="BK"))
        communes = reporting.levels["commune"]
        # Three sent in Chợ Mới, Nam Cường's waiting in Chợ Đồn.
        assert (communes.expected, communes.submitted, communes.approved, communes.returned) == (108, 4, 3, 1)
        # Chợ Đồn's communes are past their (earlier) deadline, but for Nam Cường (sent); Nông Hạ's is not.
        chodon = Committee.objects.filter(parent__code="BK-CD").count()
        assert communes.overdue == chodon - 1 + 3

    def test_every_seat_has_its_campaign_on_first_login(self, demo):
        """Reminders already queued (the late commune's secretary, the offices above), a review
        waiting for Chợ Đồn's office, a returned one and approved ones, and their e-mails queued."""
        from django.contrib.auth import get_user_model

        from reviews.campaign.selectors import awaiting_approval
        from reviews.notifications.models import EmailDelivery, Notification

        users = {u.username: u for u in get_user_model().objects.all()}

        def kinds(username):
            return sorted(
                Notification.objects.filter(recipient=users[username]).values_list("kind", flat=True)
            )

        assert kinds("bithu.dongtam") == ["overdue"]
        assert kinds("bithu.nongha") == ["due_soon"]
        assert kinds("bithu.yenhan") == ["due_soon", "returned"]
        # Approved twice: the mid-term report and the end-of-term one (reviews/demo/end.py).
        assert kinds("bithu.mailap") == ["approved", "approved"]
        assert "overdue_digest" in kinds("vanphong.chomoi") and "overdue_digest" in kinds("vanphong.chodon")
        term = Committee.objects.get(code="BK").term
        waiting = awaiting_approval(user=users["vanphong.chodon"], term=term)
        assert [c.code for c in waiting.rows] == ["BK-CD-NC"]
        assert EmailDelivery.objects.filter(address="bithu.dongtam@example.org").exists()

    @pytest.mark.parametrize("days_later", [0, 30])
    def test_each_levels_numbers_are_its_rows_counted_one_by_one(self, demo, days_later):
        """The subtree's GROUP BY (hand-written SQL) agrees with the rule of a single row, for every
        level of the province, today and a month on (every deadline passed)."""
        province = Committee.objects.get(code="BK")
        today = timezone.localdate() + timedelta(days=days_later)
        by_level: dict[str, ReportingSummary] = {}
        for row in _rows(Committee.objects.in_subtree(province, include_self=False), today=today):
            by_level.setdefault(row.level, ReportingSummary()).add(row)
        levels = committee_reporting(committee=province, today=today).levels
        expected = {lv: s.as_json() for lv, s in by_level.items()}
        assert {lv: s.as_json() for lv, s in levels.items()} == expected
        assert sum(s.on_time for s in levels.values()) > 0 and sum(s.overdue for s in levels.values()) > 0

    @pytest.mark.parametrize("days_later", [0, 30])
    def test_the_levels_sql_compiled_once_gives_what_the_orm_query_gives(self, demo, days_later):
        """The GROUP BY is built by the ORM from the one definition, compiled once per database and
        run with each call's values: for any committee and day it returns the ORM query's rows."""
        today = timezone.localdate() + timedelta(days=days_later)
        for code in ("BK", "BK-CM", "BK-CD"):
            committee = Committee.objects.get(code=code)
            fresh = sorted(_levels_query(committee, today=today), key=repr)
            compiled = sorted(_levels_grouped(committee, today=today), key=repr)
            assert [tuple(map(_plain, row)) for row in compiled] == [tuple(map(_plain, row)) for row in fresh]
            assert fresh

    @pytest.mark.parametrize("days_later", [0, 30])
    def test_the_childrens_rows_compiled_once_are_the_orm_querys_rows(self, demo, days_later):
        """The children's rows (every dashboard with children) come from their SQL compiled once per
        stage, converted as the ORM converts them: for any committee, day and stage, the same rows
        (deadlines, submission times, overdue, on time, counts) as the ORM query."""
        today = timezone.localdate() + timedelta(days=days_later)
        stage_open(committee=Committee.objects.get(term__code="2020-2025", code="BK-CD"), stage=Stage.END)
        for code in ("BK", "BK-CM", "BK-CD", "BK-CM-NH"):
            committee = Committee.objects.get(term__code="2020-2025", code=code)
            for stage in Stage.values:
                fresh = _rows(
                    Committee.objects.filter(parent=committee).order_by("code"), today=today, stage=stage
                )
                compiled = committee_reporting(committee=committee, today=today, stage=stage).children
                assert compiled == fresh
                assert all(
                    row.submitted_at is None
                    or (isinstance(row.submitted_at, datetime) and timezone.is_aware(row.submitted_at))
                    for row in compiled
                )
        bk = committee_reporting(
            committee=Committee.objects.get(term__code="2020-2025", code="BK-CM"), today=today
        )
        assert any(row.submitted_at for row in bk.children) and any(row.deadline for row in bk.children)

    def test_the_seed_tallies_do_not_move(self, demo):
        for code, sentence in [
            ("BK", "54/66 chỉ tiêu có khả năng đạt và vượt; 11 chỉ tiêu khó đạt; 1 chỉ tiêu không đạt"),
            ("BK-CM-NH", "18/20 chỉ tiêu có khả năng đạt và vượt; 2 chỉ tiêu không đạt"),
        ]:
            out = StringIO()
            call_command("tally", code, "--term", "2020-2025", stdout=out)
            assert out.getvalue().strip() == sentence

    def test_loading_again_changes_nothing(self, demo):
        before = (Deadline.objects.count(), Assessment.objects.count())
        call_command("load_demo", "--password", "demo-Pass-2023", stdout=StringIO())
        assert (Deadline.objects.count(), Assessment.objects.count()) == before


# ---- pages and JSON -----------------------------------------------------------------------------


def test_json_shape(client, tree, campaign):
    client.force_login(Role.objects.get(committee=tree["P-D1"]).user)
    data = client.get(reverse("api_reporting", args=["P-D1"]) + "?term=2020-2025").json()
    assert data["committee"] == {"code": "P-D1", "name": "Đảng bộ P-D1", "level": "district"}
    assert data["term"] == "2020-2025"
    c1 = next(c for c in data["children"] if c["code"] == "P-D1-C1")
    assert set(c1) == {
        "code", "name", "level", "state", "deadline", "submitted_at", "on_time", "days_late",
        "assessed", "total",
    }  # fmt: skip
    assert c1["deadline"] == (campaign + timedelta(days=5)).isoformat()
    assert c1["submitted_at"].endswith("+07:00") and c1["on_time"] is True
    assert data["summary"]["reporting_rate"] == 0.5


def test_stranger_gets_404_on_the_panel_pages_and_the_json(client, tree, campaign, make_user):
    client.force_login(make_user("stranger", tree["P-D2"]))
    for name in ("api_reporting", "campaign", "campaign_overdue", "dashboard", "deadlines"):
        assert client.get(reverse(name, args=["P-D1"]) + "?term=2020-2025").status_code == 404, name


def test_the_panel_on_the_dashboard(client, tree, campaign):
    client.force_login(Role.objects.get(committee=tree["P-D1"]).user)
    html = client.get(reverse("dashboard", args=["P-D1"]) + "?term=2020-2025").content.decode()
    assert "Tiến độ sơ kết" in html
    assert "1 đơn vị quá hạn (toàn bộ cấp dưới)" in html
    assert 'class="data reporting-table"' in html
    # A commune has no children: no panel.
    leaf = client.get(reverse("dashboard", args=["P-D1-C1"]) + "?term=2020-2025").content.decode()
    assert "Tiến độ sơ kết" not in leaf


def test_a_returned_review_reads_returned_everywhere(client, tree, campaign):
    """One vocabulary: P-D2-C1, returned by its approver, is "Bị trả lại" on its own page, in its
    district's children table and campaign table, in their exports and in the JSON."""
    returned = '<span class="review-badge review-badge-returned">Bị trả lại</span>'
    returned_here = '<span class="review-badge review-badge-returned">Bị trả lại — cần sửa</span>'
    term = "?term=2020-2025"
    client.force_login(Role.objects.get(committee=tree["P-D2"]).user)

    own = client.get(reverse("dashboard", args=["P-D2-C1"]) + term).content.decode()
    assert returned_here in own and "Dự thảo" not in own
    editor = client.get(reverse("review_edit", args=["P-D2-C1"]) + term).content.decode()
    assert "<strong>Bị trả lại</strong>" in editor

    district = client.get(reverse("dashboard", args=["P-D2"]) + term).content.decode()
    children = district[district.index('class="data children-table"') :]
    assert returned in children[: children.index("</table>")]  # the children table
    campaign_table = district[district.index('class="data reporting-table"') :]
    assert returned in campaign_table[: campaign_table.index("</table>")]  # the campaign table

    def exported(url: str) -> dict[str, str]:
        lines = client.get(url).content.decode("utf-8-sig").splitlines()
        return {line.split(",")[0]: line for line in lines[1:]}

    assert exported(reverse("dashboard", args=["P-D2"]) + term + "&_export=csv")["Đảng bộ P-D2-C1"].endswith(
        ",Bị trả lại"
    )
    assert (
        ",Bị trả lại,"
        in exported(reverse("campaign", args=["P-D2"]) + term + "&_export=csv")["Đảng bộ P-D2-C1"]
    )

    data = client.get(reverse("api_reporting", args=["P-D2"]) + term).json()
    assert {c["code"]: c["state"] for c in data["children"]} == {"P-D2-C1": "returned", "P-D2-C2": "draft"}
    assert (data["summary"]["returned"], data["summary"]["draft"]) == (1, 1)


def test_overdue_page_lists_the_whole_subtree_and_exports(admin_client, tree, campaign):
    url = reverse("campaign_overdue", args=["P"]) + "?term=2020-2025"
    html = admin_client.get(url).content.decode()
    assert "Đảng bộ P-D1-C2" in html and "Đảng bộ P-D1-C1" not in html
    csv = admin_client.get(url + "&_export=csv").content.decode()
    assert "Đảng bộ P-D1-C2" in csv.splitlines()[1]


def test_children_table_sorts_and_exports(admin_client, tree, campaign):
    url = reverse("campaign", args=["P-D1"]) + "?term=2020-2025"
    html = admin_client.get(url + "&r-sort=-days_late").content.decode()
    assert html.index("Đảng bộ P-D1-C2") < html.index("Đảng bộ P-D1-C1")
    csv = admin_client.get(url + "&_export=csv").content.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("Đơn vị,Tình trạng,Hạn gửi,Ngày gửi,Số ngày trễ")
    assert len(csv) == 3


def test_awaiting_approval_oldest_first(client, tree, make_user):
    approver = make_user("d1", tree["P-D1"])
    for code in ("P-D1-C2", "P-D1-C1"):  # C2 first: it is the oldest
        fill_document(tree[code])
        review_step(
            committee=tree[code],
            step=ReviewAction.SUBMIT,
            by=make_user(f"s-{code}", tree[code], role="secretary"),
        )
    client.force_login(approver)
    html = client.get(reverse("dashboard", args=["P-D1"]) + "?term=2020-2025").content.decode()
    assert "Chờ duyệt (2)" in html
    section = html[html.index("awaiting-list") :]
    assert section.index("Đảng bộ P-D1-C2") < section.index("Đảng bộ P-D1-C1")
    # The province's staff approve districts, not communes: nothing waits for them.
    client.force_login(make_user("p", tree["P"]))
    assert (
        "Chờ duyệt" not in client.get(reverse("dashboard", args=["P"]) + "?term=2020-2025").content.decode()
    )


class TestDeadlinesPage:
    def url(self, code="P-D1"):
        return reverse("deadlines", args=[code]) + "?term=2020-2025"

    def test_saves_levels_and_overrides(self, client, tree, make_user):
        client.force_login(make_user("v", tree["P-D1"]))
        response = client.post(self.url(), {"level-commune": "2023-05-25", "only-P-D1-C2": "2023-05-20"})
        assert response.status_code == 302
        assert due_of(tree["P-D1-C1"]) == date(2023, 5, 25)
        assert due_of(tree["P-D1-C2"]) == date(2023, 5, 20)

    def test_a_later_deadline_is_refused_and_the_input_kept(self, client, tree, make_user):
        deadlines_set(committee=tree["P"], levels={"commune": D}, by=None)
        client.force_login(make_user("v", tree["P-D1"]))
        html = client.post(self.url(), {"level-commune": "2023-06-30"}).content.decode()
        assert "muộn hơn hạn 30/05/2023" in html
        assert 'value="2023-06-30"' in html
        assert not Deadline.objects.filter(set_by=tree["P-D1"]).exists()

    def test_a_bad_date_is_a_message_not_a_500(self, client, tree, make_user):
        client.force_login(make_user("v", tree["P-D1"]))
        response = client.post(self.url(), {"level-commune": "30 tháng 5"})
        assert response.status_code == 200
        assert "Ngày không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("stage", ["mid", "end"])
@pytest.mark.parametrize("size", [(2, 3), (8, 10)])
def test_reporting_costs_two_queries_whatever_the_tree(db, django_assert_num_queries, size, stage):
    root = build_tree(term_get_or_create(code="2020-2025")[0], code="S", districts=size[0], communes=size[1])
    if stage == "end":
        stage_open(committee=root, stage=stage)
    deadlines_set(committee=root, levels={"commune": D}, by=None, stage=stage)
    with django_assert_num_queries(2):
        reporting = committee_reporting(committee=root, stage=stage)
    assert reporting.levels["commune"].expected == size[0] * size[1]
    assert reporting.levels["commune"].overdue == size[0] * size[1]  # D is long past, nothing sent
    assert json.dumps(reporting.as_json())


def test_a_commune_added_after_the_deadlines_has_its_own_at_once_and_is_overdue_after_it(
    client, tree, make_committee
):
    """The deadline that holds is written with the committee (indicators.signals): no job needed."""
    today = timezone.localdate()
    deadlines_set(committee=tree["P-D1"], levels={"commune": today - timedelta(days=1)}, by=None)
    late = make_committee("P-D1-C3", tree["P-D1"])
    assert due_of(late) == today - timedelta(days=1)
    assert "P-D1-C3" in [r.code for r in overdue_rows(committee=tree["P"])]
    assert committee_reporting(committee=tree["P-D1"]).summary.overdue == 3
    assert committee_reporting(committee=tree["P"]).levels["commune"].overdue == 3
    client.force_login(Role.objects.create(user=_user("d1"), committee=tree["P-D1"], role="viewer").user)
    data = client.get(reverse("api_reporting", args=["P-D1"]) + "?term=2020-2025").json()
    row = next(c for c in data["children"] if c["code"] == "P-D1-C3")
    assert (row["deadline"], row["days_late"]) == ((today - timedelta(days=1)).isoformat(), 1)
    assert deadlines_drift(term=tree["P"].term) == []


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=username)


def test_moving_relevelling_and_importing_committees_keep_their_deadlines(tree, make_committee):
    """Every way a committee takes a place in the tree writes the deadline that holds for it, in
    the same transaction; deadlines_drift (the check) finds nothing to correct."""
    term = tree["P"].term
    deadlines_set(committee=tree["P"], levels={"commune": D}, by=None)
    deadlines_set(committee=tree["P-D2"], levels={"commune": D - timedelta(days=5)}, by=None)
    # Moved from P-D1 to P-D2: the earlier deadline P-D2 set for its communes now holds.
    moved = tree["P-D1-C1"]
    committee_update(committee=moved, name=moved.name, level=moved.level, parent=tree["P-D2"])
    assert due_of(moved) == D - timedelta(days=5)
    # Re-levelled to a district under P: no district deadline was set, so none holds.
    committee_update(committee=moved, name=moved.name, level="district", parent=tree["P"])
    assert due_of(moved) is None
    # Created many at once (a workbook import): each has its deadline at once.
    created = committees_bulk_create(
        term=term,
        rows=[
            {"code": "P-D3", "name": "Đảng bộ huyện Ba", "level": "district", "parent_code": "P"},
            {"code": "P-D3-C1", "name": "Đảng bộ xã Một", "level": "commune", "parent_code": "P-D3"},
            {"code": "P-D2-C9", "name": "Đảng bộ xã Chín", "level": "commune", "parent_code": "P-D2"},
        ],
    )
    assert {c.code: due_of(c) for c in created} == {
        "P-D3": None,
        "P-D3-C1": D,
        "P-D2-C9": D - timedelta(days=5),
    }
    assert deadlines_drift(term=term) == []
    # The check notices a row written behind the services' back.
    CommitteeDeadline.objects.filter(committee__code="P-D3-C1").delete()
    assert deadlines_drift(term=term) == [("P-D3-C1", None, D)]


@pytest.mark.parametrize("due", [date(9999, 12, 31), date(2101, 1, 1), date(1999, 12, 31), date(1, 1, 1)])
def test_a_deadline_outside_2000_2100_is_refused_with_a_message(client, tree, make_user, due):
    """9999-12-31 overflowed the day after it (a 500); the root's deadline has no bound above it."""
    with pytest.raises(DeadlineError, match="2000–2100"):
        deadlines_set(committee=tree["P"], levels={"district": due}, by=None)
    with pytest.raises(DeadlineError, match="2000–2100"):
        deadlines_set(committee=tree["P"], levels={}, only={"P-D1": due}, by=None)
    client.force_login(make_user("v", tree["P"]))
    response = client.post(
        reverse("deadlines", args=["P"]) + "?term=2020-2025", {"level-district": due.isoformat()}
    )
    assert response.status_code == 200 and "2000–2100" in response.content.decode()
    assert not Deadline.objects.exists() and not CommitteeDeadline.objects.exists()
    deadlines_set(
        committee=tree["P"], levels={"district": date(2100, 12, 31)}, by=None
    )  # the last day allowed
    assert due_of(tree["P-D1"]) == date(2100, 12, 31)


# ---- the end of the term: each stage its own deadlines and progress (#28) ------------------------

E = date(2025, 6, 30)  # an end-of-term deadline, later than any mid-term one


def test_each_stage_has_its_own_deadlines(tree):
    deadlines_set(committee=tree["P"], levels={"commune": D}, by=None)
    changes = deadlines_set(committee=tree["P"], levels={"commune": E}, by=None, stage=Stage.END)
    assert [c.stage for c in changes] == ["end"]  # its history row says which stage
    assert (due_of(tree["P-D1-C1"]), due_of(tree["P-D1-C1"], "end")) == (D, E)
    # The never-later rule is the stage's own: a district's end date may be later than the
    # province's mid-term one, never later than the province's end one.
    deadlines_set(committee=tree["P-D1"], levels={"commune": E - timedelta(days=10)}, by=None, stage="end")
    assert (due_of(tree["P-D1-C1"]), due_of(tree["P-D1-C1"], "end")) == (D, E - timedelta(days=10))
    with pytest.raises(DeadlineError, match="muộn hơn hạn 30/06/2025"):
        deadlines_set(committee=tree["P-D1"], levels={"commune": E + timedelta(days=1)}, by=None, stage="end")
    # Clearing the mid-term deadline leaves the end one; setting the same mid date changes nothing at the end.
    deadlines_set(committee=tree["P"], levels={"commune": None}, by=None)
    assert (due_of(tree["P-D2-C1"]), due_of(tree["P-D2-C1"], "end")) == (None, E)
    assert Deadline.objects.filter(stage="end").count() == 2 and not Deadline.objects.filter(stage="mid")
    assert deadlines_drift(term=tree["P"].term) == []


def test_an_unknown_stage_is_refused_with_a_message(tree):
    with pytest.raises(DeadlineError, match="Không có giai đoạn “later”"):
        deadlines_set(committee=tree["P"], levels={"commune": D}, by=None, stage="later")
    assert not Deadline.objects.exists()


def test_drift_names_the_stage_whose_stored_deadline_is_wrong(tree):
    deadlines_set(committee=tree["P"], levels={"commune": E}, by=None, stage=Stage.END)
    CommitteeDeadline.objects.filter(committee=tree["P-D1-C1"], stage="end").delete()
    assert deadlines_drift(term=tree["P"].term) == [("P-D1-C1 (end)", None, E)]


def test_a_commune_added_later_has_each_stages_deadline(tree, make_committee):
    deadlines_set(committee=tree["P"], levels={"commune": D}, by=None)
    deadlines_set(committee=tree["P"], levels={"commune": E}, by=None, stage=Stage.END)
    new = make_committee("P-D1-C9", tree["P-D1"])
    assert (due_of(new), due_of(new, "end")) == (D, E)


def test_set_deadlines_command_takes_the_stage(tree):
    out = StringIO()
    call_command(
        "set_deadlines",
        "P",
        "--term",
        "2020-2025",
        "--stage",
        "end",
        "--level",
        "commune=2025-06-30",
        stdout=out,
    )
    assert (due_of(tree["P-D1-C1"]), due_of(tree["P-D1-C1"], "end")) == (None, E)
    assert "commune - -> 2025-06-30" in out.getvalue()


def test_the_own_deadline_is_the_reviews_stages(tree):
    deadlines_set(committee=tree["P"], levels={"commune": D}, by=None)
    commune = tree["P-D1-C1"]
    assert committee_own_deadline(committee=commune, review=review_of(committee=commune, stage="end")) is None
    deadlines_set(committee=tree["P"], levels={"commune": E}, by=None, stage=Stage.END)
    mid = committee_own_deadline(committee=commune, review=review_of(committee=commune))
    end = committee_own_deadline(committee=commune, review=review_of(committee=commune, stage="end"))
    assert mid is not None and end is not None and (mid.due, end.due) == (D, E)


@pytest.fixture
def end_campaign(tree, make_user):
    """The end stage open under P. P-D1-C1 sends its end review (not its mid-term one); the mid
    deadline of P-D1's communes is in five days, the end one passed two days ago."""
    today = timezone.localdate()
    stage_open(committee=tree["P"], stage=Stage.END)
    deadlines_set(committee=tree["P"], levels={"commune": today + timedelta(days=5)}, by=None)
    deadlines_set(
        committee=tree["P"], levels={"commune": today - timedelta(days=2)}, by=None, stage=Stage.END
    )
    secretary = make_user("s-c1", tree["P-D1-C1"], role="secretary")
    fill_end(tree["P-D1-C1"])
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=secretary, stage=Stage.END)
    return today


def test_the_campaign_page_at_the_end_shows_the_end_progress_and_deadlines(
    client, tree, make_user, end_campaign
):
    today = end_campaign
    client.force_login(make_user("d1", tree["P-D1"]))
    url = reverse("campaign", args=["P-D1"]) + "?term=2020-2025"
    end = client.get(url + "&stage=end")
    rows = {row.code: row for row in end.context["reporting"].children}
    assert rows["P-D1-C1"].state == "submitted" and rows["P-D1-C1"].deadline == today - timedelta(days=2)
    assert rows["P-D1-C2"].overdue and rows["P-D1-C2"].days_late == 2
    assert end.context["reporting"].summary.submitted == 1 and end.context["reporting"].overdue_count == 1
    html = end.content.decode()
    assert "Tiến độ tổng kết" in html and 'data-stage="end"' in html
    # The mid-term page is as it was: nothing sent, nobody late, the mid-term deadline.
    mid = client.get(url)
    rows = {row.code: row for row in mid.context["reporting"].children}
    assert rows["P-D1-C1"].state == "draft" and rows["P-D1-C1"].deadline == today + timedelta(days=5)
    assert mid.context["reporting"].summary.submitted == 0 and mid.context["reporting"].overdue_count == 0
    assert "Tiến độ sơ kết" in mid.content.decode()
    # The dashboard's panel at the end: its links stay at the end.
    panel = client.get(reverse("dashboard", args=["P-D1"]) + "?term=2020-2025&stage=end").content.decode()
    assert "Tiến độ tổng kết" in panel
    assert reverse("campaign_overdue", args=["P-D1"]) + "?term=2020-2025&amp;stage=end" in panel


def test_the_overdue_page_at_the_end_lists_those_late_at_the_end(admin_client, tree, end_campaign):
    url = reverse("campaign_overdue", args=["P"]) + "?term=2020-2025"
    end = admin_client.get(url + "&stage=end").content.decode()
    assert "Đảng bộ P-D1-C2" in end and "Đảng bộ P-D1-C1" not in end  # C1 sent its end review
    assert "Đảng bộ P-D1-C2" not in admin_client.get(url).content.decode()  # nobody late at mid-term


def test_the_deadlines_page_at_the_end_sets_the_end_deadlines_only(client, tree, make_user):
    deadlines_set(committee=tree["P-D1"], levels={"commune": D}, by=None)
    client.force_login(make_user("v", tree["P-D1"]))
    url = reverse("deadlines", args=["P-D1"]) + "?term=2020-2025&stage=end"
    response = client.post(url, {"level-commune": "2025-06-20", "only-P-D1-C2": ""})
    assert response.status_code == 302 and "stage=end" in response["Location"]
    assert (due_of(tree["P-D1-C1"]), due_of(tree["P-D1-C1"], "end")) == (D, date(2025, 6, 20))
    html = client.get(url).content.decode()
    assert "Hạn gửi báo cáo tổng kết" in html and 'value="2025-06-20"' in html
    assert 'value="2023-05-30"' not in html  # the mid-term date is on the mid-term page only
    assert (
        'value="2023-05-30"'
        in client.get(reverse("deadlines", args=["P-D1"]) + "?term=2020-2025").content.decode()
    )


def test_awaiting_approval_counts_both_stages_and_links_to_each(client, tree, make_user, end_campaign):
    approver = make_user("d1", tree["P-D1"])
    fill_document(tree["P-D1-C2"])
    review_step(
        committee=tree["P-D1-C2"],
        step=ReviewAction.SUBMIT,
        by=make_user("s-c2", tree["P-D1-C2"], role="secretary"),
    )
    waiting = awaiting_approval(user=approver, term=tree["P"].term)
    assert waiting.count == 2
    assert [(c.code, c.awaiting_stage) for c in waiting.rows] == [("P-D1-C1", "end"), ("P-D1-C2", "mid")]
    client.force_login(approver)
    html = client.get(reverse("dashboard", args=["P-D1"]) + "?term=2020-2025").content.decode()
    assert "Chờ duyệt (2)" in html
    section = html[html.index("awaiting-list") :]
    assert reverse("dashboard", args=["P-D1-C1"]) + "?term=2020-2025&amp;stage=end" in section
    assert reverse("dashboard", args=["P-D1-C2"]) + '?term=2020-2025"' in section
    # Approved at the end: no longer waiting; the mid-term one still is.
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.APPROVE, by=approver, stage=Stage.END)
    assert awaiting_approval(user=approver, term=tree["P"].term).count == 1


def test_nothing_awaits_a_commune_and_nothing_is_asked(tree, make_user, django_assert_num_queries):
    """A role on a committee with nothing below approves nothing: "Chờ duyệt" on every page of a
    commune's secretary costs no query once the roles are read; a role on the district above does,
    and a cell added below the commune makes its secretary an approver from the next request."""
    secretary = make_user("s-c1", tree["P-D1-C1"], role="secretary")
    term = tree["P"].term
    assert can(secretary, tree["P-D1-C1"], Action.VIEW)  # the roles, read once per request
    with django_assert_num_queries(0):
        assert awaiting_approval(user=secretary, term=term).count == 0
    office = make_user("d1", tree["P-D1"])
    with django_assert_num_queries(2):  # the district's office: its roles, then the list
        assert awaiting_approval(user=office, term=term).count == 0
    cell = committee_create(
        term=term, code="P-D1-C1-CB1", name="Chi bộ 1", level="cell", parent=tree["P-D1-C1"]
    )
    again = type(secretary).objects.get(pk=secretary.pk)  # the next request's user
    assert can(again, cell, Action.APPROVE)
    with django_assert_num_queries(1):  # roles already read by `can`: the list is asked for
        assert awaiting_approval(user=again, term=term).count == 0


def _awaiting_by_the_orm(user, term):
    """The query awaiting_approval was before it was written by hand: the rows and count it must give."""
    from django.db.models import F, FilteredRelation, Max, Q

    from indicators.access import approving_parents
    from reviews.models import ReviewState

    parents = approving_parents(user, term)
    committees = (
        Committee.objects.filter(term=term)
        .alias(review=FilteredRelation("reviews", condition=Q(reviews__state=ReviewState.SUBMITTED)))
        .filter(review__isnull=False)
    )
    if parents is not None:
        committees = committees.filter(parent_id__in=sorted(parents))
    ordered = (
        committees.annotate(
            awaiting_stage=F("review__stage"),
            submitted_at=Max("review__events__at", filter=Q(review__events__action="submit")),
        )
        .select_related("parent")
        .order_by("submitted_at", "code", "awaiting_stage")
    )
    return ordered, ordered.count()


def _described(rows):
    return [
        (
            c.pk,
            c.code,
            c.name,
            c.parent_id,
            c.parent.code if c.parent else None,
            c.awaiting_stage,
            c.submitted_at,
        )
        for c in rows
    ]


def test_awaiting_approval_reads_what_the_orm_read_rows_count_and_order(
    tree, make_user, end_campaign, monkeypatch, django_assert_num_queries
):
    from django.contrib.auth import get_user_model

    from reviews.campaign import selectors

    for code in ("P-D1-C2", "P-D1-C1", "P-D2-C1"):
        if code in tree:
            fill_document(tree[code])
            review_step(
                committee=tree[code],
                step=ReviewAction.SUBMIT,
                by=make_user(f"s-{code}", tree[code], role="secretary"),
            )
    term = tree["P"].term
    superuser = get_user_model().objects.create_superuser("root-awaiting", password="x")
    for user in (make_user("d1", tree["P-D1"]), superuser):
        ordered, count = _awaiting_by_the_orm(user, term)
        waiting = awaiting_approval(user=user, term=term)
        assert waiting.count == count >= 2
        assert _described(waiting.rows) == _described(ordered[: selectors.AWAITING_SHOWN])
        assert all(c.submitted_at is None or c.submitted_at.tzinfo is not None for c in waiting.rows)
        # More than shown: the first ones, and the number of all, in two statements.
        monkeypatch.setattr(selectors, "AWAITING_SHOWN", 1)
        with django_assert_num_queries(2):
            few = awaiting_approval(user=user, term=term)
        assert (len(few.rows), few.count) == (1, count)
        assert _described(few.rows) == _described(ordered[:1])
        monkeypatch.undo()


def test_on_time_is_judged_by_the_stages_own_submission(tree, end_campaign):
    """A committee that sent both reports: each stage's "on time" reads that stage's last submission,
    never the committee's latest one (its end report went in before the end deadline, its mid-term
    one today, after that deadline had passed)."""
    commune = tree["P-D1-C1"]
    ReviewEvent.objects.filter(
        review__committee=commune, review__stage=Stage.END, action=ReviewAction.SUBMIT
    ).update(at=timezone.now() - timedelta(days=10))
    fill_document(commune)
    review_step(
        committee=commune,
        step=ReviewAction.SUBMIT,
        by=get_user_model().objects.get(username="s-c1"),
    )
    for stage in Stage.values:
        row = {r.code: r for r in committee_reporting(committee=tree["P-D1"], stage=stage).children}[
            "P-D1-C1"
        ]
        assert (row.state, row.on_time, row.days_late) == ("submitted", True, 0), stage
        assert committee_reporting(committee=tree["P"], stage=stage).levels["commune"].on_time == 1, stage
