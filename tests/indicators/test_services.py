from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from indicators.models import (
    Assessment,
    AssessmentChange,
    ChangeSource,
    Committee,
    CommitteeChange,
    Indicator,
    IndicatorChange,
    Resolution,
    ResolutionChange,
    Role,
    RoleChange,
    Status,
)
from indicators.numbering import number_sort_key
from indicators.results import Results
from indicators.selectors import committee_rollup, counters_drift
from indicators.services.assessments import (
    AssessmentConflict,
    AssessmentEdit,
    EditResult,
    assessments_update,
    committee_recount,
)
from indicators.services.committees import committee_create, committee_update, committees_bulk_create
from indicators.services.indicators import (
    IndicatorContentEdit,
    indicator_create,
    indicator_delete,
    indicator_update,
    indicators_bulk_create,
    indicators_bulk_update_content,
)
from indicators.services.people import account_get_or_create, role_grant, role_revoke
from indicators.services.resolutions import (
    ResolutionRow,
    resolution_create,
    resolution_delete,
    resolution_update,
    resolutions_bulk_create,
)
from indicators.services.terms import term_get_or_create, term_parse_code, term_update
from indicators.tally import Tally
from tests.conftest import assess_one


def history_mark(model) -> int:
    """The last history row so far: the fixtures' creations write rows too, and a test of a
    change looks only at the rows written after this."""
    return model.objects.aggregate(last=Max("pk"))["last"] or 0


def test_term_codes_accept_any_dash():
    assert term_parse_code("2020 – 2025") == (2020, 2025)
    with pytest.raises(ValueError, match="2020-2025"):
        term_parse_code("2020")
    with pytest.raises(ValueError):
        term_parse_code("2025-2020")


def test_term_created_from_its_years(db):
    term, created = term_get_or_create(code="2025-2030")
    assert created and (term.start_year, term.end_year, term.code) == (2025, 2030, "2025-2030")
    assert term_get_or_create(code="2025–2030") == (term, False)


def test_status_change_moves_the_counters_and_writes_history(tree, make_user):
    user = make_user("sec")
    commune = tree["P-D1-C1"]
    a = Assessment.objects.filter(indicator__resolution__committee=commune, status="hard").get()
    mark = history_mark(AssessmentChange)
    assess_one(assessment=a, status=Status.ACHIEVED, value="12", note="", by=user)
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=3)
    change = AssessmentChange.objects.get(assessment=a, pk__gt=mark)
    assert (change.old_status, change.new_status, change.changed_by) == ("hard", "achieved", user)
    assert (change.old_value, change.new_value) == ("", "12")
    assert counters_drift(term=commune.term) == []


def test_unchanged_save_writes_no_history(tree):
    a = Assessment.objects.filter(indicator__resolution__committee=tree["P"]).first()
    mark = history_mark(AssessmentChange)
    assess_one(assessment=a, status=a.status, value=a.value, note=a.note)
    assert not AssessmentChange.objects.filter(pk__gt=mark).exists()


def test_stale_version_is_refused_and_nothing_is_saved(tree):
    a, b = Assessment.objects.filter(indicator__resolution__committee=tree["P"])[:2]
    mark = history_mark(AssessmentChange)
    assess_one(assessment=a, status=Status.HARD, note="x", expected_version=a.version)
    with pytest.raises(AssessmentConflict) as exc:
        assessments_update(
            edits=[
                AssessmentEdit(b.pk, Status.NOT_ACHIEVED, note="y", expected_version=b.version),
                AssessmentEdit(a.pk, Status.ACHIEVED, expected_version=a.version),  # stale
            ]
        )
    assert [c.assessment.pk for c in exc.value.conflicts] == [a.pk]
    b.refresh_from_db()
    assert b.status != Status.NOT_ACHIEVED
    assert AssessmentChange.objects.filter(pk__gt=mark).count() == 1


def test_moving_a_committee_moves_its_subtree(tree):
    d1, d2 = tree["P-D1"], tree["P-D2"]
    committee_update(committee=tree["P-D1-C1"], name="C1", level="commune", parent=d2)
    assert committee_rollup(committee=d2).subtree_committees == 4
    assert committee_rollup(committee=d1).subtree_committees == 2
    with pytest.raises(ValueError):
        committee_update(
            committee=d2, name="x", level="district", parent=Committee.objects.get(code="P-D1-C1")
        )


def test_resolution_kind_change_and_indicator_delete_keep_counters_exact(tree):
    commune = tree["P-D2-C2"]
    resolution = commune.resolutions.get()
    resolution_update(resolution=resolution, kind="thematic", date=None, title="")
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally()
    resolution_update(resolution=resolution, kind="congress", date=None, title="")
    indicator_delete(indicator=resolution.indicators.first())
    commune.refresh_from_db()
    assert Tally.of_committee(commune).total == 2
    assert counters_drift(term=commune.term) == []


# ---- each service's own promises (written against the survivors of `make mutate`) ------------


def test_term_code_needs_two_four_digit_years_in_order():
    assert term_parse_code(" 2020 — 2025 ") == (2020, 2025)
    for bad in ("2020-2025-2030", "20201-2025", "202-2025", "abcd-2025"):
        with pytest.raises(ValueError) as exc:
            term_parse_code(bad)
        assert str(exc.value) == f"Nhiệm kỳ “{bad}” không hợp lệ; hãy viết dạng 2020-2025."
    with pytest.raises(ValueError) as exc:
        term_parse_code("2020-2020")
    assert str(exc.value) == "Nhiệm kỳ “2020-2020”: năm kết thúc phải sau năm bắt đầu."


