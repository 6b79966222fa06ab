"""indicators.rows.one_or_none: the row a unique key finds, with no ORDER BY."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Committee, Level
from indicators.rows import one_or_none


def test_the_row_a_unique_key_finds_or_none_and_no_order_by(tree):
    found = Committee.objects.filter(term=tree["P"].term, code="P-D1")  # the model orders by path
    with CaptureQueriesContext(connection) as queries:
        assert one_or_none(found) == tree["P-D1"]
        assert one_or_none(Committee.objects.filter(code="nowhere")) is None
    assert len(queries) == 2
    assert all("ORDER BY" not in q["sql"] and "LIMIT 1" in q["sql"] for q in queries.captured_queries)


def _columns(obj):
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_hand_written_reads_load_what_the_orm_loads(tree, make_user, django_assert_num_queries):
    """Every column, converted as the ORM converts it (SQLite hands back dates, times and
    booleans in other types): a user's aware datetimes and booleans, a term's date."""
    from django.contrib.auth import get_user_model

    from indicators.models import Term
    from indicators.rows import loaded

    user = make_user("hoa", is_staff=True)
    user.last_login = user.date_joined
    user.save()
    User = get_user_model()  # noqa: N806
    term = Term.objects.get(pk=tree["P"].term_id)
    for model, pk in ((User, user.pk), (Term, term.pk), (Committee, tree["P-D1"].pk)):
        row = _row(model, pk)
        by_hand, by_orm = loaded(model, row, using="default"), model.objects.get(pk=pk)
        assert _columns(by_hand) == _columns(by_orm)
        assert not by_hand._state.adding and by_hand._state.db == "default"
    assert loaded(User, _row(User, user.pk), using="default").last_login.tzinfo is not None


def _row(model, pk):
    from django.db import connection

    from indicators.rows import select_list

    sql = f"SELECT {select_list(model, 'x')} FROM {model._meta.db_table} x WHERE x.id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchone()


def test_the_committee_every_page_reads_comes_with_its_term_and_parent_in_one_query(
    tree, django_assert_num_queries
):
    from indicators.selectors import committee_by_codes

    for code in ("P", "P-D1-C1"):
        stored = Committee.objects.select_related("term", "parent").get(code=code)
        with django_assert_num_queries(1):
            found = committee_by_codes(code=code, term_code="2020 – 2025")
            parent, term = found.parent, found.term
        assert _columns(found) == _columns(stored) and _columns(term) == _columns(stored.term)
        assert (parent and _columns(parent)) == (stored.parent and _columns(stored.parent))
    assert committee_by_codes(code="P-D9", term_code="2020-2025") is None
    assert committee_by_codes(code="P", term_code="2030-2035") is None


def test_a_review_read_by_hand_is_the_stored_one_and_an_unsaved_draft_without_one(tree):
    from reviews.models import Review
    from reviews.selectors import review_of
    from tests.conftest import fill_document

    commune = fill_document(tree["P-D1-C1"])
    stored = Review.objects.get(committee=commune, stage="mid")
    found = review_of(committee=commune)
    assert _columns(found) == _columns(stored) and found.updated_at.tzinfo is not None
    assert found.committee is commune
    draft = review_of(committee=tree["P-D1-C2"])
    assert draft.pk is None and draft.committee == tree["P-D1-C2"]


def test_a_communes_breadcrumb_comes_with_it_and_a_cells_is_one_query(tree, django_assert_num_queries):
    from indicators.selectors import committee_by_codes
    from indicators.services.committees import committee_create
    from reviews.selectors import ancestors

    commune = committee_by_codes(code="P-D1-C1", term_code="2020-2025")
    with django_assert_num_queries(0):
        assert [c.code for c in ancestors(committee=commune)] == ["P", "P-D1"]
        assert all(c.term is commune.term for c in ancestors(committee=commune))
    district = committee_by_codes(code="P-D1", term_code="2020-2025")
    with django_assert_num_queries(0):
        assert [c.code for c in ancestors(committee=district)] == ["P"]
    assert ancestors(committee=committee_by_codes(code="P", term_code="2020-2025")) == []
    # A Party cell below a commune: three levels up, read in one query.
    committee_create(
        term=commune.term, code="P-D1-C1-X", name="Chi bộ thôn X", level=Level.CELL, parent=commune
    )
    cell = committee_by_codes(code="P-D1-C1-X", term_code="2020-2025")
    with django_assert_num_queries(1):
        assert [c.code for c in ancestors(committee=cell)] == ["P", "P-D1", "P-D1-C1"]


def test_the_form_rows_read_by_hand_are_what_the_orm_reads(tree, make_user, django_assert_num_queries):
    """Indicators, resolution, assessment (its yearly values a JSON column, its progress a float)
    and who saved it, as for_assessment_form loads them; parts under their group."""
    from indicators.models import Assessment, Indicator
    from indicators.selectors import committee_indicators
    from tests.conftest import assess_one

    commune = tree["P-D1-C1"]
    saver = make_user("hoa")
    first = Assessment.objects.filter(indicator__resolution__committee=commune).order_by("pk").first()
    assess_one(assessment=first, status="hard", value="12,5", note="Thiếu vốn", by=saver)
    Assessment.objects.filter(pk=first.pk).update(years={"2021": "3"}, progress=0.25)
    by_orm = list(Indicator.objects.of_committee(commune).for_assessment_form("mid"))
    with django_assert_num_queries(1):
        by_hand = committee_indicators(committee=commune)
        saved_by = [i.assessment.updated_by for i in by_hand]
        resolutions = [i.resolution for i in by_hand]
    assert [i.pk for i in by_hand] == [i.pk for i in by_orm] and len(by_hand) == 3
    for hand, orm in zip(by_hand, by_orm, strict=True):
        assert _columns(hand) == _columns(orm)
        assert _columns(hand.resolution) == _columns(orm.resolution)
        assert _columns(hand.assessment) == _columns(orm.assessment)
        assert hand.assessment.indicator is hand
    assert by_hand[0].assessment.years == {"2021": "3"} and by_hand[0].assessment.progress == 0.25
    assert _columns(saved_by[0]) == _columns(saver) and saved_by[1:] == [None, None]
    assert resolutions[0] is resolutions[1]  # one instance per resolution
    assert committee_indicators(committee=commune, stage="end") == []  # the end is not open


def test_the_dashboard_list_read_by_hand_is_what_the_filter_query_reads(tree, django_assert_num_queries):
    """The dashboard's unfiltered list: the rows, order and columns of
    reviews.selectors.dashboard_indicators (the query its filter narrows), in one query, without
    who saved each; a thematic resolution after the Congress one, an indicator added after the
    end was opened left out of the end's list."""
    from indicators.models import Resolution
    from indicators.selectors import committee_indicator_list
    from indicators.services.indicators import indicator_create
    from reviews.selectors import dashboard_indicators

    commune = tree["P-D1-C1"]
    thematic = Resolution.objects.create(committee=commune, number="05-NQ/HU", kind="thematic")
    indicator_create(resolution=thematic, number="1", text="Chuyên đề")
    by_orm = list(dashboard_indicators(committee=commune))
    with django_assert_num_queries(1):
        by_hand = committee_indicator_list(committee=commune)
        resolutions = [i.resolution for i in by_hand]
        assessments = [i.assessment for i in by_hand]
    assert [i.pk for i in by_hand] == [i.pk for i in by_orm] and len(by_hand) == 4
    assert resolutions[-1].kind == "thematic" != resolutions[0].kind
    for hand, orm in zip(by_hand, by_orm, strict=True):
        assert _columns(hand) == _columns(orm)
        assert _columns(hand.resolution) == _columns(orm.resolution)
        assert _columns(hand.assessment) == _columns(orm.assessment)
    assert all(a.indicator is i for a, i in zip(assessments, by_hand, strict=True))
    end = list(dashboard_indicators(committee=commune, stage="end"))
    assert [i.pk for i in committee_indicator_list(committee=commune, stage="end")] == [i.pk for i in end]


