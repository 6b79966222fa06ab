"""Errors and warnings of an import, located as the user sees them, and kept to a readable number."""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .cells import COMMITTEE_SHEET, normalise_label

SHOWN = 200  # errors listed; the rest are counted ("… và N lỗi khác")
HOPELESS = 1_000  # errors in one sheet after which it is not checked further


@dataclass(frozen=True)
class Problem:
    """An error or warning, located as the user sees it in the spreadsheet."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self):
        where = [self.sheet] if self.sheet else []
        if self.row:
            where.append(_("dòng %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("cột %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


def reading_order(problem: Problem):
    """Sheet by sheet, row by row, column by column, as the file is read."""
    sheet = normalise_label(problem.sheet)
    sheet_rank = 0 if not sheet else 1 if sheet in {normalise_label(n) for n in COMMITTEE_SHEET} else 2
    letters = problem.column.rsplit("(", 1)[-1].rstrip(")") if problem.column.endswith(")") else ""
    return (sheet_rank, problem.row or 0, len(letters), letters)


class Problems:
    """Collects errors and warnings; bounded, so a file of 50,000 bad rows costs little."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.per_sheet: Counter[str] = Counter()
        self.stopped: set[str] = set()

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.per_sheet[sheet] += 1
        if len(self.errors) < 3 * HOPELESS:
            self.errors.append(Problem(sheet, row, column, message))

    def refuse(self, message: str) -> None:
        """The file as a whole cannot be read: this one message replaces whatever was found so far."""
        self.errors = [Problem("", None, "", message)]
        self.per_sheet.clear()
        self.per_sheet[""] = 1
        self.stopped.clear()

    def warn(self, sheet: str, row: int | None, column: str, message: str) -> None:
        if len(self.warnings) < 3 * HOPELESS:
            self.warnings.append(Problem(sheet, row, column, message))

    def hopeless(self, sheet: str, row: int) -> bool:
        """True once `sheet` has so many errors that checking on would only make the list longer."""
        if sheet in self.stopped:
            return True
        if self.per_sheet[sheet] < HOPELESS:
            return False
        self.stopped.add(sheet)
        self.errors.append(
            Problem(
                sheet,
                None,
                "",
                _(
                    "Trang này có quá nhiều lỗi nên đã dừng kiểm tra ở dòng %(row)d; hãy sửa các lỗi "
                    "dưới đây rồi kiểm tra lại."
                )
                % {"row": row},
            )
        )
        return True

    @property
    def error_count(self) -> int:
        return sum(self.per_sheet.values()) + len(self.stopped)