def test_midterm_date_defaults_to_the_middle_of_the_term_and_can_be_set(db):
    assert term_get_or_create(code="2020-2025")[0].midterm_date == date(2022, 6, 30)
    assert term_get_or_create(code="2021-2027")[0].midterm_date == date(2024, 6, 30)
    chosen = term_get_or_create(code="2030-2035", midterm_date=date(2033, 1, 15))[0]
    assert chosen.midterm_date == date(2033, 1, 15)
    term_update(term=chosen, midterm_date=date(2032, 12, 1))
    chosen.refresh_from_db()
    assert chosen.midterm_date == date(2032, 12, 1)


def test_new_committee_gets_its_path_and_depth_below_its_parent(term):
    top = committee_create(term=term, code="T", name="Tỉnh", level="province")
    child = committee_create(term=term, code="T-H", name="Huyện", level="district", parent=top)
    top.refresh_from_db()
    child.refresh_from_db()
    assert (top.path, top.depth) == (str(top.pk).zfill(7), 1)
    assert (child.path, child.depth) == (top.path + str(child.pk).zfill(7), 2)


def test_committee_parent_must_be_of_the_same_term(term, make_committee):
    other = term_get_or_create(code="2025-2030")[0]
    top = make_committee("P")
    with pytest.raises(ValueError):
        committee_create(term=other, code="X", name="X", level="district", parent=top)
    elsewhere = make_committee("Q", term_=other)
    with pytest.raises(ValueError):
        committee_update(committee=elsewhere, name="Q", level="province", parent=top)


def test_committee_update_writes_one_history_row_per_real_change(tree, make_user):
    staff = make_user("staff", is_staff=True)
    c11, d1, d2 = tree["P-D1-C1"], tree["P-D1"], tree["P-D2"]
    mark = history_mark(CommitteeChange)
    committee_update(committee=c11, name=c11.name, level=c11.level, parent=d1, by=staff)
    assert not CommitteeChange.objects.filter(pk__gt=mark).exists()
    committee_update(committee=c11, name="Xã mới", level="commune", parent=d2, by=staff)
    change = CommitteeChange.objects.get(pk__gt=mark)
    assert (change.action, change.committee_code) == ("changed", "P-D1-C1")
    assert (change.committee, change.changed_by, change.old_parent, change.new_parent) == (c11, staff, d1, d2)
    assert (change.old_name, change.new_name, change.old_level, change.new_level) == (
        "Đảng bộ P-D1-C1",
        "Xã mới",
        "commune",
        "commune",
    )
    c11.refresh_from_db()
    assert (c11.name, c11.parent, c11.path, c11.depth) == ("Xã mới", d2, d2.path + str(c11.pk).zfill(7), 3)


def test_moving_a_district_to_the_top_shifts_the_depth_of_its_whole_subtree(tree):
    d1 = tree["P-D1"]
    committee_update(committee=d1, name=d1.name, level="province", parent=None)
    moved = {c.code: (c.path, c.depth) for c in Committee.objects.filter(code__startswith="P-D1")}
    top = str(d1.pk).zfill(7)
    assert moved == {
        "P-D1": (top, 1),
        "P-D1-C1": (top + str(tree["P-D1-C1"].pk).zfill(7), 2),
        "P-D1-C2": (top + str(tree["P-D1-C2"].pk).zfill(7), 2),
    }


def test_a_committee_cannot_move_under_itself_or_its_own_subtree(tree):
    d1 = tree["P-D1"]
    mark = history_mark(CommitteeChange)
    for below in (d1, tree["P-D1-C1"]):
        with pytest.raises(ValueError):
            committee_update(committee=d1, name=d1.name, level=d1.level, parent=below)
    assert not CommitteeChange.objects.filter(pk__gt=mark).exists()


def test_bulk_created_committees_take_their_place_in_the_tree_whatever_the_row_order(term, make_committee):
    top = make_committee("P")
    created = committees_bulk_create(
        term=term,
        rows=[
            {"code": "P-D1-C1", "name": "Xã 1", "level": "commune", "parent_code": "P-D1"},
            {"code": "P-D1", "name": "Huyện 1", "level": "district", "parent_code": "P"},
            {"code": "Q", "name": "Tỉnh khác", "level": "province", "parent_code": ""},
        ],
    )
    assert sorted(c.code for c in created) == ["P-D1", "P-D1-C1", "Q"]
    stored = {c.code: c for c in Committee.objects.filter(term=term)}
    d1, c1, q = stored["P-D1"], stored["P-D1-C1"], stored["Q"]
    assert (d1.parent, d1.depth, d1.path) == (top, 2, top.path + str(d1.pk).zfill(7))
    assert (c1.parent, c1.depth, c1.path) == (d1, 3, d1.path + str(c1.pk).zfill(7))
    assert (q.parent, q.depth, q.path, q.name, q.level) == (
        None,
        1,
        str(q.pk).zfill(7),
        "Tỉnh khác",
        "province",
    )


