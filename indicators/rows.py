"""Reading the one row a unique key finds."""

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def one_or_none(queryset: QuerySet[M]) -> M | None:
    """The row `queryset` finds by a unique key (or a primary key), None when there is none.

    Like first(), without its ORDER BY: first() orders an unordered query by the primary key, and
    building that clause (Django hashes each expression through inspect.signature) was a third
    of the CPU of the committee lookup every page makes, for rows a unique key already makes one."""
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None
