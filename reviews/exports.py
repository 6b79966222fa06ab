"""Table exports (`?_export=csv|xlsx` on the dashboard): the table's values, never a live formula.

Names and notes are typed by users and staff; a text such as `=HYPERLINK(…)` must reach every
viewer's spreadsheet as text. The test for formula-like text is the workbook export's
(reviews.workbook.cells.is_formula_like); in xlsx such a cell stays a text cell with Excel's
quote prefix, as in the workbook, so its value is unchanged; CSV has no cell types, so the text
gets a leading apostrophe, the usual guard spreadsheets understand."""

import csv
import io
import re
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from .workbook.cells import is_formula_like

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# Excel's limits on a sheet's name: 31 characters, none of []:*?/\\.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Column widths in characters: wide enough for the longest cell, never a screen wide.
MIN_WIDTH, MAX_WIDTH = 6, 60


def csv_text(value):
    """A CSV cell: formula-like text behind an apostrophe; a date as 2026-12-09 and a time as
    2026-12-09 14:30 (what Excel reads as dates); None empty; numbers and other text as they are."""
    if isinstance(value, str) and is_formula_like(value):
        return f"'{value}"
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def _local(value: datetime) -> datetime:
    """A naive local time (a spreadsheet has no time zones; openpyxl refuses aware ones)."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def sheet_title(text: str) -> str:
    return _SHEET_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet1"


def table_export_response(table, *, export_format: str, filename: str) -> HttpResponse:
    """The table (header row first) as a CSV or xlsx download; export_format is a key of CONTENT_TYPES.

    The xlsx sheet is named after the table (its `export_title`, in the reader's language)."""
    rows = list(table.as_values())
    if export_format == "csv":
        body = _csv(rows)
    else:
        body = _xlsx(rows, title=str(getattr(table, "export_title", "") or ""))
    response = HttpResponse(body, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    # With the byte-order mark, Excel reads the file as UTF-8 and shows Vietnamese correctly.
    return out.getvalue().encode("utf-8-sig")


def _xlsx_value(value):
    if isinstance(value, str):
        # Control characters cannot be written to the file at all: drop them, as the workbook does.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime):
        return _local(value)
    return value


def _xlsx(rows: list[list], *, title: str = "") -> bytes:
    wb = Workbook()
    ws = wb.worksheets[0]  # the sheet a new workbook starts with
    ws.title = sheet_title(title)
    for row in rows:
        ws.append([_xlsx_value(v) for v in row])
    widths: dict[int, int] = {}
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
                if is_formula_like(cell.value):
                    cell.quotePrefix = True
            elif isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            shown = 16 if isinstance(cell.value, date) else len(str(cell.value or ""))
            column = int(cell.column or 1)
            widths[column] = max(widths.get(column, 0), shown)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    ws.freeze_panes = "A2"  # the header row stays in view
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
