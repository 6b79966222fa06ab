"""Which values a batch handles once per column (private to indicators.services): the import's
validator cleans them once (_validation._BatchValidator) and its insert converts them once
(_insert._db_value), keyed by (type, value)."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from uuid import UUID

# Values hashed by what they are: the key holds the type as well (1, 1.0 and True are equal, and
# cleaned and stored otherwise). Never a container or an expression. None (an empty JSON or number
# column) and the choices' members (Status.ACHIEVED, a str enum: every imported row names its
# status, stage and measure so) are among them.
_PLAIN = frozenset((str, bool, int, float, datetime, date, Decimal, UUID, type(None)))


def by_value(kind: type) -> bool:
    """Whether a value of type `kind` may be handled once per column, by (kind, value)."""
    return kind in _PLAIN or issubclass(kind, Enum)