def test_a_committees_children_read_by_hand_are_what_the_orm_reads(tree, django_assert_num_queries):
    from indicators.selectors import _children

    for committee in (tree["P"], tree["P-D1"], tree["P-D1-C1"]):
        by_orm = list(Committee.objects.filter(parent=committee).order_by("code"))
        with django_assert_num_queries(1):
            by_hand = _children(committee)
        assert [_columns(c) for c in by_hand] == [_columns(c) for c in by_orm]


def _prepared_here() -> int:
    raw = connection.connection  # psycopg's own: its execute can be told not to prepare
    return raw.execute("SELECT count(*) FROM pg_prepared_statements", prepare=False).fetchone()[0]


def test_a_read_by_a_key_is_prepared_once_and_any_other_never(tree):
    """On PostgreSQL (parameters bound by the server) a lookup by a key is prepared once per
    connection; a read of a range, and anything outside
    `prepared`, is never prepared: a generic plan of a subtree's path range ran for twenty minutes
    on the national tree. Elsewhere `prepared` changes nothing."""
    from indicators.rows import prepared, read

    sql = "SELECT code FROM indicators_committee WHERE code = %s"
    by_range = "SELECT count(*) FROM indicators_committee WHERE path >= %s AND path < %s"
    if connection.vendor != "postgresql":
        assert read(Committee, by_range, ["0", "9"])[1][0][0] == Committee.objects.count()
        with prepared(connection):  # nothing to prepare with: reads as before
            assert read(Committee, sql, ["P-D2"], by_key=True)[1] == [("P-D2",)]
        return
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    connection.ensure_connection()
    assert connection.connection.prepare_threshold is None  # nothing prepared unasked
    before = _prepared_here()
    for code in ("P-D1", "P-D2", "P-D1"):
        assert read(Committee, sql, [code], by_key=True)[1] == [(code,)]
    assert _prepared_here() == before + 1  # the one statement, prepared once, used again
    for _ in range(7):
        read(Committee, by_range, ["0", "9"])
        list(Committee.objects.filter(path__gte="0", path__lt="9"))
    assert _prepared_here() == before + 1
    assert connection.connection.prepare_threshold is None  # put back after each prepared read
