"""Refusals shared by several services (private to indicators.services): full_clean without its
per-row uniqueness queries (the bulk writes check uniqueness per batch), numbers already taken, and
the rules an assessment's status obeys wherever it is written.
"""

from django.core.exceptions import ValidationError
from django.db.models import CharField, Model, TextField
from django.utils.translation import gettext as _

from ..models import Assessment, Committee, Indicator, Resolution, Status


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


class _BatchValidator:
    """_validated for the rows of one batch, each text value cleaned once per column.

    A CharField's or TextField's clean depends on its value alone (its length, its choices, blank)
    and returns a str as it is given; so a value found valid in one row is valid in the next, and
    need not be cleaned again. The rows of an import share most of theirs (10,000 indicators, a few
    units, fields, measures and statuses), and cleaning every value of every row was a tenth of the
    import's writing. Every other field, and the model's own clean(), still runs on each row."""

    def __init__(self, *, exclude: list[str]) -> None:
        self.exclude = exclude
        self.columns: list[str] | None = None  # the text fields' names (their attnames too)
        self.valid: set[tuple[str, str]] = set()

    def __call__(self, obj: Model) -> None:
        if self.columns is None:
            self.columns = [
                f.name
                for f in obj._meta.fields
                if type(f) in (CharField, TextField) and f.name not in self.exclude
            ]
        values = [(name, getattr(obj, name)) for name in self.columns]
        known = [name for name, value in values if (name, value) in self.valid]
        obj.full_clean(exclude=[*self.exclude, *known], validate_unique=False, validate_constraints=False)
        # Only a str: another value is converted by the clean (an int to its text), so cleaned each time.
        self.valid.update((name, value) for name, value in values if type(value) is str)


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
