"""Writing the workbook of a committee's subtree (and the blank template) in the fixed format."""

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.lineage import end_value, last_judgement, reference_of
from indicators.models import TALLY_KINDS, Committee, CommitteePredecessor, Indicator, ResolutionKind, Stage
from indicators.results import Results
from indicators.services.terms import term_parse_code

from .cells import (
    COMMITTEE_COLUMNS,
    COMMITTEE_SHEET,
    DIRECTION_LABELS,
    END_VALUE_COLUMN,
    FIELD_LABELS,
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    KIND_LABELS,
    LEVEL_LABELS,
    MEASURE_LABELS,
    PREDECESSOR_COLUMN,
    PREDECESSORS_COLUMN,
    RESULT_COLUMNS,
    STAGE_COLUMNS,
    STAGE_LABELS,
    STATUS_LABELS,
    VARIETY_COLUMNS,
    Column,
    indicator_columns,
    is_formula_like,
)
from .reader import STAMP_SHEET
from .selectors import export_indicators, predecessor_codes

# LibreOffice Calc writes a drop-down back only down to 1,000 rows below the sheet's last filled
# row (J2:J2000 over 24 rows came back as J2:J1024, the whole column too). So the drop-down
# reaches exactly that far: a Calc save keeps it whole, and moves it down as rows are typed in.
VALIDATION_ROWS_BELOW = 1000
# Text, so a spreadsheet keeps what is typed ("72%", "1/2", "007", "1.10") exactly as typed.
TEXT_FORMAT = "@"
STAMP_HEADER = ["Mã đơn vị", "Nghị quyết", "STT", "Mã đánh giá", "Phiên bản", "Nhiệm kỳ"]
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="A3161A")
_HEADER_BORDER = Border(bottom=Side(style="medium", color="5A0C0E"))
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def workbook_export(*, committee: Committee, stage: str = Stage.MID) -> bytes:
    """Both sheets for `committee` and every committee below it, as .xlsx bytes.

    At the end stage the rows carry the end-of-term judgements (of the indicators whose end review
    is open) and a `Giai đoạn` column reading "cuối kỳ", and their stamps name that stage: the
    file reads back into the end review. The mid-term's file is as it always was, without it."""
    end = stage == Stage.END
    committees, committee_rows = _committee_rows(committee)
    term = committee.term
    indicators = export_indicators(committees=committees, stage=stage)
    term_code = term.code
    years = range(term.start_year + 1, term.end_year + 1)
    indicator_rows = []
    stamps = []
    for i in indicators.iterator(chunk_size=2000):
        results = Results.of(i.assessment)
        yearly = []
        for year in years:
            shown = results.value_of(year)
            # Two columns a year, "Năm" then "Ước": the value goes in the one its kind names.
            if shown is None:
                yearly += ["", ""]
            elif shown.estimate:
                yearly += ["", shown.value]
            else:
                yearly += [shown.value, ""]
        indicator_rows.append(
            [
                i.resolution.committee.code,
                i.resolution.number,
                KIND_LABELS[i.resolution.kind][0],
                i.number,
                i.text,
                FIELD_LABELS[i.field][0] if i.field else "",
                i.unit,
                i.target,
                i.assessment.value,
                STATUS_LABELS[i.assessment.status][0],
                i.assessment.note,
                results.baseline,
                MEASURE_LABELS[i.measure][0],
                DIRECTION_LABELS[i.direction][0],
                *yearly,
                results.forecast,
                "x" if i.assessment.exceeded else "",
                i.part_of,
                i.target_adjusted,
                i.target_adjusted_by,
                assigned_by.committee.code if (assigned_by := i.resolution.assigned_from) else "",
                *([STAGE_LABELS[Stage.END][0]] if end else []),
                str(reference_of(i.predecessor)) if i.predecessor else "",
            ]
        )
        stamps.append(
            [
                i.resolution.committee.code,
                i.resolution.number,
                i.number,
                i.assessment.pk,
                i.assessment.version,
                term_code,
                *([Stage.END.value] if end else []),
            ]
        )
    # The columns naming predecessors in the term before (written last) only where one is named:
    # a workbook of a term without them reads as it always did.
    lineage = any(row[-1] for row in committee_rows) or any(row[-1] for row in indicator_rows)
    if not lineage:
        committee_rows = [row[:-1] for row in committee_rows]
        indicator_rows = [row[:-1] for row in indicator_rows]
    columns = indicator_columns(term.start_year, term.end_year)
    if end:
        columns = [END_VALUE_COLUMN if c.key == "value" else c for c in columns] + STAGE_COLUMNS
    return _workbook(
        committee_rows,
        indicator_rows,
        stamps,
        [*columns, PREDECESSOR_COLUMN] if lineage else columns,
        [*COMMITTEE_COLUMNS, PREDECESSORS_COLUMN] if lineage else COMMITTEE_COLUMNS,
    )