def test_bulk_create_names_the_parents_it_cannot_find(term):
    rows = [
        {"code": "A", "name": "A", "level": "district", "parent_code": "NONE-1"},
        {"code": "B", "name": "B", "level": "district", "parent_code": "NONE-2"},
    ]
    with pytest.raises(ValueError, match="NONE-1, NONE-2"):
        committees_bulk_create(term=term, rows=rows)
    assert not Committee.objects.exists()


def test_resolution_update_renumbers_and_keeps_counters_when_the_kind_stays(tree):
    commune = tree["P-D1-C1"]
    resolution = commune.resolutions.get()
    resolution_update(resolution=resolution, kind="congress", date=date(2021, 3, 1), title="Mới", number="02")
    resolution.refresh_from_db()
    commune.refresh_from_db()
    assert (resolution.number, resolution.date, resolution.title) == ("02", date(2021, 3, 1), "Mới")
    assert Tally.of_committee(commune) == Tally(achieved=2, hard=1)


def test_deleting_a_congress_resolution_recounts_but_a_thematic_one_counts_for_nothing(tree):
    commune = tree["P-D1-C1"]
    thematic = resolution_create(committee=commune, number="05-NQ/TU", kind="thematic", title="Chuyên đề")
    indicator_create(resolution=thematic, number="1", text="Chuyên đề 1", status=Status.HARD)
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=2, hard=1)
    resolution_delete(resolution=thematic)
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=2, hard=1)
    resolution_delete(resolution=commune.resolutions.get())
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally()


def test_new_indicator_records_who_assessed_it_only_when_it_is_assessed(tree, make_user):
    user = make_user("sec")
    resolution = tree["P-D2-C2"].resolutions.get()
    assessed = indicator_create(
        resolution=resolution, number="9", text="A", status=Status.HARD, note="n", by=user
    )
    blank = indicator_create(resolution=resolution, number="10", text="B", by=user)
    a, b = Assessment.objects.get(indicator=assessed), Assessment.objects.get(indicator=blank)
    assert (a.status, a.note, a.updated_by) == ("hard", "n", user) and a.updated_at is not None
    assert (b.status, b.updated_by, b.updated_at) == ("not_assessed", None, None)
    commune = Committee.objects.get(pk=tree["P-D2-C2"].pk)
    assert Tally.of_committee(commune) == Tally(achieved=2, hard=2, not_assessed=1)


def test_bulk_created_indicators_store_every_column_and_count_only_the_congress_ones(tree, make_user):
    user = make_user("import")
    commune = tree["P-D2-C1"]
    congress = commune.resolutions.get()
    thematic = resolution_create(committee=commune, number="07-NQ/TU", kind="thematic")
    full = {"field": "economy", "unit": "%", "target": "95", "value": "96", "note": "Tốt"}
    with transaction.atomic():
        created = indicators_bulk_create(
            rows=[
                (congress, {"number": "10.2", "text": "Mười", "status": "achieved", **full}),
                (congress, {"number": "11", "text": "Mười một", "status": ""}),
                (thematic, {"number": "1", "text": "Chuyên đề", "status": "hard", "note": "Khó"}),
            ],
            by=user,
        )
    first = Indicator.objects.at_stage().select_related("assessment").get(pk=created[0].pk)
    assert (first.number, first.text, first.field, first.unit, first.target) == (
        "10.2",
        "Mười",
        "economy",
        "%",
        "95",
    )
    assert first.sort_key == number_sort_key("10.2")
    a = first.assessment
    assert (a.status, a.value, a.note, a.updated_by) == ("achieved", "96", "Tốt", user) and a.updated_at
    second = Indicator.objects.get(pk=created[1].pk)
    assert (second.number, second.field, second.unit, second.target) == ("11", "", "", "")
    b = Assessment.objects.get(indicator=created[1])
    assert (b.status, b.value, b.note, b.updated_by, b.updated_at) == ("not_assessed", "", "", None, None)
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=3, hard=1, not_assessed=1)
    assert counters_drift(term=commune.term) == []


def test_indicator_update_changes_its_words_not_its_assessment(tree):
    indicator = Indicator.objects.filter(resolution__committee=tree["P"]).order_by("pk").first()
    assert indicator is not None
    mark = history_mark(AssessmentChange)
    indicator_update(indicator=indicator, number="1a", text="Mới", field="environment", unit="ha", target="3")
    stored = Indicator.objects.get(pk=indicator.pk)
    assert (stored.number, stored.text, stored.field, stored.unit, stored.target) == (
        "1a",
        "Mới",
        "environment",
        "ha",
        "3",
    )
    assert stored.sort_key == number_sort_key("1a")
    assert stored.assessment.version == 0 and not AssessmentChange.objects.filter(pk__gt=mark).exists()


def test_assessments_update_refuses_unknown_rows_and_statuses_before_writing(tree):
    a = Assessment.objects.filter(indicator__resolution__committee=tree["P"]).order_by("pk").first()
    assert a is not None
    mark = history_mark(AssessmentChange)
    assert assessments_update(edits=[]) == EditResult()
    with pytest.raises(Assessment.DoesNotExist):
        assessments_update(edits=[AssessmentEdit(a.pk, Status.HARD), AssessmentEdit(10**6, Status.HARD)])
    with pytest.raises(ValueError):
        assessments_update(edits=[AssessmentEdit(a.pk, Status.HARD, note="x"), AssessmentEdit(a.pk, "great")])
    assert not AssessmentChange.objects.filter(pk__gt=mark).exists()
    assert Assessment.objects.get(pk=a.pk).version == 0


