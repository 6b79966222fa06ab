"""The values a batch handles once per column, by their type and value (indicators.services._by_value),
for the import's validator and its insert alike."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from django.db.models import F

from indicators.models import Status
from indicators.services._by_value import by_value


@pytest.mark.parametrize("kind", [str, bool, int, float, datetime, date, Decimal, UUID, type(None), Status])
def test_plain_values_and_a_choices_members_are_handled_by_value(kind):
    assert by_value(kind)


@pytest.mark.parametrize("kind", [list, dict, tuple, bytes, type(F("x")), object])
def test_containers_and_expressions_are_handled_in_every_row(kind):
    assert not by_value(kind)
