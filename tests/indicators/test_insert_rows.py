"""Rows stored by one executemany (indicators.services._insert), as instances or as their values, are
the rows bulk_create would have stored, refused where bulk_create refuses them, and given their ids
when the caller needs them."""

import pytest
from django.db import connections
from django.utils import timezone

from indicators.models import (
    Assessment,
    AssessmentChange,
    ChangeSource,
    Committee,
    ContentAction,
    Indicator,
    IndicatorChange,
    Status,
)
from indicators.results import Results
from indicators.services._insert import (
    _as_given,
    _db_value,
    _insert_fields,
    _insert_rows,
    _insert_rows_with_ids,
    _insert_values,
)
from reviews.models import Review


def _stored(model, rows) -> list[dict]:
    """The stored rows as the database returns them, without their ids, oldest first."""
    return [
        {k: v for k, v in row.items() if k != "id"}
        for row in model.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk").values()
    ]


RESULTS = Results.build(baseline="1,5", years={2021: ("2", False)}, forecast="3").as_json()


def _assessment_values(assessment, user, now) -> list[dict]:
    """Two history rows of `assessment`, as {attribute name: value}."""
    common = {
        "assessment_id": assessment.pk,
        "committee_id": assessment.indicator.resolution.committee_id,
        "committee_code": "P",
        "subject": "01-NQ/ĐH – 1. Tỷ lệ",
        "changed_at": now,
        "source": ChangeSource.IMPORT,
    }
    kinds = [
        {
            "new_status": Status.ACHIEVED,
            "new_exceeded": True,
            "new_results": RESULTS,
            "changed_by_id": user.pk,
        },
        {"new_status": Status.HARD, "new_note": "Khó đạt", "old_results": None, "new_results": None},
    ]
    return [{**common, **kind} for kind in kinds]


def _assessment_rows(assessment, user, now) -> list[AssessmentChange]:
    return [AssessmentChange(**values) for values in _assessment_values(assessment, user, now)]


@pytest.mark.parametrize(
    "insert, rows_of",
    [(_insert_rows, _assessment_rows), (_insert_values, _assessment_values)],
    ids=["instances", "values"],
)
def test_history_rows_inserted_at_once_are_stored_as_bulk_create_stores_them(
    tree, make_user, insert, rows_of
):
    user = make_user("sec")
    assessment = Indicator.objects.filter(resolution__committee=tree["P"]).first().assessment
    now = timezone.now()
    by_orm = AssessmentChange.objects.bulk_create(_assessment_rows(assessment, user, now))
    before = set(AssessmentChange.objects.values_list("pk", flat=True))
    insert(AssessmentChange, rows_of(assessment, user, now))
    inserted = list(AssessmentChange.objects.exclude(pk__in=before).order_by("pk"))
    assert len(inserted) == 2
    # Every column, those not given included (old_status, old_value, …: their defaults).
    assert _stored(AssessmentChange, inserted) == _stored(AssessmentChange, by_orm)
    assert inserted[0].new_results == RESULTS and inserted[0].changed_at == now
    assert inserted[1].new_results is None and inserted[0].changed_by == user


def test_history_insert_refuses_a_row_whose_object_is_not_saved(tree):
    unsaved = Indicator(number="9", text="Chưa lưu")
    row = IndicatorChange(
        indicator=unsaved,
        committee_id=tree["P"].pk,
        committee_code="P",
        subject="x",
        changed_at=timezone.now(),
        source=ChangeSource.FORM,
        action=ContentAction.CREATED,
    )
    with pytest.raises(ValueError, match="unsaved related object"):
        _insert_rows(IndicatorChange, [row])
    assert not IndicatorChange.objects.filter(subject="x").exists()


def test_history_insert_refuses_a_row_of_another_model_or_one_already_stored(tree):
    stored = IndicatorChange.objects.first()
    with pytest.raises(ValueError, match="not an unsaved IndicatorChange"):
        _insert_rows(IndicatorChange, [stored])
    with pytest.raises(ValueError, match="not an unsaved AssessmentChange"):
        _insert_rows(AssessmentChange, [IndicatorChange()])


def test_rows_inserted_with_ids_get_the_ids_of_their_own_stored_rows(tree):
    resolution = tree["P-D1"].resolutions.get()
    rows = [Indicator(resolution=resolution, number=n, sort_key=n, text=f"Chỉ tiêu {n}") for n in ("9", "10")]
    _insert_rows_with_ids(
        Indicator,
        rows,
        key=("resolution_id", "number"),
        among=Indicator.objects.filter(resolution=resolution),
    )
    assert [Indicator.objects.get(pk=row.pk).text for row in rows] == ["Chỉ tiêu 9", "Chỉ tiêu 10"]
    assert all(not row._state.adding and row._state.db == "default" for row in rows)


def test_values_of_a_field_the_model_does_not_store_are_refused(tree):
    with pytest.raises(TypeError, match="AssessmentChange stores no changed_by, colour"):
        _insert_values(AssessmentChange, [{"changed_by": None, "colour": "red"}])


def test_a_model_that_computes_a_value_on_save_is_not_stored_from_values(db):
    with pytest.raises(TypeError, match="Review.updated_at computes its value on save"):
        _insert_values(Review, [{}])


@pytest.mark.parametrize("model", [Indicator, Assessment, IndicatorChange, AssessmentChange, Committee])
def test_a_value_stored_as_given_is_what_the_field_itself_would_store(db, model):
    """The values _insert skips converting are those each field converts to themselves."""
    connection = connections["default"]
    samples = {str: ["", "Tỷ lệ 95%", "0"], bool: [True, False], type(None): [None]}
    checked = 0
    for field, as_given in zip(_insert_fields(model), _as_given(model), strict=True):
        for kind in as_given:
            for value in samples[kind]:
                stored = field.get_db_prep_save(value, connection)
                assert stored == value and type(stored) is type(value), (field.name, value)
                checked += 1
    assert checked  # every one of these models has text columns


def test_a_value_not_stored_as_given_goes_through_its_field(tree):
    """An int in a text column is stored as its text, as bulk_create stores it."""
    resolution = tree["P-D1"].resolutions.get()
    row = Indicator(resolution=resolution, number=11, sort_key="11", text="Mười một", unit=5)
    _insert_rows(Indicator, [row])
    stored = Indicator.objects.get(resolution=resolution, number="11")
    assert (stored.number, stored.unit) == ("11", "5")


def test_a_choice_or_none_met_again_in_a_column_is_converted_once(db):
    """A choice's member (a str enum) and None are stored as their field stores them, and a column
    converts each once, however many rows repeat it."""
    connection = connections["default"]
    status, years = Assessment._meta.get_field("status"), Assessment._meta.get_field("years")
    converted: dict = {}
    for _row in range(3):
        stored = _db_value(status, (), converted, Status.HARD, connection)
        assert stored == status.get_db_prep_save(Status.HARD, connection) == "hard"
    assert list(converted) == [(Status, Status.HARD)]
    empty: dict = {}
    assert _db_value(years, (), empty, None, connection) is None
    assert list(empty) == [(type(None), None)]