def test_each_changed_assessment_gets_a_new_version_and_one_full_history_row(tree, make_user):
    user = make_user("sec")
    a, b, c = Assessment.objects.filter(indicator__resolution__committee=tree["P"]).order_by("pk")[:3]
    mark = history_mark(AssessmentChange)
    result = assessments_update(
        edits=[
            AssessmentEdit(a.pk, a.status, value=a.value, note=a.note, expected_version=0),
            AssessmentEdit(b.pk, Status.NOT_ACHIEVED, value="4", note="Mưa lũ", expected_version=0),
            AssessmentEdit(c.pk, c.status, value="7,5", note=c.note),
        ],
        by=user,
        source=ChangeSource.IMPORT,
    )
    assert result.unchanged == 1 and [x.pk for x in result.changed] == [b.pk, c.pk]
    stored_b = Assessment.objects.get(pk=b.pk)
    assert (stored_b.status, stored_b.value, stored_b.note, stored_b.version) == (
        "not_achieved",
        "4",
        "Mưa lũ",
        1,
    )
    assert stored_b.updated_by == user and stored_b.updated_at is not None
    assert Assessment.objects.get(pk=a.pk).version == 0
    change = AssessmentChange.objects.get(assessment=b, pk__gt=mark)
    assert (change.changed_by, change.source, change.changed_at) == (user, "import", stored_b.updated_at)
    assert (change.old_status, change.new_status, change.old_note, change.new_note) == (
        "achieved",
        "not_achieved",
        "",
        "Mưa lũ",
    )
    province = Committee.objects.get(pk=tree["P"].pk)
    assert Tally.of_committee(province) == Tally(achieved=1, hard=1, not_achieved=2)


def test_status_changes_in_a_thematic_resolution_leave_the_tally_alone(tree):
    commune = tree["P-D1-C2"]
    thematic = resolution_create(committee=commune, number="03-NQ/TU", kind="thematic")
    indicator = indicator_create(resolution=thematic, number="1", text="Chuyên đề")
    assess_one(assessment=Assessment.objects.get(indicator=indicator), status=Status.NOT_ACHIEVED, note="x")
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=2, hard=1)


def test_a_conflict_says_so_in_the_users_language(tree):
    a = Assessment.objects.filter(indicator__resolution__committee=tree["P"]).order_by("pk").first()
    assert a is not None
    with pytest.raises(AssessmentConflict) as exc:
        assess_one(assessment=a, status=Status.HARD, note="x", expected_version=5)
    assert str(exc.value) == "Chỉ tiêu đã được người khác thay đổi."
    assert [c.assessment.pk for c in exc.value.conflicts] == [a.pk]


def test_recount_reads_only_the_congress_resolution(tree):
    commune = tree["P-D1-C1"]
    thematic = resolution_create(committee=commune, number="04-NQ/TU", kind="thematic")
    indicator_create(resolution=thematic, number="1", text="Chuyên đề", status=Status.NOT_ACHIEVED, note="x")
    Committee.objects.filter(pk=commune.pk).update(n_achieved=0, n_hard=9, n_not_achieved=9, n_not_assessed=9)
    commune.refresh_from_db()
    committee_recount(committee=commune)
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=2, hard=1)


def test_a_new_account_gets_the_password_given_or_none_and_an_old_one_keeps_its_own(db):
    user, created = account_get_or_create(username="moi", password="Mat-khau-2023")
    assert created and user.check_password("Mat-khau-2023") and not (user.is_staff or user.is_superuser)
    blank, _created = account_get_or_create(username="chua-co", password="")
    assert not blank.has_usable_password()
    again, created_again = account_get_or_create(username="moi", password="Khac-hoan-toan-1")
    assert (again.pk, created_again) == (user.pk, False)
    again.refresh_from_db()
    assert again.check_password("Mat-khau-2023")
    root, _created = account_get_or_create(username="quantri", superuser=True)
    assert root.is_staff and root.is_superuser


def test_granting_and_revoking_a_role_each_leave_a_history_row(tree, make_user):
    staff = make_user("staff", is_staff=True)
    commune = tree["P-D1-C1"]
    with pytest.raises(ValueError, match="chief"):
        role_grant(username="bithu", committee=commune, role="chief")
    grant = role_grant(username="bithu", committee=commune, role="secretary", by=staff)
    assert grant.user_created and grant.role_created
    assert (grant.role.user, grant.role.committee, grant.role.role) == (grant.user, commune, "secretary")
    repeat = role_grant(username="bithu", committee=commune, role="secretary", by=staff)
    assert not repeat.user_created and not repeat.role_created and repeat.role == grant.role
    granted = RoleChange.objects.get()
    assert (
        granted.user,
        granted.username,
        granted.committee,
        granted.role,
        granted.action,
        granted.changed_by,
    ) == (
        grant.user,
        "bithu",
        commune,
        "secretary",
        "granted",
        staff,
    )
    role_revoke(role=grant.role, by=staff)
    assert not Role.objects.filter(pk=grant.role.pk).exists()
    revoked = RoleChange.objects.exclude(pk=granted.pk).get()
    assert (revoked.username, revoked.role, revoked.action, revoked.changed_by) == (
        "bithu",
        "secretary",
        "revoked",
        staff,
    )


