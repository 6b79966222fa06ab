"""Finding the committee a command names: one clear line and exit 1 when it does not exist."""

from django.core.management.base import CommandError, CommandParser

from indicators.models import Committee, Stage, Term
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


def review_arguments(parser: CommandParser, *, stages: tuple[str, ...] = tuple(Stage.values)) -> None:
    """The review a command is about, named the same way by every command: the committee's code,
    `--term`, and `--stage` (mid by default where a command takes both stages)."""
    parser.add_argument("code", help="committee code, e.g. BK")
    parser.add_argument("--term", required=True, help="term, e.g. 2020-2025")
    parser.add_argument(
        "--stage", choices=stages, default=stages[0], help=" or ".join(stages) + f" (default {stages[0]})"
    )