def _committee_rows(committee: Committee) -> tuple[list[Committee], list[list[str]]]:
    """The committees of the subtree in path order, and their rows of the `Đơn vị` sheet (the
    last column, `Đơn vị tiền thân`, names their predecessors): two queries."""
    committees = list(Committee.objects.in_subtree(committee).select_related("parent").order_by("path"))
    predecessors = predecessor_codes(committees)
    rows = [
        [
            c.code,
            c.name,
            LEVEL_LABELS[c.level][0],
            c.parent.code if c.parent else "",
            ", ".join(predecessors.get(c.pk, [])),
        ]
        for c in committees
    ]
    return committees, rows


def template_export(*, term_code: str = "") -> bytes:
    """The blank workbook: headers and the status drop-down only; with a term ('2025-2030'), the
    yearly columns of its years too."""
    try:
        start, end = term_parse_code(term_code)
    except ValueError:
        columns = INDICATOR_COLUMNS + RESULT_COLUMNS + VARIETY_COLUMNS
    else:
        columns = indicator_columns(start, end)
    return _workbook([], [], None, columns)


def _workbook(
    committee_rows: list[list[str]],
    indicator_rows: list[list[str]],
    stamps: list[list] | None,
    columns: list[Column],
    committee_columns: list[Column] = COMMITTEE_COLUMNS,
) -> bytes:
    wb = Workbook()
    ws = wb.worksheets[0]  # the sheet a new workbook starts with
    ws.title = COMMITTEE_SHEET[0]
    _fill(ws, committee_columns, committee_rows)
    ws = wb.create_sheet(INDICATOR_SHEET[0])
    _fill(ws, columns, indicator_rows)
    status_letter = get_column_letter(
        next(i for i, c in enumerate(INDICATOR_COLUMNS, 1) if c.key == "status")
    )
    labels = ",".join(vi for vi, _en in STATUS_LABELS.values())
    validation = DataValidation(
        type="list",
        formula1=f'"{labels}"',
        allow_blank=True,
        showDropDown=False,  # (sic) openpyxl's False means: show the arrow
        showErrorMessage=True,
        # A warning, not a stop: the import also reads English labels and real-world wording.
        errorStyle="warning",
        errorTitle="Đánh giá",
        error="Chọn một trong: " + ", ".join(vi for vi, _en in STATUS_LABELS.values()),
        promptTitle="Đánh giá",
        prompt=", ".join(vi for vi, _en in STATUS_LABELS.values()),
        showInputMessage=True,
    )
    last = len(indicator_rows) + 1 + VALIDATION_ROWS_BELOW
    validation.add(f"{status_letter}2:{status_letter}{last}")
    ws.add_data_validation(validation)
    if stamps is not None:
        _stamp_sheet(wb, stamps)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fill(ws, columns, rows: list[list[str]]) -> None:
    widths = [len(c.vi) + 2 for c in columns]
    ws.append([c.vi for c in columns])
    for cell in ws[1]:
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for values in rows:
        ws.append([_plain(v) for v in values])
        for index, value in enumerate(values):
            longest = max((len(line) for line in str(value).splitlines()), default=0)
            widths[index] = max(widths[index], longest + 2)
    if rows:
        # Everything is text: numbers are stored as people wrote them ("6,5", "≥ 95"), and a
        # formula-like text must stay text (openpyxl would otherwise store "=…" as a formula).
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.number_format = TEXT_FORMAT
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if is_formula_like(cell.value):
                        cell.quotePrefix = True
    for index, width in enumerate(widths, start=1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = min(max(width, _MIN_WIDTH), _MAX_WIDTH)
        dimension.number_format = TEXT_FORMAT  # rows typed in below the export are text too
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"


def _plain(value: str) -> str:
    # Characters XML cannot carry (control codes) would make the whole file unwritable.
    return ILLEGAL_CHARACTERS_RE.sub("", value or "")


def _stamp_sheet(wb, stamps: list[list]) -> None:
    """What each indicator row was exported from, so an old copy cannot undo newer work unseen.

    A hidden, protected sheet keyed by (code, resolution, STT): sorting or inserting rows in the
    visible sheet does not detach a row from its stamp."""
    ws = wb.create_sheet(STAMP_SHEET)
    # An end-of-term export's stamps name their stage (reviews.workbook.check.read_stamps).
    ws.append(STAMP_HEADER + (["Giai đoạn"] if stamps and len(stamps[0]) > 6 else []))
    for row in stamps:
        ws.append([_plain(row[0]), _plain(row[1]), _plain(row[2]), *row[3:]])
    for row in ws.iter_rows(min_row=2, max_col=3):
        for cell in row:
            cell.data_type = "s"
            cell.number_format = TEXT_FORMAT
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


# The resolution number a draft writes where the new committee has no Congress resolution yet:
# the office replaces it with the real number before importing (or imports it as it is).
DRAFT_RESOLUTION = "Dự thảo"


def draft_export(*, committee: Committee) -> bytes:
    """The draft workbook of a new term, made from the term before (domain.md, "The life of a
    term"): `committee` and its subtree with each one's `Đơn vị tiền thân`, and for each of them
    its predecessors' Congress indicators, numbered anew, with `Chỉ tiêu kỳ trước` filled and the
    predecessor's end-year value as the starting point of the target (the baseline is then carried).
    Five queries whatever the trees; the file reads back through the one importer."""
    committees, committee_rows = _committee_rows(committee)
    links = CommitteePredecessor.objects.filter(committee__in=[c.pk for c in committees])
    by_predecessor: dict[int, list[int]] = {}
    for committee_id, predecessor_id in links.values_list("committee_id", "predecessor_id"):
        by_predecessor.setdefault(predecessor_id, []).append(committee_id)
    resolutions = dict(
        Committee.objects.filter(pk__in=[c.pk for c in committees], resolutions__kind=ResolutionKind.CONGRESS)
        .order_by("resolutions__number")
        .values_list("pk", "resolutions__number")
    )
    old_indicators = (
        Indicator.objects.filter(
            resolution__committee__in=list(by_predecessor), resolution__kind__in=TALLY_KINDS
        )
        .prefetch_related("assessments")  # their last judgement (lineage.last_judgement), one query
        .select_related("resolution__committee__term")
        .order_by("resolution__committee__code", "sort_key")
    )
    rows_by_committee: dict[int, list[Indicator]] = {}
    for old in old_indicators:
        for committee_id in by_predecessor[old.resolution.committee_id]:
            rows_by_committee.setdefault(committee_id, []).append(old)
    indicator_rows = []
    for c in committees:
        for number, old in enumerate(rows_by_committee.get(c.pk, []), start=1):
            end = end_value(last_judgement(old), end_year=old.resolution.committee.term.end_year)
            row = {
                "code": c.code,
                "resolution": resolutions.get(c.pk, DRAFT_RESOLUTION),
                "kind": KIND_LABELS[ResolutionKind.CONGRESS][0],
                "number": str(number),
                "text": old.text,
                "field": FIELD_LABELS[old.field][0] if old.field else "",
                "unit": old.unit,
                "target": end.value if end else "",
                "measure": MEASURE_LABELS[old.measure][0],
                "direction": DIRECTION_LABELS[old.direction][0],
                "predecessor": str(reference_of(old)),
            }
            indicator_rows.append([row.get(col.key, "") for col in _DRAFT_COLUMNS])
    return _workbook(
        committee_rows, indicator_rows, None, _DRAFT_COLUMNS, [*COMMITTEE_COLUMNS, PREDECESSORS_COLUMN]
    )


_DRAFT_COLUMNS = [*INDICATOR_COLUMNS, *RESULT_COLUMNS, PREDECESSOR_COLUMN]
