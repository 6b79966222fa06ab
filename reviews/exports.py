"""Table exports (`?_export=csv|xlsx` on the dashboard): the table's values, never a live formula.

Names and notes are typed by users and staff; a text such as `=HYPERLINK(…)` must reach every
viewer's spreadsheet as text. The test for formula-like text is the workbook export's
(reviews.workbook.cells.is_formula_like); in xlsx such a cell stays a text cell with Excel's
quote prefix, as in the workbook, so its value is unchanged; CSV has no cell types, so the text
gets a leading apostrophe, the usual guard spreadsheets understand."""

import csv
import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .workbook.cells import is_formula_like

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def csv_text(value):
    """A CSV cell: formula-like text behind an apostrophe; numbers and other text as they are."""
    if isinstance(value, str) and is_formula_like(value):
        return f"'{value}"
    return value


def table_export_response(table, *, export_format: str, filename: str) -> HttpResponse:
    """The table (header row first) as a CSV or xlsx download; export_format is a key of CONTENT_TYPES."""
    rows = list(table.as_values())
    body = _csv(rows) if export_format == "csv" else _xlsx(rows)
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


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.worksheets[0]  # the sheet a new workbook starts with
    for row in rows:
        # Control characters cannot be written to the file at all: drop them, as the workbook does.
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
                if is_formula_like(cell.value):
                    cell.quotePrefix = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
