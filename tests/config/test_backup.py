"""`backup` then `restore` into an empty database gives back every row of every table that holds data.

The tables are listed here by walking the app registry, not by asking reviews.backup: what this
file leaves out is its own list (NOT_DATA_HERE), which must agree with the code's, so a new model
is either in the round trip (and must have rows in the fixture) or named as not data twice."""

import json
import os
import stat
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from indicators.models import Assessment, Committee, Resolution, Role, Status
from indicators.services.assessments import AssessmentEdit
from indicators.services.committees import committee_update
from indicators.services.people import person_update, role_revoke
from indicators.services.resolutions import resolution_delete
from reviews.models import Lesson, Review, SignedReport, SolutionGroup
from reviews.notifications.services import notify_review_step, reminders_queue, user_language_remember
from reviews.services import review_assess, review_record_event

# What a backup leaves out, written again here on purpose (see the module's docstring).
NOT_DATA_HERE = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accessfailurelog",
    "axes.accesslog",
    "django_tasks_database.dbtaskresult",
    "reviews.renderedreport",
    "reviews.checkedworkbook",
    "reviews.workbookimport",
    "config.workerheartbeat",
}


def data_models():
    """Every table of the registry that holds data, m2m link tables included (users' groups and
    permissions, groups' permissions)."""
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.label_lower not in NOT_DATA_HERE]


def snapshot() -> dict[str, list[dict]]:
    """Every row, every column, of every data table; links to permissions by codename (the
    permissions' ids are the database's own), and a link table's rows without their own id (a
    link is its two ends: the restore writes the links again, as `loaddata` does)."""
    rows = {}
    for model in data_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        if model._meta.auto_created:
            fields.remove("id")
        names = ["permission__codename" if name == "permission_id" else name for name in fields]
        rows[model._meta.label_lower] = list(model._default_manager.order_by(*names).values(*names))
    return rows


def empty_the_database():
    """What a freshly migrated database holds of the data tables: nothing."""
    for model in reversed(data_models()):
        model._default_manager.all()._raw_delete(connection.alias)
    assert all(not m._default_manager.exists() for m in data_models())


@pytest.fixture
def demo_with_history(db):
    """The demo after edits: assessments, a review's texts and steps, a committee moved, a role
    taken away, a resolution deleted, names and positions, notifications (read and unsent e-mails),
    a language chosen, groups and permissions, an admin log entry."""
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
    # A resolution deleted: its history stays, with a copy of what it was.
    resolution_delete(resolution=Resolution.objects.filter(committee__code="BK-CD-NC").first(), by=mover)
    person_update(user=secretary, last_name="Hoàng Thị", first_name="Mai", position="Bí thư Đảng ủy xã")
    user_language_remember(user=secretary, language="en")
    notes = notify_review_step(committee=committee, step="submit", by=secretary)
    notes[0].read_at = notes[0].created_at
    notes[0].save(update_fields=["read_at"])
    reminders_queue(on=date.today())
    LogEntry.objects.create(
        user=mover,
        content_type=ContentType.objects.get_for_model(Committee),
        object_id=str(moved.pk),
        object_repr=str(moved),
        action_flag=CHANGE,
        change_message="[]",
    )
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


def test_the_code_leaves_out_exactly_what_this_test_does():
    from reviews.backup import NOT_DATA, backed_up_models

    assert set(NOT_DATA) == NOT_DATA_HERE
    registry = {m._meta.label_lower for m in apps.get_models()}
    assert registry >= NOT_DATA_HERE  # no stale name
    assert {m._meta.label_lower for m in backed_up_models()} == registry - NOT_DATA_HERE


def test_round_trip_gives_back_every_row_of_every_data_table(demo_with_history, tmp_path):
    before = snapshot()
    # Every data table has rows here, so a table the backup forgot could not compare equal by
    # being empty on both sides (a new model: add rows of it to the fixture, or to NOT_DATA).
    assert [label for label, rows in before.items() if not rows] == []
    assert len(before["indicators.committee"]) > 100
    assert {r["action"] for r in before["indicators.resolutionchange"]} >= {"created", "deleted"}
    assert any(r["position"] for r in before["indicators.profile"])
    assert any(r["state"] == "pending" for r in before["reviews.emaildelivery"])
    path = tmp_path / "backup.json"
    call_command("backup", "-o", str(path), stdout=StringIO())

    empty_the_database()
    call_command("restore", str(path), stdout=StringIO())

    after = snapshot()
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table
    # The restored accounts still log in, and new rows get fresh ids after the restored ones.
    assert get_user_model().objects.get(username="bithu.nongha").check_password("demo-pass-2023")
    new = Lesson.objects.create(review=Lesson.objects.first().review, position=2, text="Mới")
    assert new.pk > max(row["id"] for row in before["reviews.lesson"])


