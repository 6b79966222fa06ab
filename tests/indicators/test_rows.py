"""indicators.rows.one_or_none: the row a unique key finds, with no ORDER BY."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Committee
from indicators.rows import one_or_none


def test_the_row_a_unique_key_finds_or_none_and_no_order_by(tree):
    found = Committee.objects.filter(term=tree["P"].term, code="P-D1")  # the model orders by path
    with CaptureQueriesContext(connection) as queries:
        assert one_or_none(found) == tree["P-D1"]
        assert one_or_none(Committee.objects.filter(code="nowhere")) is None
    assert len(queries) == 2
    assert all("ORDER BY" not in q["sql"] and "LIMIT 1" in q["sql"] for q in queries.captured_queries)
