"""Opening an uploaded workbook without trusting it: size, zip and row limits before openpyxl."""

import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.utils.translation import gettext as _

# openpyxl parses with defusedxml when it is installed; without it, an entity-expansion file
# could exhaust memory. Refuse to run at all rather than run unprotected.
assert openpyxl.DEFUSEDXML, "defusedxml must be installed: openpyxl would parse XML unprotected"  # noqa: S101

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 500
MAX_ROWS = 50_000  # data rows per sheet, header not counted
MAX_COLUMNS = 200


class WorkbookUnreadable(Exception):
    """The file as a whole cannot be read; the message is a sentence for the user."""


@dataclass
class SheetRows:
    """One sheet: its header cells and its rows as (row number, [(value, data_type), …])."""

    name: str
    header: list = field(default_factory=list)
    rows: list[tuple[int, list[tuple]]] = field(default_factory=list)


def open_workbook(data: bytes):
    """An openpyxl read-only workbook, after the checks that keep a hostile file cheap."""
    if not data:
        raise WorkbookUnreadable(_("Tệp rỗng (0 byte)."))
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookUnreadable(
            _("Tệp lớn %(size)s MB, vượt giới hạn %(max)s MB.")
            % {"size": f"{len(data) / 1048576:.1f}", "max": MAX_FILE_BYTES // 1048576}
        )
    not_xlsx = _(
        "Tệp không phải là tệp Excel .xlsx (có thể là .xls, .csv hoặc tệp đã hỏng); "
        "hãy lưu lại dưới dạng .xlsx."
    )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookUnreadable(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise WorkbookUnreadable(not_xlsx) from None
    # zipfile never inflates an entry past its declared size, so the declared sizes bound
    # what openpyxl can read: checking them here stops a zip bomb before any inflating.
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookUnreadable(_("Tệp giải nén ra quá lớn; không thể đọc tệp này."))
    if "[Content_Types].xml" not in {e.filename for e in entries}:
        raise WorkbookUnreadable(not_xlsx)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on broken files; all mean the same to the user
        raise WorkbookUnreadable(not_xlsx) from None


def read_sheet(ws, *, max_rows: int | None = None) -> SheetRows:
    """Header and non-empty rows of a sheet, counting rows ourselves (a sheet's own dimension may lie)."""
    # A forged dimension (A1:XFD1048576) would make openpyxl pad every row to 16,384 cells.
    if ws.max_column is None or ws.max_column > MAX_COLUMNS or ws.max_row is None:
        ws.reset_dimensions()
    max_rows = max_rows or MAX_ROWS
    sheet = SheetRows(name=ws.title)
    try:
        for index, row in enumerate(ws.iter_rows(), start=1):
            if index == 1:
                sheet.header = [cell.value for cell in row]
                continue
            if index - 1 > max_rows:
                raise WorkbookUnreadable(
                    _("Trang “%(sheet)s” có hơn %(max)s dòng; hãy chia thành nhiều tệp.")
                    % {"sheet": ws.title, "max": f"{max_rows:,}".replace(",", ".")}
                )
            cells = [(cell.value, cell.data_type) for cell in row]
            for value, _type in cells:
                if value is not None and value != "":
                    sheet.rows.append((index, cells))
                    break
    except WorkbookUnreadable:
        raise
    except Exception:
        raise WorkbookUnreadable(
            _("Không đọc được trang “%(sheet)s”: tệp bị hỏng.") % {"sheet": ws.title}
        ) from None
    return sheet