def test_bulk_created_indicators_keep_how_they_are_measured_and_their_results(tree):
    resolution = tree["P-D2-C1"].resolutions.get()
    results = Results.build(baseline="10", years={2021: ("9", False), 2025: ("5", True)}, forecast="5")
    with transaction.atomic():
        measured, plain = indicators_bulk_create(
            rows=[
                (
                    resolution,
                    {"number": "20", "text": "Hộ nghèo", "measure": "cumulative", "direction": "down"},
                ),
                (resolution, {"number": "21", "text": "Thu ngân sách", "results": results}),
            ]
        )
    measured.refresh_from_db()
    assert (measured.measure, measured.direction) == ("cumulative", "down")
    stored = Indicator.objects.at_stage().select_related("assessment").get(pk=plain.pk)
    assert (stored.measure, stored.direction) == ("level", "up")
    assert Results.of(stored.assessment) == results


def test_bulk_create_refuses_results_outside_the_years_of_the_term(tree):
    resolution = tree["P-D2-C1"].resolutions.get()
    for year, message in ((2020, "Năm 2020 không"), (2026, "Năm 2026 không")):
        bad = Results.build(years={year: ("1", False)})
        with pytest.raises(ValueError) as exc, transaction.atomic():
            indicators_bulk_create(rows=[(resolution, {"number": "30", "text": "x", "results": bad})])
        assert str(exc.value) == f"{message} thuộc các năm 2021–2025 của nhiệm kỳ."
    assert not Indicator.objects.filter(number="30").exists()


# ---- the history of what resolutions and indicators say ----------------------------------------


def _history(model, **subject):
    return [
        (c.action, c.source, c.changed_by, c.old, c.new)
        for c in model.objects.filter(**subject).order_by("pk")
    ]


def test_a_resolution_created_and_changed_leaves_a_row_each_with_only_what_changed(
    term, make_committee, make_user
):
    user = make_user("staff")
    committee = make_committee("X")
    resolution = resolution_create(committee=committee, number="01", title="Đại hội", by=user)
    # The same again: no row.
    resolution_update(resolution=resolution, kind="congress", date=None, title="Đại hội", by=user)
    resolution_update(
        resolution=resolution,
        kind="thematic",
        date=date(2021, 3, 1),
        title="Đại hội",
        number="02",
        by=user,
        source=ChangeSource.IMPORT,
    )
    created = {"number": "01", "kind": "congress", "date": None, "title": "Đại hội"}
    assert _history(ResolutionChange, resolution=resolution) == [
        ("created", "form", user, None, created),
        (
            "changed",
            "import",
            user,
            {"number": "01", "kind": "congress", "date": None},
            {"number": "02", "kind": "thematic", "date": "2021-03-01"},
        ),
    ]


def test_a_resolution_change_is_compared_with_the_stored_row_not_the_instance(tree):
    """The admin's form sets the instance's fields before the service runs."""
    resolution = tree["P"].resolutions.get()
    resolution.title = "Đã sửa trên biểu mẫu"
    resolution_update(resolution=resolution, kind="congress", date=None, title="Đã sửa trên biểu mẫu")
    assert ResolutionChange.objects.filter(resolution=resolution, action="changed").get().new == {
        "title": "Đã sửa trên biểu mẫu"
    }


def test_an_indicator_created_and_changed_leaves_a_row_each_with_only_what_changed(tree, make_user):
    user = make_user("staff")
    resolution = tree["P-D1"].resolutions.get()
    indicator = indicator_create(
        resolution=resolution, number="9", text="Hộ nghèo", unit="%", target="2", direction="down", by=user
    )
    indicator.text = "Sửa trên biểu mẫu"  # as the admin's inline form leaves it
    indicator_update(indicator=indicator, number="9", text="Hộ nghèo", unit="%", target="2")  # no change
    indicator_update(
        indicator=indicator,
        number="9",
        text="Tỷ lệ hộ nghèo",
        unit="%",
        target="1,5",
        measure="average",
        by=user,
    )
    indicator_update(
        indicator=indicator, number="9", text="Tỷ lệ hộ nghèo", unit="%", target="1,5", direction="up"
    )
    stored = Indicator.objects.get(pk=indicator.pk)
    assert (stored.text, stored.target, stored.measure, stored.direction) == (
        "Tỷ lệ hộ nghèo",
        "1,5",
        "average",
        "up",
    )
    assert _history(IndicatorChange, indicator=indicator) == [
        (
            "created",
            "form",
            user,
            None,
            {
                "number": "9",
                "text": "Hộ nghèo",
                "field": "",
                "unit": "%",
                "target": "2",
                "measure": "level",
                "direction": "down",
                "part_of": "",
                "target_adjusted": "",
                "target_adjusted_by": "",
            },
        ),
        (
            "changed",
            "form",
            user,
            {"text": "Hộ nghèo", "target": "2", "measure": "level"},
            {"text": "Tỷ lệ hộ nghèo", "target": "1,5", "measure": "average"},
        ),
        ("changed", "form", None, {"direction": "down"}, {"direction": "up"}),
    ]


