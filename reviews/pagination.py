"""One rule for every paged table: page size and number from the query string, clamped, never an error."""

from django.core.paginator import InvalidPage, Paginator

MAX_PER_PAGE = 200


class ClampedPaginator(Paginator):
    """A page size outside 1..MAX_PER_PAGE is brought inside it; a page number past either end
    shows the nearest page. A link with `?per_page=-1` or `?page=999999` shows a page, not a 500."""

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        try:
            per_page = int(per_page)
        except (TypeError, ValueError):
            per_page = MAX_PER_PAGE
        super().__init__(object_list, min(max(per_page, 1), MAX_PER_PAGE), *args, **kwargs)
        if count is not None:
            # Known to the caller (e.g. from the tally's counters): no COUNT over the rows.
            self.count = count

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except InvalidPage:
            try:
                number = int(number)
            except (TypeError, ValueError, OverflowError):
                return 1
            return min(max(number, 1), self.num_pages)


def paging(per_page: int, *, count: int | None = None) -> dict:
    """What django-tables2's RequestConfig takes as `paginate=`: `?per_page=` and `?page=` still
    choose, within the limits above. `count`, when the caller knows how many rows the table holds,
    spares the COUNT query."""
    options: dict = {"per_page": per_page, "paginator_class": ClampedPaginator}
    if count is not None:
        options["count"] = count
    return options
