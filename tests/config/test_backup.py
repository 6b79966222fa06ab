"""`backup` then `restore` into an empty database gives back every row of every table."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from indicators.models import Assessment, AssessmentChange, Committee, Role, Status
from indicators.services import AssessmentEdit, committee_update, role_revoke
from reviews.backup import backup_querysets
from reviews.models import Lesson, Review, SignedReport, SolutionGroup
from reviews.services import review_assess, review_record_event


def snapshot() -> dict[str, list[dict]]:
    """Every row of every backed-up table, plus the users' group and permission links."""
    rows = {qs.model._meta.label: list(qs.model.objects.order_by("pk").values()) for qs in backup_querysets()}
    User = get_user_model()
    rows["user_groups"] = list(User.groups.through.objects.order_by("pk").values("user_id", "group_id"))
    rows["user_permissions"] = list(
        User.user_permissions.through.objects.order_by("pk").values("user_id", "permission__codename")
    )
    return rows


def empty_the_database():
    """What a freshly migrated database holds of these tables: nothing."""
    User = get_user_model()
    User.groups.through.objects.all().delete()
    User.user_permissions.through.objects.all().delete()
    # Notifications are messages, not records: not in the backup, and a new database has none.
    from reviews.notifications.models import Notification, UserLanguage

    Notification.objects.all().delete()
    UserLanguage.objects.all().delete()
    for qs in reversed(backup_querysets()):
        qs.model.objects.all()._raw_delete(connection.alias)
    # Nothing left: backup_querysets() only covers rows reachable from a term.
    assert not User.objects.exists() and not Committee.objects.exists()


@pytest.fixture
def demo_with_history(db):
    from django.contrib.auth.models import Group, Permission

    call_command("load_demo", password="demo-pass-2023", stdout=StringIO())
    User = get_user_model()
    secretary = User.objects.get(username="bithu.nongha")
    committee = Committee.objects.get(code="BK-CM-NH")
    group = Group.objects.create(name="Văn phòng")
    group.permissions.add(Permission.objects.get(codename="view_committee"))
    secretary.groups.add(group)
    secretary.user_permissions.add(Permission.objects.get(codename="view_indicator"))
    assessments = list(
        Assessment.objects.filter(indicator__resolution__committee=committee).order_by("pk")[:3]
    )
    review_assess(
        committee=committee,
        edits=[
            AssessmentEdit(a.pk, Status.HARD, value="6,5", note="Do dịch bệnh", expected_version=a.version)
            for a in assessments
        ],
        by=secretary,
        source="form",
    )
    review = Review.objects.get(committee=committee)  # created by review_assess
    Lesson.objects.create(review=review, position=1, text="Phát huy vai trò người đứng đầu")
    SolutionGroup.objects.create(review=review, position=1, area="party_building", text="Tăng cường kiểm tra")
    review_record_event(review=review, actor=secretary, action="submit", from_state="draft", reason="Đủ")
    # A committee move and a role taken away by someone no other row names: their history must
    # bring that account along.
    mover = User.objects.create_user("chuyen.donvi", password="x-Secret-2023")
    moved = Committee.objects.get(code="BK-CM-DT")
    elsewhere = Committee.objects.get(code="BK-CD")
    committee_update(committee=moved, name=moved.name, level=moved.level, parent=elsewhere, by=mover)
    role_revoke(role=Role.objects.get(user__username="bithu.namcuong"), by=mover)
    # An accepted signed report, uploaded by someone no other row names: its bytes come back as
    # they were, and its uploader with it.
    uploader = User.objects.create_user("van.thu", password="x-Secret-2023")
    SignedReport.objects.create(
        committee=committee,
        content=b"%PDF-1.7 signed \x00\xff bytes",
        sha256="0" * 64,
        size=26,
        signer="Nguyễn Văn An",
        signer_certificate_sha256="1" * 64,
        signed_at=timezone.now(),
        verification_code="ABCD-EFGH-JK",
        content_digest="2" * 64,
        uploaded_by=uploader,
        uploaded_at=timezone.now(),
    )
    return secretary


def test_round_trip_gives_back_every_row(demo_with_history, tmp_path):
    before = snapshot()
    assert AssessmentChange.objects.count() >= 3
    assert len(before["indicators.Committee"]) > 100
    path = tmp_path / "backup.json"
    call_command("backup", "-o", str(path), stdout=StringIO())
    assert {row["model"] for row in json.loads(path.read_text())} >= {
        "indicators.term", "indicators.committee", "indicators.assessmentchange", "reviews.reviewevent",
        "indicators.role", "auth.user", "indicators.rolechange", "indicators.committeechange",
        "reviews.deadline", "reviews.deadlinechange", "reviews.signedreport",
    }  # fmt: skip

    empty_the_database()
    call_command("restore", str(path), stdout=StringIO())

    after = snapshot()
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table
    # The restored accounts still log in, and new rows get fresh ids after the restored ones.
    assert get_user_model().objects.get(username="bithu.nongha").check_password("demo-pass-2023")
    new = Lesson.objects.create(review=Lesson.objects.first().review, position=2, text="Mới")
    assert new.pk > max(row["id"] for row in before["reviews.Lesson"])


def test_restore_refuses_a_non_empty_database(demo_with_history, tmp_path):
    path = tmp_path / "backup.json"
    call_command("backup", "-o", str(path), stdout=StringIO())
    rows_before = Committee.objects.count()
    with pytest.raises(CommandError, match="Cơ sở dữ liệu không trống"):
        call_command("restore", str(path))
    assert Committee.objects.count() == rows_before


def test_restore_of_a_file_that_is_not_a_backup_says_so(db, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("this is not json")
    with pytest.raises(CommandError, match="không phải là bản sao lưu hợp lệ"):
        call_command("restore", str(path))


def test_backup_of_one_term_leaves_out_the_others(demo_with_history, tmp_path, make_committee):
    from indicators.services import term_get_or_create

    other = term_get_or_create(code="2015-2020")[0]
    make_committee("OLD", term_=other)
    path = tmp_path / "one.json"
    call_command("backup", "-o", str(path), "--term", "2020-2025", stdout=StringIO())
    codes = {
        row["fields"]["code"]
        for row in json.loads(path.read_text())
        if row["model"] == "indicators.committee"
    }
    assert "OLD" not in codes and "BK" in codes