def test_a_history_row_is_undone_with_the_change_it_records(tree):
    resolution = tree["P"].resolutions.get()
    with pytest.raises(ValidationError):
        resolution_update(resolution=resolution, kind="nonsense", date=None, title="")
    with pytest.raises(ValidationError):
        indicator_update(
            indicator=Indicator.objects.filter(resolution=resolution).first(), number="1", text=""
        )
    assert not ResolutionChange.objects.filter(action="changed").exists()
    assert not IndicatorChange.objects.filter(action="changed").exists()


# ---- the workbook import's bulk forms ----------------------------------------------------------


def test_bulk_created_resolutions_are_validated_and_each_leaves_its_history_row(
    term, make_committee, make_user
):
    user = make_user("import")
    x, y = make_committee("X"), make_committee("Y")
    created = resolutions_bulk_create(
        rows=[ResolutionRow(x.pk, "01"), ResolutionRow(y.pk, "01", kind="thematic")], by=user
    )
    assert [(r.committee_id, r.number, r.kind) for r in Resolution.objects.order_by("pk")] == [
        (x.pk, "01", "congress"),
        (y.pk, "01", "thematic"),
    ]
    assert [_history(ResolutionChange, resolution=r) for r in created] == [
        [("created", "import", user, None, {"number": "01", "kind": "congress", "date": None, "title": ""})],
        [("created", "import", user, None, {"number": "01", "kind": "thematic", "date": None, "title": ""})],
    ]
    with pytest.raises(ValidationError) as error:
        resolutions_bulk_create(rows=[ResolutionRow(x.pk, "02", kind="nonsense")])
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        resolutions_bulk_create(rows=[ResolutionRow(x.pk, "x" * 41)])
    assert "number" in error.value.message_dict
    assert Resolution.objects.count() == 2 and ResolutionChange.objects.count() == 2


@pytest.mark.parametrize(
    "numbers",
    [
        pytest.param([("X", "01")], id="taken in the database"),
        pytest.param([("Y", "05"), ("Y", "05")], id="twice in the batch"),
    ],
)
def test_bulk_resolutions_refuse_a_number_the_committee_has_and_write_nothing(term, make_committee, numbers):
    committees = {"X": make_committee("X"), "Y": make_committee("Y")}
    resolution_create(committee=committees["X"], number="01")
    before = ResolutionChange.objects.count()
    with pytest.raises(ValidationError) as error:
        resolutions_bulk_create(
            rows=[ResolutionRow(committees["Y"].pk, "01")]
            + [ResolutionRow(committees[code].pk, number) for code, number in numbers]
        )
    assert error.value.code == "duplicate_resolution"
    assert error.value.messages == ["Số nghị quyết đã có trong đơn vị."]
    assert Resolution.objects.count() == 1 and ResolutionChange.objects.count() == before


def test_bulk_created_indicators_are_validated_and_leave_content_and_assessment_history(tree, make_user):
    user = make_user("import")
    resolution = tree["P-D1-C1"].resolutions.get()
    created = indicators_bulk_create(
        rows=[
            (
                resolution,
                {"number": "4", "text": "Bốn", "unit": "%", "target": "5", "status": "hard", "note": "Khó"},
            ),
            (resolution, {"number": "5", "text": "Năm"}),
        ],
        by=user,
    )
    four, five = created
    assert _history(IndicatorChange, indicator=four) == [
        (
            "created",
            "import",
            user,
            None,
            {
                "number": "4",
                "text": "Bốn",
                "field": "",
                "unit": "%",
                "target": "5",
                "measure": "level",
                "direction": "up",
                "part_of": "",
                "target_adjusted": "",
                "target_adjusted_by": "",
            },
        )
    ]
    assert [c.action for c in IndicatorChange.objects.filter(indicator=five)] == ["created"]
    change = AssessmentChange.objects.get(assessment__indicator=four)
    assert (change.source, change.changed_by, change.old_status, change.new_status, change.new_note) == (
        "import",
        user,
        "not_assessed",
        "hard",
        "Khó",
    )
    assert not AssessmentChange.objects.filter(assessment__indicator=five).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"number": "6", "text": ""}, "text"),
        ({"number": "6", "text": "Sáu", "field": "nonsense"}, "field"),
        ({"number": "6", "text": "Sáu", "unit": "u" * 61}, "unit"),
        ({"number": "6", "text": "Sáu", "measure": "nonsense"}, "measure"),
        ({"number": "6", "text": "Sáu", "direction": "sideways"}, "direction"),
        ({"number": "6" * 21, "text": "Sáu"}, "number"),
        ({"number": "6", "text": "Sáu", "status": "nonsense"}, "status"),
        ({"number": "6", "text": "Sáu", "value": "v" * 201}, "value"),
    ],
)
def test_bulk_indicators_are_validated_as_indicator_create_validates_them(tree, data, field):
    resolution = tree["P-D1-C1"].resolutions.get()
    before = (Indicator.objects.count(), IndicatorChange.objects.count())
    with pytest.raises(ValidationError) as error:
        indicators_bulk_create(rows=[(resolution, data)])
    assert field in error.value.message_dict
    assert (Indicator.objects.count(), IndicatorChange.objects.count()) == before


