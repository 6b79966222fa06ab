"""Opening an uploaded workbook without trusting it: format, size and work bounded before openpyxl.

A file is refused before openpyxl parses it when it is not an .xlsx (the message names what it
is and how to save it as .xlsx), when its zip directory promises too much, or when a streaming
scan of its XML parts finds more shared strings, rows, cells or columns than a real workbook of
this format has. The scan stops at the first cap it passes, so a hostile file costs a fraction of
a second however large its parts are; only files within the caps reach openpyxl.
"""

import io
import itertools
import re
import types
import xml.etree.ElementTree as StdElementTree
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

import openpyxl
from defusedxml import ElementTree
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet import _reader as openpyxl_sheet_reader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

# openpyxl parses with defusedxml when it is installed; without it, an entity-expansion file
# could exhaust memory. Refuse to run at all rather than run unprotected.
assert openpyxl.DEFUSEDXML, "defusedxml must be installed: openpyxl would parse XML unprotected"  # noqa: S101

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 500
MAX_ROWS = 50_000  # data rows per sheet, header not counted
MAX_COLUMNS = 200
# The work openpyxl would do, bounded per part. The demo province (2,258 indicator rows) has about
# 6,000 shared strings; an export writes every cell of a row, 31 for a five-year term (11 fixed
# columns, 14 of results over time, the "Vượt" mark, `Thuộc chỉ tiêu`, the adjusted target with
# its decision, `Đơn vị giao` and `Chỉ tiêu kỳ trước`), so the caps allow MAX_ROWS full rows.
MAX_SHARED_STRINGS = 300_000
MAX_CELLS_PER_SHEET = 31 * MAX_ROWS
MAX_ELEMENTS_OTHER_PART = 100_000  # styles, workbook, relationships, theme…

STAMP_SHEET = "Phiên bản xuất"


class WorkbookUnreadable(Exception):
    """The file as a whole cannot be read; the message is a sentence for the user."""


@dataclass(frozen=True)
class Cell:
    value: object
    data_type: str | None = None
    number_format: str = "General"


EMPTY = Cell(None)


@dataclass
class Sheet:
    """One sheet: its header cells, and its non-empty rows read lazily as (row number, [Cell, …])."""

    name: str
    header: list
    rows: Iterator[tuple[int, list[Cell]]]


# ---- what the file is -----------------------------------------------------------------------


def _how_to_save() -> str:
    return _(
        "Hãy mở tệp rồi lưu lại dưới dạng .xlsx: trong Excel chọn Tệp → Lưu dưới dạng… → "
        "“Sổ làm việc Excel (*.xlsx)”; trong LibreOffice Calc chọn Tệp → Lưu dưới dạng… → "
        "kiểu tệp “Excel 2007-365 (.xlsx)” → “Dùng định dạng Excel 2007-365!”."
    )


def _refuse(found: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        _("Tệp này là %(found)s, không phải tệp Excel .xlsx. %(how)s")
        % {"found": found, "how": _how_to_save()}
    )


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "utf-16", "cp1258"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return bool(text) and printable / len(text) > 0.95
    return False


def _csv_message() -> WorkbookUnreadable:
    return WorkbookUnreadable(
        _(
            "Tệp này là tệp văn bản CSV, không phải tệp Excel .xlsx. Tệp CSV chỉ giữ được một trang "
            "(Excel và LibreOffice Calc chỉ lưu trang đang mở) và không giữ định dạng, nên không thể "
            "chứa cả hai trang “Đơn vị” và “Chỉ tiêu”. Hãy điền vào tệp .xlsx tải từ hệ thống (hoặc "
            "tệp mẫu) và lưu lại dưới dạng .xlsx: trong Excel chọn Tệp → Lưu dưới dạng… → "
            "“Sổ làm việc Excel (*.xlsx)”; trong LibreOffice Calc chọn Tệp → Lưu dưới dạng… → "
            "kiểu tệp “Excel 2007-365 (.xlsx)”."
        )
    )


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """What a zip that is not an .xlsx is, in words; None when it looks like an .xlsx."""
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100].decode("ascii", "replace")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
            mimetype = ""
        if "opendocument.spreadsheet" in mimetype:
            return _("tệp .ods của LibreOffice Calc (OpenDocument)")
        if "opendocument" in mimetype:
            return _("một tài liệu OpenDocument (.odt, .odp…)")
    if "xl/workbook.bin" in names:
        return _("tệp Excel nhị phân .xlsb")
    if "word/document.xml" in names:
        return _("tài liệu Word .docx")
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        return _("một tệp nén .zip")
    return None


