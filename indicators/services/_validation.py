"""Refusals shared by several services (private to indicators.services): full_clean without its
per-row uniqueness queries (the bulk writes check uniqueness per batch), numbers already taken, and
the rules an assessment's status obeys wherever it is written.
"""

from django.core.exceptions import ValidationError
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