@pytest.mark.parametrize("numbers", [["3"], ["7", "7"]], ids=["taken in the database", "twice in the batch"])
def test_bulk_indicators_refuse_a_number_the_resolution_has_and_write_nothing(tree, numbers):
    resolution = tree["P-D1-C1"].resolutions.get()
    other = tree["P-D1-C2"].resolutions.get()
    before = Indicator.objects.count()
    with pytest.raises(ValidationError) as error:
        indicators_bulk_create(
            rows=[(other, {"number": "8", "text": "Tám"})]
            + [(resolution, {"number": n, "text": "Trùng"}) for n in numbers]
        )
    assert error.value.code == "duplicate_indicator"
    assert error.value.messages == ["Số thứ tự chỉ tiêu đã có trong nghị quyết."]
    assert Indicator.objects.count() == before


def test_bulk_content_changes_are_validated_and_leave_a_row_only_where_something_changed(tree, make_user):
    user = make_user("import")
    one, two = Indicator.objects.filter(resolution__committee=tree["P-D1"]).order_by("sort_key")
    # The first row as it is, the second changed: a row left alone does not end the history.
    edits = [
        IndicatorContentEdit(
            indicator_id=one.pk, text=one.text, field=one.field, unit=one.unit, target=one.target
        ),
        IndicatorContentEdit(indicator_id=two.pk, text="Mới", field="economy", unit="ha", target="3"),
    ]
    indicators_bulk_update_content(edits=edits, by=user)
    stored = Indicator.objects.get(pk=two.pk)
    assert (stored.text, stored.field, stored.unit, stored.target) == ("Mới", "economy", "ha", "3")
    assert _history(IndicatorChange, indicator=two, action="changed") == [
        (
            "changed",
            "import",
            user,
            {"text": two.text, "unit": "", "target": ""},
            {"text": "Mới", "unit": "ha", "target": "3"},
        )
    ]
    assert not IndicatorChange.objects.filter(indicator=one, action="changed").exists()
    with pytest.raises(ValidationError) as error:
        indicators_bulk_update_content(
            edits=[
                IndicatorContentEdit(indicator_id=one.pk, text="Hai", field="nonsense", unit="", target="")
            ]
        )
    assert "field" in error.value.message_dict
    assert Indicator.objects.get(pk=one.pk).text == one.text


def test_a_new_account_keeps_the_email_given(db):
    user, created = account_get_or_create(username="thu.ky", email="thuky@example.vn")
    assert created and get_user_model().objects.get(pk=user.pk).email == "thuky@example.vn"


# ---- one audit policy: create, change and delete each write a history row that outlives its object


def test_creating_a_committee_writes_its_created_row(term, make_user):
    staff = make_user("staff", is_staff=True)
    top = committee_create(term=term, code="T", name="Tỉnh  ủy\nT", level="province", by=staff)
    row = CommitteeChange.objects.get(committee=top)
    assert (row.action, row.committee_code, row.changed_by, row.old_name, row.new_name, row.new_level) == (
        "created",
        "T",
        staff,
        "",
        "Tỉnh ủy T",
        "province",
    )


def test_creating_an_assessed_indicator_writes_its_assessment_row(term, make_committee, make_user):
    user = make_user("sec")
    resolution = resolution_create(committee=make_committee("P"), number="01-NQ/ĐH", by=user)
    assert ResolutionChange.objects.get(resolution=resolution).action == "created"
    assessed = indicator_create(
        resolution=resolution, number="1", text="Thu", status="hard", note="Khó", by=user
    )
    blank = indicator_create(resolution=resolution, number="2", text="Chi", by=user)
    row = AssessmentChange.objects.get()
    assert (row.assessment, row.old_status, row.new_status, row.new_note, row.changed_by) == (
        assessed.assessment,
        "not_assessed",
        "hard",
        "Khó",
        user,
    )
    assert (row.committee_code, row.subject) == ("P", "01-NQ/ĐH – 1. Thu")
    assert not AssessmentChange.objects.filter(assessment=blank.assessment).exists()
    assert IndicatorChange.objects.filter(action="created").count() == 2


def test_deleting_an_indicator_writes_its_deleted_row_and_keeps_its_history(tree, make_user):
    user = make_user("staff", is_staff=True)
    indicator = Indicator.objects.filter(resolution__committee=tree["P-D1-C1"]).order_by("pk").last()
    assess_one(assessment=indicator.assessment, status="not_achieved", note="Lũ", by=user)
    history = set(
        AssessmentChange.objects.filter(assessment__indicator=indicator).values_list("pk", flat=True)
    )
    assert len(history) == 1
    indicator_delete(indicator=indicator, by=user)
    row = IndicatorChange.objects.get(action="deleted")
    assert (row.indicator, row.committee_code, row.changed_by, row.new) == (None, "P-D1-C1", user, None)
    assert (
        row.old["text"] == indicator.text
        and row.subject == f"01-NQ/ĐH – {indicator.number}. {indicator.text}"
    )
    assert (
        set(AssessmentChange.objects.filter(pk__in=history, assessment=None).values_list("pk", flat=True))
        == history
    )
    assert (
        IndicatorChange.objects.filter(indicator=None, subject=row.subject).count() == 2
    )  # created, deleted
    assert counters_drift(term=tree["P"].term) == []


