"""Refusals shared by several services (private to indicators.services): full_clean without its
per-row uniqueness queries (the bulk writes check uniqueness per batch), numbers already taken, and
the rules an assessment's status obeys wherever it is written.
"""

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    FloatField,
    IntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    TextField,
)
from django.utils.translation import gettext as _

from ..models import Assessment, Committee, Indicator, Resolution, Status
from ._by_value import by_value


def _assigned_below() -> str:
    """What the database's PROTECT would answer with a 500 (indicators.assignments)."""
    return _("Chỉ tiêu đã giao cho đơn vị cấp dưới: hãy xóa các chỉ tiêu được giao ở đơn vị cấp dưới trước.")


def _refuse_status_on_part(number: str, status: str) -> None:
    if status != Status.NOT_ASSESSED:
        raise ValueError(
            _("Chỉ tiêu %(number)s là một phần của nhóm: không có đánh giá riêng, cấp ủy đánh giá cả nhóm.")
            % {"number": number}
        )


def _refuse_exceeded_unless_achieved(status: str, exceeded: bool) -> None:
    if exceeded and status != Status.ACHIEVED:
        raise ValueError(_("Chỉ chỉ tiêu đạt mới có thể đánh dấu vượt."))


def _validated(obj: Committee | Resolution | Indicator | Assessment, *, exclude: list[str]) -> None:
    # full_clean without its per-row uniqueness queries: the callers check uniqueness per batch.
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


# Field classes whose clean depends on the value alone (its type, length, range, choices, blank),
# never on the rest of the row: exact classes, as a subclass may look further.
_CLEANED_BY_VALUE = (
    CharField,
    TextField,
    BooleanField,
    IntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    FloatField,
    DateTimeField,
)


class _BatchValidator:
    """_validated for the rows of one batch, each value of a column cleaned once.

    A text, number, yes/no or date-time field's clean depends on its value alone; so a value it kept as it was
    in one row is valid in the next, and need not be cleaned again (the key holds the value's type:
    1 and True are equal, and an int in a text column is converted in every row). The rows of an
    import share most of theirs (10,000 indicators, a few units, fields, measures and statuses), and
    cleaning every value of every row was a tenth of the import's writing. Every other field, and
    the model's own clean(), still runs on each row."""

    def __init__(self, *, exclude: list[str]) -> None:
        self.exclude = exclude
        self.columns: list[str] | None = None  # the names of those fields (their attnames too)
        self.valid: set[tuple[str, type, object]] = set()

    def __call__(self, obj: Committee | Resolution | Indicator | Assessment) -> None:
        if self.columns is None:
            self.columns = [
                f.name
                for f in obj._meta.fields
                if type(f) in _CLEANED_BY_VALUE and f.name not in self.exclude
            ]
        keys = [(name, type(v), v) for name in self.columns if by_value(type(v := getattr(obj, name)))]
        known = [key[0] for key in keys if key in self.valid]
        _validated(obj, exclude=[*self.exclude, *known])
        self.valid.update(key for key in keys if (type(v := getattr(obj, key[0])), v) == key[1:])


def _refuse_numbers_taken(
    model: type[Resolution] | type[Indicator], parent: str, keys: list[tuple[int, str]], message: str
) -> None:
    """The batch's (parent id, number) pairs are new and distinct, or ValidationError(message):
    the unique constraint on (parent, number), checked in one query for the whole batch."""
    taken = set(
        model.objects.filter(
            **{f"{parent}__in": {p for p, _n in keys}, "number__in": {n for _p, n in keys}}
        ).values_list(parent, "number")
    )
    if len(set(keys)) != len(keys) or taken & set(keys):
        raise ValidationError(message, code=f"duplicate_{model._meta.model_name}")