def open_workbook(data: bytes, *, filename: str = ""):
    """An openpyxl read-only workbook, after the checks that keep a hostile file cheap."""
    if not data:
        raise WorkbookUnreadable(_("Tệp rỗng (0 byte)."))
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookUnreadable(
            _("Tệp lớn %(size)s MB, vượt giới hạn %(max)s MB.")
            % {"size": f"{len(data) / 1048576:.1f}", "max": MAX_FILE_BYTES // 1048576}
        )
    if data.startswith(_OLE2):
        raise _refuse(_("tệp Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu"))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"%PDF"):
            raise _refuse(_("tệp PDF"))
        if filename.lower().endswith((".csv", ".txt")) or _looks_like_text(data[:4096]):
            raise _csv_message()
        raise _refuse(_("một tệp không đọc được (không phải bảng tính, hoặc đã hỏng)"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(_("một tệp nén bị hỏng")) from None
    # zipfile never inflates an entry past its declared size, so the declared sizes bound
    # what openpyxl can read: checking them here stops a zip bomb before any inflating.
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookUnreadable(_("Tệp giải nén ra quá lớn; không thể đọc tệp này."))
    names = {e.filename for e in entries}
    kind = _zip_kind(archive, names)
    if kind is not None:
        raise _refuse(kind)
    _scan_parts(archive, entries)
    try:
        return _load(data)
    except Exception:  # openpyxl raises many kinds on broken files; all mean the same to the user
        raise _refuse(_("một tệp .xlsx bị hỏng")) from None


class _Worksheet(ReadOnlyWorksheet):
    """A read-only sheet that reads its size only from the head of its XML. openpyxl's own looks
    for the sheet's <dimension> by parsing the sheet up to it, the whole sheet when a file has none
    (as openpyxl's write-only files have not): a second full parse before the rows are read. The
    rows below never use the dimension (it may lie); a big import's progress reads it as its total
    (reviews.workbook.services), where Excel, Calc and openpyxl write it: first, before the rows."""

    def _get_size(self) -> None:
        with self._get_source() as source:  # type: ignore[attr-defined]  # openpyxl's, unstubbed
            head = source.read(_DIMENSION_HEAD).decode("utf-8", "replace")
        found = _DIMENSION.search(head)
        if found is None:
            return
        try:
            bounds = range_boundaries(found.group(1))
        except ValueError:  # a dimension that names no range: the sheet stays unsized
            return
        if None not in bounds:
            size: tuple[int, int, int, int] = bounds  # type: ignore[assignment]  # no None: checked
            self._min_column, self._min_row, self._max_column, self._max_row = size


_DIMENSION_HEAD = 4096
_DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"')


def _load(data: bytes):
    """openpyxl.load_workbook(read_only=True, data_only=False), its steps in order, with the sheets
    opened as _Worksheet."""
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=False)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    reader.read_properties()
    reader.read_custom()
    reader.read_theme()
    apply_stylesheet(reader.archive, reader.wb)
    for sheet, rel in reader.parser.find_sheets():
        if rel.target not in reader.valid_files or "chartsheet" in rel.Type:
            continue
        # As openpyxl appends its own read-only sheets (its stubs do not name the list).
        reader.wb._sheets.append(_Worksheet(reader.wb, sheet.name, rel.target, reader.shared_strings))  # type: ignore[attr-defined]
    reader.parser.assign_names()
    return reader.wb


# ---- the streaming scan -----------------------------------------------------------------------


def _too_far_right(sheet: str) -> str:
    return _("Trang “%(sheet)s” có ô ở ngoài cột thứ %(max)d; hãy xóa các cột thừa.") % {
        "sheet": sheet,
        "max": MAX_COLUMNS,
    }


class _TooMuch(Exception):
    def __init__(self, message: str):
        self.message = message


_COLUMN = re.compile(r"[A-Za-z]+")


def _column_number(ref: str) -> int:
    match = _COLUMN.match(ref)
    if not match:
        return 0
    n = 0
    for ch in match.group(0).upper():
        n = n * 26 + ord(ch) - 64
        if n > 16384:
            break
    return n


def _too_many_rows(sheet: str) -> str:
    return _("Trang “%(sheet)s” có hơn %(max)s dòng; hãy chia thành nhiều tệp.") % {
        "sheet": sheet,
        "max": f"{MAX_ROWS:,}".replace(",", "."),
    }


def _forbidden(*_args: object) -> int:
    raise _TooMuch(_("Tệp chứa khai báo XML không được phép; không đọc tệp này."))


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> the sheet's title, for messages (read after those small parts were scanned)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    titles = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        rid = sheet.get(f"{{{_REL}}}id")
        if rid in targets:
            titles[targets[rid]] = sheet.get("name", "")
    return titles


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# The big parts (sheets, shared strings) are scanned with regular expressions over the inflated
# bytes, counting in C rather than calling back per element as an XML parser would. A comment or
# CDATA that looks like a tag can only make the counts larger, so no file gets through by it.
_CELL = re.compile(rb"<c[\s/>]")
_ROW = re.compile(rb"<row[\s/>]")
# The same with any prefix, for a part that binds a prefix to the sheet's namespace (rare, slower).
_PREFIX = rb"<(?:[A-Za-z_][\w.\-]*:)?"
_CELL_ANY = re.compile(_PREFIX + rb"c[\s/>]")
_ROW_ANY = re.compile(_PREFIX + rb"row[\s/>]")
_STRING_ANY = re.compile(_PREFIX + rb"si[\s/>]")
_BINDS_PREFIX = re.compile(rb"""xmlns:[\w.\-]+\s*=\s*["'][^"']*spreadsheetml""")
# A reference of two letters or more ("GS" is column 201): the only ones that can lie past the cap.
_FAR_REF = re.compile(rb"""r\s*=\s*["']\s*([A-Za-z]{2,})""")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_CHUNK = 1 << 20
_MAX_TAG = 1 << 20
# Spreadsheets write empty formatted rows below the data (LibreOffice: down to the drop-down's end).
_EMPTY_ROWS_ALLOWED = 2_000


def _chunks(archive: zipfile.ZipFile, entry: zipfile.ZipInfo):
    """The part's bytes in pieces that end before a '<', so that no tag is cut in two."""
    tail = b""
    with archive.open(entry) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            buf = tail + chunk
            cut = buf.rfind(b"<") if chunk else len(buf)
            buf, tail = (buf, b"") if cut < 0 else (buf[:cut], buf[cut:])
            if len(tail) > _MAX_TAG:
                raise _TooMuch(_("Tệp có cấu trúc bất thường; không đọc tệp này."))
            if _DECLARATION.search(buf):
                raise _TooMuch(_("Tệp chứa khai báo XML không được phép; không đọc tệp này."))
            if buf:
                yield buf
            if not chunk:
                return


def _scan_strings(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    count = 0
    for buf in _chunks(archive, entry):
        count += len(_STRING_ANY.findall(buf))
        if count > MAX_SHARED_STRINGS:
            raise _TooMuch(
                _(
                    "Tệp có hơn %(max)s chuỗi chữ khác nhau, nhiều hơn mọi sổ chỉ tiêu thật; "
                    "không đọc tệp này."
                )
                % {"max": f"{MAX_SHARED_STRINGS:,}".replace(",", ".")}
            )


def _scan_sheet(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, label: str) -> None:
    cells = rows = 0
    prefixed = False  # a prefix is bound before it is used, so from its chunk on
    for buf in _chunks(archive, entry):
        prefixed = prefixed or bool(_BINDS_PREFIX.search(buf))
        rows += len((_ROW_ANY if prefixed else _ROW).findall(buf))
        if rows > MAX_ROWS + 1 + _EMPTY_ROWS_ALLOWED:
            raise _TooMuch(_too_many_rows(label))
        cells += len((_CELL_ANY if prefixed else _CELL).findall(buf))
        if cells > MAX_CELLS_PER_SHEET:
            raise _TooMuch(
                _("Trang “%(sheet)s” có hơn %(max)s ô có dữ liệu; hãy chia thành nhiều tệp.")
                % {"sheet": label, "max": f"{MAX_CELLS_PER_SHEET:,}".replace(",", ".")}
            )
        # openpyxl pads a row up to its last cell: one cell in column XFD makes 16,384.
        for match in _FAR_REF.finditer(buf):
            if (
                buf[match.start() - 1 : match.start()].isspace()
                and _column_number(match.group(1).decode()) > MAX_COLUMNS
            ):
                raise _TooMuch(_too_far_right(label))


def _scan_parts(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    small = [e for e in entries if e.filename.endswith((".xml", ".rels"))]
    sheets = [e for e in small if e.filename.startswith("xl/worksheets/")]
    strings = [e for e in small if e.filename == "xl/sharedStrings.xml"]
    try:
        # The small parts first, so the sheets' titles can be read safely for the messages.
        for entry in small:
            if entry not in sheets and entry not in strings:
                _scan_small_part(archive, entry)
        titles = _sheet_titles(archive)
        for entry in strings:
            _scan_strings(archive, entry)
        for entry in sheets:
            label = titles.get(entry.filename) or entry.filename.rsplit("/", 1)[-1].removesuffix(".xml")
            _scan_sheet(archive, entry, label)
    except _TooMuch as exc:
        raise WorkbookUnreadable(exc.message) from None
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise _refuse(_("một tệp .xlsx bị hỏng")) from None


def _scan_small_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Styles, workbook, relationships, theme…: parsed, with an element cap and no declarations."""
    count = 0

    def start(_tag, _attrs):
        nonlocal count
        count += 1
        if count > MAX_ELEMENTS_OTHER_PART:
            raise _TooMuch(_("Tệp có cấu trúc bất thường; không đọc tệp này."))

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    # The same refusals as defusedxml: no DTD, no entity declarations, no external references.
    parser.StartDoctypeDeclHandler = _forbidden
    parser.EntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden
    with archive.open(entry) as stream:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


# ---- rows ---------------------------------------------------------------------------------------


def open_sheet(ws) -> Sheet:
    """The header now and the rows lazily, counting rows ourselves (a sheet's own dimension may lie)."""
    rows = _parsed_rows(ws)
    try:
        number, first = next(rows, (1, []))
        header = [cell.value for cell in first] if number == 1 else []
    except WorkbookUnreadable:
        raise
    except Exception:
        raise WorkbookUnreadable(
            _("Không đọc được trang “%(sheet)s”: tệp bị hỏng.") % {"sheet": ws.title}
        ) from None
    if number != 1:  # no row 1: the header is empty, and the row read belongs to the data
        rows = itertools.chain([(number, first)], rows)
    return Sheet(name=ws.title, header=header, rows=_rows(ws.title, rows))


def _parsed_rows(ws) -> Iterator[tuple[int, list[Cell]]]:
    """(row number, cells) for each row the sheet writes, in one parse of the sheet.

    openpyxl's own row parser, without the cell objects of its worksheet: each row as wide as its
    last cell (a cell past MAX_COLUMNS refuses the sheet), a row written again or out of order
    skipped as openpyxl skips it, and the number format of each style looked up once."""
    wb = ws.parent
    styles, formats = wb._cell_styles, wb._number_formats
    number_format: dict[int, str] = {}

    def format_of(style_id: int) -> str:
        if style_id not in number_format:
            fmt_id = styles[style_id].numFmtId
            if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
                number_format[style_id] = BUILTIN_FORMATS.get(fmt_id, "General") or "General"
            else:
                number_format[style_id] = formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE] or "General"
        return number_format[style_id]

    last = 0
    with ws._get_source() as source:
        parser = _SheetParser(
            source,
            ws._shared_strings,
            data_only=False,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for number, parsed in parser.parse():
            if number <= last:
                continue
            last = number
            width = parsed[-1]["column"] if parsed else 0
            if width > MAX_COLUMNS:  # openpyxl pads a row up to its last cell
                raise WorkbookUnreadable(_too_far_right(ws.title))
            cells = [EMPTY] * width
            for cell in parsed:
                column, value = cell["column"], cell["value"]
                if 1 <= column <= width and value is not None:
                    cells[column - 1] = Cell(value, cell["data_type"], format_of(cell["style_id"]))
            yield number, cells


_INLINE_STRING = f"{{{_MAIN}}}is"


class _DeclaresDtd(Exception):
    """A sheet with a DOCTYPE: read as a broken sheet, as defusedxml's refusal of its entities was."""


class _RootReached(Exception):
    pass


def _root_reached(*_args: object) -> None:
    raise _RootReached


def _declares_dtd(*_args: object) -> None:
    raise _DeclaresDtd


def _iterparse_without_dtd(source):
    """ElementTree's iterparse, for a sheet that declares no DTD.

    defusedxml's iterparse runs the pure-Python parser (it subclasses it to refuse entity
    declarations): a third of the time of reading a sheet. Entities can only be declared in a
    DTD, and a DTD only comes before the root element; so expat first reads the part up to its
    root (in whatever encoding the part declares, which the pre-scan's byte search cannot see),
    refusing a DOCTYPE, and then the part is parsed from its start by the C parser: no entity of
    the file's can expand, and none can be external."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _declares_dtd
    parser.StartElementHandler = _root_reached
    try:
        while chunk := source.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _RootReached:
        pass
    source.seek(0)
    return StdElementTree.iterparse(source)  # noqa: S314 - no DTD, so no entity: checked just above


def _with_iterparse(function: Any, iterparse: Any) -> types.FunctionType:
    """openpyxl's `function` of its sheet reader, its code unchanged (what it does with each part
    of the sheet stays openpyxl's), calling `iterparse` where it calls its module's; openpyxl's
    module itself is left as it is."""
    assert "iterparse" in function.__code__.co_names, "openpyxl's sheet loop no longer calls iterparse"  # noqa: S101
    namespace = {**vars(openpyxl_sheet_reader), "iterparse": iterparse}
    return types.FunctionType(function.__code__, namespace, function.__name__, function.__defaults__)


class _SheetParser(WorkSheetParser):
    """openpyxl's sheet parser, its loop over the sheet's elements run by the C parser once the
    sheet is known to declare no DTD (_iterparse_without_dtd), and reading an inline string's text
    without building openpyxl's rich text objects for it (a third of the parse for a file that
    writes its text inline, as openpyxl's write-only workbooks do). The text is the same: the plain
    text, then each run's."""

    parse = _with_iterparse(WorkSheetParser.parse, _iterparse_without_dtd)

    def parse_cell(self, element):
        inline = element.find(_INLINE_STRING) if element.get("t") == "inlineStr" else None
        if inline is None:
            return super().parse_cell(element)
        element.remove(inline)  # openpyxl then reads no value; the element is cleared after the row
        cell = super().parse_cell(element)
        if cell["data_type"] == "inlineStr":  # not a formula
            cell["value"], cell["data_type"] = _inline_text(inline), "s"
        return cell


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _inline_text(node) -> str:
    """Text.from_tree(node).content: the last <t> child, then the last <t> of each <r> run."""
    plain = None
    runs = []
    for child in node:
        tag = _local(child.tag)
        if tag == "t":
            plain = child.text
        elif tag == "r":
            text = None
            for part in child:
                if _local(part.tag) == "t":
                    text = part.text
            if text is not None:
                runs.append(text)
    return "".join(([plain] if plain is not None else []) + runs)


def _rows(title: str, rows) -> Iterator[tuple[int, list[Cell]]]:
    try:
        for number, cells in rows:
            if number - 1 > MAX_ROWS:
                raise WorkbookUnreadable(_too_many_rows(title))
            if any(c.value is not None and c.value != "" for c in cells):
                yield number, cells
    except WorkbookUnreadable:
        raise
    except Exception:
        raise WorkbookUnreadable(
            _("Không đọc được trang “%(sheet)s”: tệp bị hỏng.") % {"sheet": title}
        ) from None