def test_a_revoked_role_keeps_its_committees_code(tree, make_user):
    grant = role_grant(username="u", committee=tree["P-D1"], role="viewer")
    role_revoke(role=grant.role)
    assert set(RoleChange.objects.values_list("action", "committee_code")) == {
        ("granted", "P-D1"),
        ("revoked", "P-D1"),
    }


def test_committee_names_are_one_line_without_bidirectional_controls(term, make_committee):
    created = committees_bulk_create(
        term=term, rows=[{"code": "P", "name": " Tỉnh ủy\r\nBắc\tKạn\u202e ", "level": "province"}]
    )[0]
    assert created.name == "Tỉnh ủy Bắc Kạn"
    committee_update(committee=created, name="Tỉnh ủy\nBắc Kạn", level="province", parent=None)
    assert not CommitteeChange.objects.filter(action="changed").exists()  # the same name, once normalised


# ---- the "vượt" mark and "chưa thể đánh giá" (domain.md, "The real variety of resolutions") ----


def test_marking_exceeded_moves_the_exceeded_counter_inside_achieved_and_writes_history(tree, make_user):
    user = make_user("sec")
    commune = tree["P-D1-C1"]
    a = Assessment.objects.filter(indicator__resolution__committee=commune, status="achieved").first()
    assess_one(assessment=a, status=Status.ACHIEVED, exceeded=True, by=user)
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=2, hard=1, exceeded=1)
    change = AssessmentChange.objects.get(assessment=a)
    assert (change.old_exceeded, change.new_exceeded) == (False, True)
    assert change.old_status == change.new_status == "achieved"
    assert counters_drift(term=commune.term) == []


def test_the_exceeded_mark_is_kept_by_an_edit_that_does_not_name_it_and_dropped_with_achieved(tree):
    commune = tree["P-D1-C1"]
    a = Assessment.objects.filter(indicator__resolution__committee=commune, status="achieved").first()
    assess_one(assessment=a, status=Status.ACHIEVED, exceeded=True)
    a = assess_one(assessment=a, status=Status.ACHIEVED, value="9")
    assert a.exceeded is True
    a = assess_one(assessment=a, status=Status.HARD, note="Thiếu vốn")
    assert a.exceeded is False
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=1, hard=2)
    assert counters_drift(term=commune.term) == []


@pytest.mark.parametrize(
    "status", [Status.HARD, Status.NOT_ACHIEVED, Status.NOT_ASSESSABLE, Status.NOT_ASSESSED]
)
def test_exceeded_is_refused_on_any_status_but_achieved(tree, status):
    commune = tree["P-D1-C1"]
    a = Assessment.objects.filter(indicator__resolution__committee=commune, status="achieved").first()
    with pytest.raises(ValueError, match="vượt"):
        assess_one(assessment=a, status=status, exceeded=True, note="n")
    with pytest.raises(ValueError, match="vượt"):
        indicator_create(
            resolution=a.indicator.resolution, number="99", text="t", status=status, exceeded=True
        )
    a.refresh_from_db()
    assert (a.status, a.exceeded) == ("achieved", False)
    assert counters_drift(term=commune.term) == []


def test_not_assessable_has_its_own_counter_and_counts_in_the_total(tree):
    commune = tree["P-D1-C1"]
    a = Assessment.objects.filter(indicator__resolution__committee=commune, status="hard").get()
    assess_one(assessment=a, status=Status.NOT_ASSESSABLE, note="Chưa có số liệu thống kê")
    commune.refresh_from_db()
    tally = Tally.of_committee(commune)
    assert tally == Tally(achieved=2, not_assessable=1)
    assert tally.total == 3


def test_created_deleted_and_recounted_indicators_keep_the_new_counters_exact(tree):
    commune = tree["P-D1-C1"]
    resolution = Resolution.objects.get(committee=commune)
    kept = indicator_create(resolution=resolution, number="90", text="t", status="achieved", exceeded=True)
    gone = indicator_create(resolution=resolution, number="91", text="t", status="achieved", exceeded=True)
    indicators_bulk_create(
        rows=[(resolution, {"number": "92", "text": "t", "status": "not_assessable", "note": "n"})]
    )
    indicator_delete(indicator=gone)
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=3, hard=1, not_assessable=1, exceeded=1)
    Committee.objects.filter(pk=commune.pk).update(n_exceeded=7, n_not_assessable=0)
    committee_recount(committee=commune)
    commune.refresh_from_db()
    assert (commune.n_exceeded, commune.n_not_assessable) == (1, 1)
    assert kept.assessment.exceeded
    assert counters_drift(term=commune.term) == []


def test_an_indicator_created_exceeded_writes_the_mark_in_its_history_and_its_deletion_keeps_it(tree):
    commune = tree["P-D1-C1"]
    resolution = Resolution.objects.get(committee=commune)
    created = indicator_create(resolution=resolution, number="93", text="t", status="achieved", exceeded=True)
    row = AssessmentChange.objects.get(assessment=created.assessment)
    assert (row.old_status, row.new_status, row.old_exceeded, row.new_exceeded) == (
        "not_assessed",
        "achieved",
        False,
        True,
    )
    indicator_delete(indicator=created)
    assert IndicatorChange.objects.filter(action="deleted", subject=row.subject).count() == 1
    commune.refresh_from_db()
    assert commune.n_exceeded == 0
    assert counters_drift(term=commune.term) == []
