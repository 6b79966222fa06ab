"""Finding the committee a command names: one clear line and exit 1 when it does not exist."""

from django.core.management.base import CommandError

from indicators.models import Committee, Term
from indicators.selectors import committee_by_code, term_by_code


def find_term(term_code: str) -> Term:
    try:
        return term_by_code(code=term_code)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    except Term.DoesNotExist:
        raise CommandError(f"Không có nhiệm kỳ {term_code.strip()} (unknown term).") from None


def find_committee(*, code: str, term_code: str) -> Committee:
    """Committee by code and term, or a one-line CommandError (exit 1, no traceback)."""
    term = find_term(term_code)
    try:
        return committee_by_code(code=code, term=term)
    except Committee.DoesNotExist:
        raise CommandError(
            f"Không có đơn vị mã {code} trong nhiệm kỳ {term.code} (unknown committee code)."
        ) from None