def test_a_backup_of_an_older_release_gets_what_newer_migrations_derive(demo_with_history, tmp_path):
    """A release before committees had a kind and history rows their copies: the restore fills
    them as the migrations that added them did (kind from the name, the copies from the object)."""
    before = snapshot()
    path = tmp_path / "old.json"
    call_command("backup", "-o", str(path), stdout=StringIO())
    rows = json.loads(path.read_text())
    # The columns this release added, by table, and the one that names the row's object.
    added = {
        "indicators.assessmentchange": ("assessment", ["committee", "committee_code", "subject"]),
        "indicators.resolutionchange": ("resolution", ["committee", "committee_code", "subject"]),
        "indicators.indicatorchange": ("indicator", ["committee", "committee_code", "subject"]),
        "indicators.committeechange": ("committee", ["committee_code"]),
        "indicators.rolechange": ("committee", ["committee_code"]),
    }
    for row in rows:
        if row["model"] == "indicators.committee":
            del row["fields"]["kind"]
        # Rows whose object is gone did not exist then (they cascaded away with it).
        elif row["model"] in added and row["fields"][added[row["model"]][0]] is not None:
            for name in added[row["model"]][1]:
                del row["fields"][name]
    path.write_text(json.dumps(rows))

    empty_the_database()
    call_command("restore", str(path), stdout=StringIO())

    after = snapshot()
    assert {c["kind"] for c in after["indicators.committee"]} >= {"district", "city", "commune", "ward"}
    for table, rows_before in before.items():
        assert after[table] == rows_before, table


def test_a_backup_file_is_readable_by_its_owner_only(demo_with_history, tmp_path):
    path = tmp_path / "backup.json"
    call_command("backup", "-o", str(path), stdout=StringIO())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    path.chmod(0o644)  # an older file written over keeps no wider mode
    call_command("backup", "-o", str(path), stdout=StringIO())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


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
    from indicators.services.terms import term_get_or_create

    other = term_get_or_create(code="2015-2020")[0]
    make_committee("OLD", term_=other)
    path = tmp_path / "one.json"
    call_command("backup", "-o", str(path), "--term", "2020-2025", stdout=StringIO())
    rows = json.loads(path.read_text())
    codes = {row["fields"]["code"] for row in rows if row["model"] == "indicators.committee"}
    assert "OLD" not in codes and "BK" in codes
    history = [row for row in rows if row["model"] == "indicators.committeechange"]
    assert history and "OLD" not in {row["fields"]["committee_code"] for row in history}
    # The people the term's rows name come with their own rows (names and positions, language).
    assert {"indicators.profile", "reviews.userlanguage", "reviews.notification"} <= {
        row["model"] for row in rows
    }


def test_backup_of_a_new_term_needs_the_term_its_predecessors_are_in(demo_with_history, tmp_path):
    """The demo's 2025–2030 names committees and indicators of 2020–2025: alone it would restore
    with links to nothing, so it is refused with the term to add; with both it round-trips."""
    path = tmp_path / "new.json"
    with pytest.raises(CommandError, match=r"2020-2025.*--term 2020-2025"):
        call_command("backup", "-o", str(path), "--term", "2025-2030", stdout=StringIO())
    call_command("backup", "-o", str(path), "--term", "2025-2030", "--term", "2020-2025", stdout=StringIO())
    rows = json.loads(path.read_text())
    links = [row for row in rows if row["model"] == "indicators.committeepredecessor"]
    history = [row for row in rows if row["model"] == "indicators.predecessorchange"]
    assert len(links) == 4 and {tuple(row["fields"]["new_codes"]) for row in history} == {
        ("BK", "TN"),
        ("BK-CM-DT", "BK-CM-TT"),
    }
    carried = [
        row
        for row in rows
        if row["model"] == "indicators.indicator" and row["fields"]["predecessor"] is not None
    ]
    assert len(carried) == 5
