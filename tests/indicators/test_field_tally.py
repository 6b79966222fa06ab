"""The field breakdown adds up (issue #27): a committee's own tally by field, "Khác" for the rest."""

from functools import reduce

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import Field, Status
from indicators.selectors import committee_field_tallies, committee_indicators
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from indicators.tally import OTHER_FIELD, Tally, by_field, fields_phrase

FIELDS = [(value, str(label)) for value, label in Field.choices]

rows = st.lists(
    st.tuples(
        # Known fields, the empty one and one no longer among the choices.
        st.sampled_from([*Field.values, "", "retired_field"]),
        st.sampled_from(Status.values),
        st.booleans(),
    ).map(lambda r: (r[0], r[1], r[2] and r[1] == Status.ACHIEVED)),
    max_size=60,
)


def _tally_of(rows) -> Tally:
    return reduce(
        lambda t, r: t + Tally(**{r[1]: 1}, exceeded=int(r[2])),  # type: ignore[arg-type]
        rows,
        Tally(),
    )


@given(rows)
def test_the_parts_add_up_to_the_whole(rows):
    parts = by_field(rows, FIELDS)
    assert sum((p.tally for p in parts), Tally()) == _tally_of(rows)
    # Each field once, in Field's order, "Khác" last, and no empty row.
    keys = [p.field for p in parts]
    assert len(keys) == len(set(keys))
    order = [*Field.values, OTHER_FIELD]
    assert keys == sorted(keys, key=order.index)
    assert all(p.tally.total > 0 for p in parts)


def test_indicators_with_no_field_go_to_other():
    parts = by_field(
        [("economy", "achieved", True), ("", "hard", False), ("retired_field", "achieved", False)], FIELDS
    )
    assert [(p.label, p.short) for p in parts] == [("Kinh tế", "1/1"), ("Khác", "1/2")]
    assert fields_phrase(parts) == "Kinh tế 1/1; Khác 1/2"
    with translation.override("en"):
        assert by_field([("", "hard", False)], FIELDS)[0].label == "Other"


@pytest.mark.django_db
def test_a_committee_breakdown_adds_up_to_its_own_tally(make_committee):
    committee = make_committee("LS")
    congress = resolution_create(committee=committee, number="01-NQ/ĐH", kind="congress")
    thematic = resolution_create(committee=committee, number="05-NQ/TU", kind="thematic")
    made = [
        ("economy", Status.ACHIEVED),
        ("economy", Status.ACHIEVED),
        ("culture_society", Status.NOT_ACHIEVED),
        ("", Status.NOT_ASSESSABLE),
    ]
    for n, (field, status) in enumerate(made, start=1):
        indicator_create(
            resolution=congress,
            number=str(n),
            text=f"Chỉ tiêu {n}",
            field=field,
            status=status,
            note="Lý do",
        )
    indicator_create(
        resolution=thematic, number="1", text="Không tính", field="economy", status="hard", note="x"
    )
    committee.refresh_from_db()
    from_query = committee_field_tallies(committee=committee)
    from_list = committee_field_tallies(
        committee=committee, indicators=committee_indicators(committee=committee)
    )
    assert from_query == from_list
    assert [(p.label, p.short) for p in from_query] == [
        ("Kinh tế", "2/2"),
        ("Văn hóa – xã hội", "0/1"),
        ("Khác", "0/1"),
    ]
    assert sum((p.tally for p in from_query), Tally()) == Tally.of_committee(committee)


def test_at_the_end_of_the_term_each_field_reads_the_end_sentence():
    from indicators.tally import by_field

    [economy] = by_field(
        [("economy", "achieved", False), ("economy", "not_achieved", False)],
        [("economy", "Kinh tế")],
        stage="end",
    )
    assert economy.tally.sentence() == "1/2 chỉ tiêu đạt và vượt; 1 chỉ tiêu không đạt"
