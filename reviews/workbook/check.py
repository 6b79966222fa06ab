"""Checking a read workbook against the stored term: permission first, then every cell; returns a plan.

Nothing here writes. The plan names every write the workbook asks for; `apply` carries it out
through the services. A user who may not set terms up sees nothing of committees outside their
own subtree: every code they may not touch gets the same sentence, whether it exists or not.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from indicators.access import Action, can, may_set_up_terms, visible_committees
from indicators.groups import link_problems
from indicators.models import (
    Assessment,
    Committee,
    Direction,
    Indicator,
    Measure,
    Resolution,
    ResolutionKind,
    Stage,
    Status,
    Term,
)
from indicators.notes import Moment, Severity, assessment_problems
from indicators.people import full_name
from indicators.results import Results, suggestion_for
from indicators.services.assessments import AssessmentEdit
from indicators.services.indicators import adjustment_problem
from indicators.services.terms import term_parse_code
from reviews.models import Review, ReviewState
from reviews.services import ReviewLocked

from . import cells
from .cells import COMMITTEE_COLUMNS, INDICATOR_COLUMNS, INDICATOR_SHEET, RESULT_COLUMNS, CellError
from .lineage import LineageCheck, LineagePlan
from .problems import Problems
from .reader import EMPTY, Cell, Sheet

# ---- what is stored, by name -----------------------------------------------------------------


@dataclass(frozen=True)
class StoredIndicator:
    indicator_id: int
    text: str
    field: str
    unit: str
    target: str
    measure: str
    direction: str
    assessment_id: int
    status: str
    value: str
    note: str
    results: Results
    version: int
    updated_by: str
    updated_at: datetime | None
    exceeded: bool = False
    part_of: str = ""  # the STT of its group, "" for an indicator of its own
    target_adjusted: str = ""
    target_adjusted_by: str = ""


@dataclass(frozen=True)
class StoredResolution:
    resolution_id: int
    kind: str


# ---- the plan: every write, named --------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeRecord:
    code: str
    name: str
    level: str
    parent_code: str


@dataclass(frozen=True)
class NewIndicator:
    code: str
    resolution: str
    number: str
    text: str
    field: str
    unit: str
    target: str
    status: str
    value: str
    note: str
    measure: str
    direction: str
    results: Results
    exceeded: bool = False
    part_of: str = ""
    target_adjusted: str = ""
    target_adjusted_by: str = ""
    # The code of the committee above whose indicator (same resolution and number) this one is.
    assigned_by: str = ""


@dataclass(frozen=True)
class IndicatorContent:
    indicator_id: int
    text: str
    field: str
    unit: str
    target: str
    measure: str
    direction: str
    part_of: str | None = None  # None keeps the stored group
    target_adjusted: str = ""
    target_adjusted_by: str = ""


@dataclass
class ImportPlan:
    term_code: str
    term: Term | None
    new_committees: list[CommitteeRecord] = field(default_factory=list)
    changed_committees: list[CommitteeRecord] = field(default_factory=list)
    new_resolutions: dict[tuple[str, str], str] = field(default_factory=dict)  # (code, number) -> kind
    kind_changes: dict[int, str] = field(default_factory=dict)  # resolution id -> kind
    new_indicators: list[NewIndicator] = field(default_factory=list)
    content_changes: list[IndicatorContent] = field(default_factory=list)
    edits: dict[str, list[AssessmentEdit]] = field(default_factory=lambda: defaultdict(list))
    # … of the end-of-term review (rows whose `Giai đoạn` is "cuối kỳ"), saved at that stage.
    end_edits: dict[str, list[AssessmentEdit]] = field(default_factory=lambda: defaultdict(list))
    statuses_changed: int = 0
    end_statuses_changed: int = 0
    rows_skipped: int = 0
    # (label as written, status read, exceeded) -> rows: what the summary says it read as what.
    labels_read: Counter[tuple[str, str, bool]] = field(default_factory=Counter)
    # Predecessors of committees and indicators that change (reviews.workbook.lineage).
    lineage: LineagePlan = field(default_factory=LineagePlan)

    @property
    def assessments_changed(self) -> int:
        return sum(len(e) for e in self.edits.values()) + self.end_assessments_changed

    @property
    def end_assessments_changed(self) -> int:
        return sum(len(e) for e in self.end_edits.values())


@dataclass
class _Row:
    sheet: str
    row: int
    cells: dict[str, Cell]
    titles: dict[str, str]  # key -> column title for problems
    letters: dict[str, str]


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the indicator sheet, every cell read into its stored form."""

    row: _Row
    code: str
    resolution: str
    kind: str  # "" keeps the stored resolution's kind
    number: str
    text: str
    field: str
    unit: str
    target: str
    value: str
    label: cells.Label
    note: str
    measure: str  # "" keeps the stored one
    direction: str  # "" keeps the stored one
    amounts: dict[str, str]  # the result columns the file has, by column key
    # The "vượt" mark the row gives (its label or its `Vượt` column); a file without the column
    # keeps the stored mark (RowChange.exceeded).
    exceeded: bool = False
    exceeded_column: bool = False
    part_of: str | None = None  # the `Thuộc chỉ tiêu` cell; None: no such column, the stored group stays
    # The adjusted target and its decision; None where the file has no such column (kept as stored).
    target_adjusted: str | None = None
    target_adjusted_by: str | None = None
    assigned_by: str = ""  # `Đơn vị giao`: empty for the committee's own indicators
    stage: str = Stage.MID  # `Giai đoạn`: the review whose assessment the row judges

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.code, self.resolution, self.number)

    @property
    def end(self) -> bool:
        return self.stage == Stage.END


@dataclass
class RowChange:
    """What a row means against what is stored: the values it leaves and what they change."""

    stored: StoredIndicator | None
    stored_resolution: StoredResolution | None
    resolution_kind: str
    target: str
    value: str
    measure: str
    direction: str
    results: Results | None  # None: the file has no result columns, the stored ones stay
    exceeded: bool = False
    part_of: str = ""  # the group's STT after the import
    target_adjusted: str = ""
    target_adjusted_by: str = ""
    kind_changed: bool = False
    content_changed: bool = False
    rule_changed: bool = False
    results_changed: bool = False
    assessment_changed: bool = False

    @property
    def new(self) -> bool:
        return self.stored is None

    @property
    def writes(self) -> bool:
        return (
            self.new
            or self.content_changed
            or self.rule_changed
            or self.assessment_changed
            or self.kind_changed
        )


def _max_length(model: type[Model], name: str) -> int:
    length = getattr(model._meta.get_field(name), "max_length", None)
    assert isinstance(length, int)  # noqa: S101 -- only CharFields are named below
    return length


# The longest text each column may hold, from the models (one place). An indicator's text is a
# TextField without a limit; a workbook's is bounded so one cell cannot fill the database.
LENGTHS: dict[str, int] = {
    "code": _max_length(Committee, "code"),
    "name": _max_length(Committee, "name"),
    "resolution": _max_length(Resolution, "number"),
    "number": _max_length(Indicator, "number"),
    "text": 10_000,
    "unit": _max_length(Indicator, "unit"),
    "target": _max_length(Indicator, "target"),
    "target_adjusted": _max_length(Indicator, "target_adjusted"),
    "target_adjusted_by": _max_length(Indicator, "target_adjusted_by"),
    "value": _max_length(Assessment, "value"),
}


# The longest `Đơn vị tiền thân` or `Chỉ tiêu kỳ trước` cell read.
LINEAGE_MAX_LENGTH = 2000

# Keys of a stamp: (committee code, resolution number, STT, stage) -> (assessment id, version).
Stamps = dict[tuple[str, str, str, str], tuple[int, int]]


def neutral(code: str) -> str:
    return _("Mã đơn vị “%(code)s” không có hoặc bạn không có quyền với đơn vị này.") % {"code": code}


class Checker:
    """Reads the rows of both sheets against the stored term and fills an ImportPlan."""

    def __init__(self, *, term_code: str, by, problems: Problems):
        self.by = by
        self.problems = problems
        self.full_rights = by is None or may_set_up_terms(by)
        term = Term.objects.filter(code=term_code).first()
        self.plan = ImportPlan(term_code=term_code, term=term)
        # The yearly columns a workbook may have for this term: every year after the first.
        self.start_year, self.end_year = term_parse_code(term_code)
        self.years = range(self.start_year + 1, self.end_year + 1)
        # Each year's pair of column keys, built once rather than per row and year.
        self.year_keys = [
            (year, cells.year_key("year", year), cells.year_key("estimate", year)) for year in self.years
        ]
        self._result_keys: list[str] = []  # the result columns the indicator sheet has (_rows)
        # The term's years, for the suggestion (the term itself may not be stored yet).
        self.term_years = Term(code=term_code, start_year=self.start_year, end_year=self.end_year)
        self.lineage = LineageCheck(
            term=term, start_year=self.start_year, full_rights=self.full_rights, plan=self.plan.lineage
        )
        self.stored: dict[str, Committee] = {}
        self.visible: set[str] = set()
        self._stored_resolutions: dict[tuple[str, str], StoredResolution] = {}
        self._stored_indicators: dict[tuple[str, str, str], StoredIndicator] = {}
        self._stored_end_indicators: dict[tuple[str, str, str], StoredIndicator] | None = None
        # The kind of resolution of each indicator the file's rows name so far (`Đơn vị giao`).
        self._congress_rows: dict[tuple[str, str, str], str] = {}
        if term is not None:
            committees = list(
                Committee.objects.filter(term=term).only(
                    "id", "code", "name", "level", "parent_id", "path", "depth"
                )
            )
            by_id = {c.pk: c for c in committees}
            for c in committees:
                c.term = term
                c.parent = by_id.get(c.parent_id) if c.parent_id is not None else None
            self.stored = {c.code: c for c in committees}
            if self.full_rights:
                self.visible = set(self.stored)
            else:
                self.visible = set(visible_committees(by, term).values_list("code", flat=True))

    # ---- cells --------------------------------------------------------------------------------

    def _columns(self, sheet: Sheet, kind: str, columns: list[cells.Column]) -> tuple[dict, dict, dict]:
        positions: dict[str, int] = {}
        titles: dict[str, str] = {}
        letters: dict[str, str] = {}
        for index, header in enumerate(sheet.header):
            letter = get_column_letter(index + 1)
            if header is None or str(header).strip() == "":
                continue
            key = cells.match_header(kind, header)
            title = f"{str(header).strip()} ({letter})"
            if key is None:
                self.problems.warn(sheet.name, 1, title, _("Cột không có trong mẫu nên được bỏ qua."))
            elif key in positions:
                self.problems.error(
                    sheet.name, 1, title, _("Cột này trùng với cột %(other)s.") % {"other": titles[key]}
                )
            elif (problem := self._year_column_problem(key)) is not None:
                self.problems.error(sheet.name, 1, title, problem)
            else:
                positions[key], titles[key], letters[key] = index, title, letter
        for col in columns:
            if col.key not in positions:
                titles[col.key] = col.vi
                if col.required:
                    self.problems.error(
                        sheet.name,
                        1,
                        col.vi,
                        _("Thiếu cột bắt buộc “%(vi)s” (hoặc “%(en)s”) ở dòng tiêu đề.")
                        % {"vi": col.vi, "en": col.en},
                    )
        return positions, titles, letters

    def _year_column_problem(self, key: str) -> str | None:
        """Why a yearly column cannot be read for this term ('Năm 2019' for 2020-2025), or None."""
        yearly = cells.split_year_key(key)
        if yearly is None or yearly[1] in self.years:
            return None
        year = yearly[1]
        if year == self.start_year:
            return _(
                "Năm %(year)d là năm đầu của nhiệm kỳ %(term)s: giá trị năm này ghi ở cột “Giá trị đầu kỳ”."
            ) % {"year": year, "term": self.plan.term_code}
        return _(
            "Năm %(year)d không thuộc nhiệm kỳ %(term)s: các cột năm chỉ có từ %(first)d đến %(last)d."
        ) % {
            "year": year,
            "term": self.plan.term_code,
            "first": self.years[0],
            "last": self.years[-1],
        }

    def _rows(self, sheet: Sheet, kind: str, columns: list[cells.Column]):
        positions, titles, letters = self._columns(sheet, kind, columns)
        self._result_keys = [
            key for key in positions if key in ("baseline", "forecast") or cells.split_year_key(key)
        ]
        for number, row_cells in sheet.rows:
            if self.problems.hopeless(sheet.name, number):
                return
            values = {key: (row_cells[i] if i < len(row_cells) else EMPTY) for key, i in positions.items()}
            yield _Row(sheet.name, number, values, titles, letters)

    def _parse(self, row: _Row, key: str, parser, **kwargs):
        cell = row.cells.get(key, EMPTY)
        try:
            if cell.value is None or type(cell.value) is str:  # most cells: nothing to format
                return parser(cell.value, cell.data_type, **kwargs)
            value = cells.read_formatted(
                cell.value, cell.data_type, cell.number_format, ref=f"{row.letters.get(key, '')}{row.row}"
            )
            return parser(value, cell.data_type if value is cell.value else "s", **kwargs)
        except CellError as exc:
            self.problems.error(row.sheet, row.row, row.titles[key], str(exc))
            return None

    def _error(self, row: _Row, key: str, message: str) -> None:
        self.problems.error(row.sheet, row.row, row.titles.get(key, ""), message)

    def _warn(self, row: _Row, key: str, message: str) -> None:
        self.problems.warn(row.sheet, row.row, row.titles.get(key, ""), message)

    # ---- committees ----------------------------------------------------------------------------

    def committees(self, sheet: Sheet | None) -> dict[str, str | None]:
        """Check the committee sheet; return the tree after the import as code -> parent code."""
        final: dict[str, str | None] = {
            code: (c.parent.code if c.parent else None)
            for code, c in self.stored.items()
            if code in self.visible
        }
        if sheet is None:
            return final
        if not self.full_rights:
            self._committees_read_only(sheet)
            return final
        parsed: dict[str, tuple[_Row, CommitteeRecord]] = {}
        for row in self._rows(sheet, "committees", COMMITTEE_COLUMNS):
            code = self._parse(row, "code", cells.parse_text, max_length=LENGTHS["code"], required=True)
            name = self._parse(row, "name", cells.parse_text, max_length=LENGTHS["name"], required=True)
            level = self._parse(row, "level", cells.parse_level)
            parent = self._parse(row, "parent_code", cells.parse_text, max_length=LENGTHS["code"])
            if code is None:
                continue
            if code in parsed:
                self._error(
                    row,
                    "code",
                    _("Mã đơn vị “%(code)s” đã có ở dòng %(row)d.")
                    % {"code": code, "row": parsed[code][0].row},
                )
                continue
            parsed[code] = (row, CommitteeRecord(code, name, level, parent or ""))
        for code, (_row, record) in parsed.items():
            final[code] = record.parent_code or None
        for code, (row, record) in parsed.items():
            parent = record.parent_code
            if parent and parent not in final:
                self._error(
                    row,
                    "parent_code",
                    _(
                        "Không tìm thấy đơn vị cấp trên “%(parent)s”: mã này không có trong trang “Đơn vị” "
                        "và chưa có trong nhiệm kỳ %(term)s."
                    )
                    % {"parent": parent, "term": self.plan.term_code},
                )
            elif parent and (loop := _cycle_through(code, final)):
                self._error(
                    row,
                    "parent_code",
                    _("Cây đơn vị bị vòng lặp: %(loop)s. Một đơn vị không thể nằm dưới chính nó.")
                    % {"loop": " → ".join(loop)},
                )
            self._predecessors(row, code)
            if None in (record.name, record.level):
                continue
            stored = self.stored.get(code)
            if stored is None:
                self.plan.new_committees.append(record)
            elif (stored.name, stored.level, stored.parent.code if stored.parent else "") != (
                record.name,
                record.level,
                record.parent_code,
            ):
                self.plan.changed_committees.append(record)
        return final

    def _predecessors(self, row: _Row, code: str) -> None:
        """The row's `Đơn vị tiền thân`, when the sheet has the column (reviews.workbook.lineage)."""
        if "predecessors" not in row.cells:
            return
        text = self._parse(row, "predecessors", cells.parse_text, max_length=LINEAGE_MAX_LENGTH)
        if text is not None and (problem := self.lineage.committee_problem(code, text)):
            self._error(row, "predecessors", problem)

    def _committees_read_only(self, sheet: Sheet) -> None:
        """A user who may not set terms up: their own rows must be as stored; others are refused."""
        for row in self._rows(sheet, "committees", COMMITTEE_COLUMNS):
            code = self._parse(row, "code", cells.parse_text, max_length=LENGTHS["code"], required=True)
            if code is None:
                continue
            if code not in self.visible:
                self._error(row, "code", neutral(code))
                continue
            self._predecessors(row, code)
            name = self._parse(row, "name", cells.parse_text, max_length=LENGTHS["name"], required=True)
            level = self._parse(row, "level", cells.parse_level)
            parent = self._parse(row, "parent_code", cells.parse_text, max_length=LENGTHS["code"])
            stored = self.stored[code]
            if None in (name, level, parent):
                continue
            if (stored.name, stored.level, stored.parent.code if stored.parent else "") != (
                name,
                level,
                parent,
            ):
                self._error(
                    row,
                    "name",
                    _("Bạn không có quyền sửa tên, cấp hoặc đơn vị cấp trên của đơn vị “%(code)s”.")
                    % {"code": code},
                )

    # ---- indicators ----------------------------------------------------------------------------

    def _stored_indicators_and_resolutions(
        self,
    ) -> tuple[dict[tuple[str, str], StoredResolution], dict[tuple[str, str, str], StoredIndicator]]:
        resolutions: dict[tuple[str, str], StoredResolution] = {}
        indicators: dict[tuple[str, str, str], StoredIndicator] = {}
        if self.plan.term is None:
            return resolutions, indicators
        for rid, code, number, kind in Resolution.objects.filter(committee__term=self.plan.term).values_list(
            "id", "committee__code", "number", "kind"
        ):
            resolutions[(code, number)] = StoredResolution(rid, kind)
        # The mid-term's judgements (at_stage): the rows a workbook without `Giai đoạn` is compared with.
        return resolutions, self._stored_at(Stage.MID)

    def _stored_end(self) -> dict[tuple[str, str, str], StoredIndicator]:
        """The indicators that have an end-of-term assessment (their end review is open), each with
        it; read once, at the first "cuối kỳ" row, so a mid-term workbook costs no more queries."""
        if self._stored_end_indicators is None:
            self._stored_end_indicators = self._stored_at(Stage.END) if self.plan.term is not None else {}
        return self._stored_end_indicators

    def _stored_at(self, stage: str) -> dict[tuple[str, str, str], StoredIndicator]:
        indicators: dict[tuple[str, str, str], StoredIndicator] = {}
        queryset = Indicator.objects.filter(resolution__committee__term=self.plan.term).at_stage(stage)
        if stage != Stage.MID:
            # Only an opened end review has its assessments: a missing key is a review not opened.
            queryset = queryset.filter(assessment__isnull=False)  # type: ignore[misc]  # filtered relation
        rows = queryset.values_list(  # type: ignore[misc]
            "resolution__committee__code",
            "resolution__number",
            "number",
            "id",
            "text",
            "field",
            "unit",
            "target",
            "measure",
            "direction",
            "assessment__id",
            "assessment__status",
            "assessment__value",
            "assessment__note",
            "assessment__baseline",
            "assessment__years",
            "assessment__forecast",
            "assessment__version",
            "assessment__updated_by__username",
            "assessment__updated_by__first_name",
            "assessment__updated_by__last_name",
            "assessment__updated_at",
            "assessment__exceeded",
            "group__number",
            "target_adjusted",
            "target_adjusted_by",
        )
        for row in rows:
            code, res, number, indicator_id, text, field_, unit, target, measure, direction = row[:10]
            assessment_id, status, value, note, baseline, years, forecast = row[10:17]
            version, username, first, last, updated_at, exceeded, part_of, adjusted, adjusted_by = row[17:]
            who = full_name(last_name=last, first_name=first, username=username)
            indicators[(code, res, number)] = StoredIndicator(
                indicator_id,
                text,
                field_,
                unit,
                target,
                measure,
                direction,
                assessment_id,
                status,
                value,
                note,
                Results.from_json({"baseline": baseline, "years": years, "forecast": forecast}),
                version,
                who,
                updated_at,
                bool(exceeded),
                part_of or "",
                adjusted,
                adjusted_by,
            )
        return indicators

    def indicators(self, sheet: Sheet | None, final: dict[str, str | None], stamps: Stamps) -> None:
        """Check the indicator sheet row by row: read, decide what changes, permit, then plan it."""
        if sheet is None:
            return
        self._stored_resolutions, self._stored_indicators = self._stored_indicators_and_resolutions()
        seen: dict[tuple[tuple[str, str, str], str], int] = {}  # (indicator, stage) -> row
        kinds: dict[tuple[str, str], tuple[str, int]] = {}
        writes_by_committee: dict[tuple[str, str], list[_Row]] = defaultdict(list)  # (code, stage)
        # indicator key -> (status, resolution kind) as they will be after the import
        final_status = {
            key: (v.status, self._stored_resolutions[key[:2]].kind)
            for key, v in self._stored_indicators.items()
            if key[0] in self.visible
        }
        # (code, resolution) -> {STT: the STT of its group, ""} as they will be after the import,
        # and the rows that set them: checked together once every row is read (one level deep).
        links: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        for key, v in self._stored_indicators.items():
            links[key[:2]][key[2]] = v.part_of
        linking_rows: dict[tuple[str, str, str], _Row] = {}
        for row in self._rows(
            sheet,
            "indicators",
            INDICATOR_COLUMNS + RESULT_COLUMNS + cells.VARIETY_COLUMNS + cells.STAGE_COLUMNS,
        ):
            record = self._read_indicator(row, final)
            if record is None or self._repeated(record, seen, kinds):
                continue
            if record.end and not self._end_opened(record):
                continue
            change = self._decide(record)
            if record.end and self._end_changes_content(record, change):
                continue
            self._congress_rows[record.key] = change.resolution_kind
            if problem := adjustment_problem(change.target_adjusted, change.target_adjusted_by):
                self._error(
                    row, "target_adjusted" if change.target_adjusted else "target_adjusted_by", problem
                )
                continue
            if not self._permitted(record, change) or self._stale(record, change, stamps):
                continue
            # `Chỉ tiêu kỳ trước` (reviews.workbook.lineage) is the indicator's, not a review's:
            # read from its mid-term row only (an end row cannot change what it names).
            if "predecessor" in row.cells and not record.end:
                text = self._parse(row, "predecessor", cells.parse_text, max_length=LINEAGE_MAX_LENGTH)
                if text is not None and (problem := self.lineage.indicator_problem(record.key, text)):
                    self._error(row, "predecessor", problem)
            self._plan_row(record, change)
            if record.label.warning:
                self._warn(row, "status", record.label.warning)
                self.plan.labels_read[(record.label.read_from, record.label.code, change.exceeded)] += 1
            self._check_notes(record, change)
            if change.writes:
                writes_by_committee[(record.code, record.stage)].append(row)
            if record.end:  # the tally warnings and the groups below are the mid-term's
                continue
            final_status[record.key] = (record.label.code, change.resolution_kind)
            links[record.key[:2]][record.number] = change.part_of
            if record.part_of is not None:
                linking_rows[record.key] = row

        self._check_links(links, linking_rows)
        self._workflow(writes_by_committee)
        parts = {(*res, n) for res, numbers in links.items() for n, group in numbers.items() if group}
        self._tallies(
            {k: v for k, v in final_status.items() if k not in parts},
            {key[0] for key, stage in seen if stage == Stage.MID},
        )

    def _check_links(
        self, links: dict[tuple[str, str], dict[str, str]], rows: dict[tuple[str, str, str], _Row]
    ) -> None:
        """Every `Thuộc chỉ tiêu` names an STT of the same resolution that is not itself a part: an
        error naming the row (a stored indicator's problem lands on the rows of its resolution that
        set a group)."""
        for (code, resolution), numbers in links.items():
            problems = link_problems(numbers)
            for number, message in sorted(problems.items()):
                row = rows.get((code, resolution, number))
                if row is not None:
                    self._error(row, "part_of", message)
                    continue
                for key, linking in rows.items():
                    if key[:2] == (code, resolution):
                        self._error(linking, "part_of", message)

    # Each step below looks at one row; together they are the body of `indicators`.

    def _read_indicator(self, row: _Row, final: dict[str, str | None]) -> IndicatorRow | None:
        """The row's cells as typed values, or None when one cannot be read (its error is reported).

        Permission first: a code the user may not touch says nothing more about the row."""
        code = self._parse(row, "code", cells.parse_text, max_length=LENGTHS["code"], required=True)
        if code is not None and code not in final:
            unknown = _(
                "Không tìm thấy đơn vị có mã “%(code)s” trong trang “Đơn vị” hay trong nhiệm kỳ %(term)s."
            )
            message = unknown % {"code": code, "term": self.plan.term_code}
            self._error(row, "code", message if self.full_rights else neutral(code))
            return None
        parsed = {
            "code": code,
            "resolution": self._parse(
                row, "resolution", cells.parse_text, max_length=LENGTHS["resolution"], required=True
            ),
            "kind": self._parse(row, "kind", cells.parse_kind),
            "number": self._parse(
                row, "number", cells.parse_text, max_length=LENGTHS["number"], required=True
            ),
            "text": self._parse(row, "text", cells.parse_text, max_length=LENGTHS["text"], required=True),
            "field": self._parse(row, "field", cells.parse_field),
            "unit": self._parse(row, "unit", cells.parse_text, max_length=LENGTHS["unit"]),
            "target": self._parse(row, "target", cells.parse_amount, max_length=LENGTHS["target"]),
            "value": self._parse(row, "value", cells.parse_amount, max_length=LENGTHS["value"]),
            "label": self._parse(row, "status", cells.parse_status),
            "note": self._parse(row, "note", cells.parse_note),
            "measure": self._parse(row, "measure", cells.parse_measure),
            "direction": self._parse(row, "direction", cells.parse_direction),
            "amounts": self._result_amounts(row),
        }
        column = "exceeded" in row.cells
        mark = self._parse(row, "exceeded", cells.parse_exceeded) if column else None
        grouped = "part_of" in row.cells
        part_of = (
            self._parse(row, "part_of", cells.parse_text, max_length=LENGTHS["number"]) if grouped else None
        )
        if (
            any(value is None for value in parsed.values())
            or (column and mark is None)
            or (grouped and part_of is None)
        ):
            return None
        exceeded = cells.exceeded_of(parsed["label"], mark)
        if exceeded is None:  # a "Vượt" mark on a status other than achieved
            self._error(row, "exceeded", _("Chỉ chỉ tiêu đạt mới có thể đánh dấu vượt."))
            return None
        stage = self._stage(row, parsed["label"]) if "stage" in row.cells else Stage.MID
        if stage is None:
            return None
        if part_of and parsed["label"].code != Status.NOT_ASSESSED:
            self._error(
                row,
                "status",
                _(
                    "Chỉ tiêu %(number)s là một phần của chỉ tiêu %(group)s: không có đánh giá riêng (cấp ủy "
                    "đánh giá cả nhóm ở dòng chỉ tiêu %(group)s); hãy để trống cột này."
                )
                % {"number": parsed["number"], "group": part_of},
            )
            return None
        adjustment = self._adjustment(row)
        if adjustment is None:
            return None
        assigned_by = self._assigned_by(row, code, parsed, final)
        if assigned_by is None:
            return None
        if assigned_by:
            parsed["kind"] = ResolutionKind.FROM_ABOVE
        return IndicatorRow(
            row=row,
            **parsed,
            exceeded=exceeded,
            exceeded_column=column,
            part_of=part_of,
            target_adjusted=adjustment[0],
            target_adjusted_by=adjustment[1],
            assigned_by=assigned_by,
            stage=stage,
        )

    def _adjustment(self, row: _Row) -> tuple[str | None, str | None] | None:
        """The row's `Mục tiêu điều chỉnh` and `Văn bản điều chỉnh` (None for a column the file does
        not have); None when one cannot be read (its error is reported)."""
        out: list[str | None] = []
        for key, parse in (("target_adjusted", cells.parse_amount), ("target_adjusted_by", cells.parse_text)):
            if key not in row.cells:
                out.append(None)
                continue
            value = self._parse(row, key, parse, max_length=LENGTHS[key])
            if value is None:
                return None
            out.append(value)
        return out[0], out[1]

    def _assigned_by(self, row: _Row, code: str, parsed: dict, final: dict[str, str | None]) -> str | None:
        """The `Đơn vị giao` of the row ("" for an own indicator), or None when wrong (reported):
        the parent of the row's committee, holding an indicator of its Congress resolution with
        the row's `Nghị quyết` and `STT` (stored, or on an earlier row of the file)."""
        above = self._parse(row, "assigned_by", cells.parse_text, max_length=LENGTHS["code"]) or ""
        if not above:
            if parsed["kind"] == ResolutionKind.FROM_ABOVE:
                self._error(
                    row, "kind", _("Chỉ tiêu cấp trên giao cần ghi mã đơn vị giao ở cột “Đơn vị giao”.")
                )
                return None
            return ""
        if final.get(code) != above:
            self._error(
                row,
                "assigned_by",
                _(
                    "“%(above)s” không phải đơn vị cấp trên trực tiếp của “%(code)s”: "
                    "chỉ cấp trên trực tiếp giao chỉ tiêu."
                )
                % {"above": above, "code": code},
            )
            return None
        own = self._stored_resolutions.get((code, parsed["resolution"]))
        if own is not None and own.kind != ResolutionKind.FROM_ABOVE:
            self._error(
                row,
                "assigned_by",
                _("Đơn vị %(code)s đã có nghị quyết số %(number)s của chính mình: không thể giao chỉ tiêu.")
                % {"code": code, "number": parsed["resolution"]},
            )
            return None
        key = (above, parsed["resolution"], parsed["number"])
        kind = self._congress_rows.get(key)
        if kind is None and key in self._stored_indicators:
            kind = self._stored_resolutions[key[:2]].kind
        if kind != ResolutionKind.CONGRESS:
            self._error(
                row,
                "assigned_by",
                _(
                    "Đơn vị “%(above)s” không có chỉ tiêu số %(number)s "
                    "của Nghị quyết Đại hội %(res)s để giao."
                )
                % {"above": above, "number": parsed["number"], "res": parsed["resolution"]},
            )
            return None
        return above

    def _stage(self, row: _Row, label: cells.Label) -> str | None:
        """The row's `Giai đoạn` (mid-term when empty), or None when it cannot be read or judges
        the end of a term "khó đạt", which the end does not have (the error names the row)."""
        stage = self._parse(row, "stage", cells.parse_stage)
        if stage == Stage.END and label.code not in Stage.END.statuses:
            message = _("Dòng %(row)d: cuối kỳ không có đánh giá “khó đạt” (tổng kết nhiệm kỳ).")
            self._error(row, "status", message % {"row": row.row})
            return None
        return stage

    def _end_opened(self, record: IndicatorRow) -> bool:
        """Whether the row's indicator has an end-of-term assessment to write (its committee's end
        review was opened, indicators.services.assessments.stage_open); an error naming the row otherwise."""
        if record.key in self._stored_end():
            return True
        self._error(
            record.row,
            "stage",
            _(
                "Dòng %(row)d: chỉ tiêu số %(number)s của nghị quyết %(res)s (%(code)s) chưa mở tổng kết "
                "nhiệm kỳ, nên chưa nhập được đánh giá cuối kỳ; hãy báo văn phòng cấp ủy mở tổng kết "
                "nhiệm kỳ, hoặc ghi dòng này là giữa kỳ."
            )
            % {"row": record.row.row, "number": record.number, "res": record.resolution, "code": record.code},
        )
        return False

    def _end_changes_content(self, record: IndicatorRow, change: RowChange) -> bool:
        """An end row judges the end review only: the indicator itself (text, target, rule, kind,
        group) is written from its mid-term row, so two rows never disagree on it."""
        if not (change.content_changed or change.rule_changed or change.kind_changed):
            return False
        self._error(
            record.row,
            "text" if change.content_changed else "measure" if change.rule_changed else "kind",
            _(
                "Dòng %(row)d: dòng cuối kỳ chỉ ghi đánh giá, giá trị, ghi chú và số liệu các năm; nội dung, "
                "mục tiêu, cách tính hay loại nghị quyết của chỉ tiêu sửa ở dòng giữa kỳ."
            )
            % {"row": record.row.row},
        )
        return True

    def _repeated(
        self,
        record: IndicatorRow,
        seen: dict[tuple[tuple[str, str, str], str], int],
        kinds: dict[tuple[str, str], tuple[str, int]],
    ) -> bool:
        """A row naming an indicator an earlier row named at the same stage (a mid-term and an end
        row of one indicator are two assessments), or another kind for the same resolution."""
        if (record.key, record.stage) in seen:
            if record.end:
                message = _(
                    "Chỉ tiêu số %(number)s của nghị quyết %(res)s (%(code)s) đã có dòng cuối kỳ "
                    "ở dòng %(row)d."
                )
            else:
                message = _("Chỉ tiêu số %(number)s của nghị quyết %(res)s (%(code)s) đã có ở dòng %(row)d.")
            self._error(
                record.row,
                "number",
                message
                % {
                    "number": record.number,
                    "res": record.resolution,
                    "code": record.code,
                    "row": seen[(record.key, record.stage)],
                },
            )
            return True
        seen[(record.key, record.stage)] = record.row.row
        if record.kind:
            first = kinds.setdefault(record.key[:2], (record.kind, record.row.row))
            if first[0] != record.kind:
                self._error(
                    record.row,
                    "kind",
                    _("Loại nghị quyết khác với dòng %(row)d của cùng nghị quyết %(res)s.")
                    % {"row": first[1], "res": record.resolution},
                )
                return True
        return False

    def _decide(self, record: IndicatorRow) -> RowChange:
        """What the row changes against what is stored; empty cells keep what they would show."""
        stored_res = self._stored_resolutions.get(record.key[:2])
        stored = (self._stored_end() if record.end else self._stored_indicators).get(record.key)
        resolution_kind = record.kind or (stored_res.kind if stored_res else ResolutionKind.CONGRESS)
        target, value = record.target, record.value
        if stored is not None:
            # The same number written another way ("3.500" for "3500") is no change.
            target = stored.target if cells.same_amount(stored.target, target) else target
            value = stored.value if cells.same_amount(stored.value, value) else value
        # An empty measure or direction keeps the stored one, as an empty resolution kind does.
        measure = record.measure or (stored.measure if stored else Measure.LEVEL)
        direction = record.direction or (stored.direction if stored else Direction.UP)
        results = self._results(record.amounts, stored.results if stored else Results())
        exceeded = record.exceeded
        if not exceeded and not record.exceeded_column and stored is not None:
            exceeded = stored.exceeded and record.label.code == Status.ACHIEVED  # a file without the column
        # A file without the adjustment's columns keeps the stored one; "6.0" for "6" is no change.
        adjusted = record.target_adjusted
        if adjusted is None:
            adjusted = stored.target_adjusted if stored else ""
        elif stored is not None and cells.same_amount(stored.target_adjusted, adjusted):
            adjusted = stored.target_adjusted
        adjusted_by = record.target_adjusted_by
        if adjusted_by is None:
            adjusted_by = stored.target_adjusted_by if stored else ""
        change = RowChange(
            stored=stored,
            stored_resolution=stored_res,
            resolution_kind=resolution_kind,
            target=target,
            value=value,
            measure=measure,
            direction=direction,
            results=results,
            exceeded=exceeded,
            part_of=record.part_of if record.part_of is not None else (stored.part_of if stored else ""),
            target_adjusted=adjusted,
            target_adjusted_by=adjusted_by,
        )
        change.kind_changed = stored_res is not None and resolution_kind != stored_res.kind
        if stored is not None:
            change.content_changed = (
                stored.text,
                stored.field,
                stored.unit,
                stored.target,
                stored.part_of,
                stored.target_adjusted,
                stored.target_adjusted_by,
            ) != (record.text, record.field, record.unit, target, change.part_of, adjusted, adjusted_by)
            change.rule_changed = (stored.measure, stored.direction) != (measure, direction)
            change.results_changed = results is not None and results != stored.results
            typed = (record.label.code, exceeded, value, record.note)
            change.assessment_changed = (
                change.results_changed or (stored.status, stored.exceeded, stored.value, stored.note) != typed
            )
        return change

    def _permitted(self, record: IndicatorRow, change: RowChange) -> bool:
        """Whether this user may write what the row changes (refusals are reported; a row of
        another committee that changes nothing is skipped quietly)."""
        if self.full_rights:
            return True
        row = record.row
        committee = self.stored[record.code]
        # The review the row writes: a role held through a committee of the next term writes its
        # predecessor's end review only (indicators.access.can), as on the assessment page.
        if not can(self.by, committee, Action.ASSESS, stage=record.stage):
            if change.writes and can(self.by, committee, Action.ASSESS):
                self._error(
                    row,
                    "stage",
                    _(
                        "Đơn vị “%(code)s” là đơn vị tiền thân của đơn vị bạn: bạn chỉ được nhập đánh giá "
                        "tổng kết nhiệm kỳ (dòng cuối kỳ) của đơn vị này."
                    )
                    % {"code": record.code},
                )
            elif change.writes:
                self._error(
                    row,
                    "code",
                    _("Bạn chỉ được nhập chỉ tiêu của đơn vị mình; dòng này thuộc đơn vị “%(code)s”.")
                    % {"code": record.code},
                )
            else:
                self.plan.rows_skipped += 1
            return False
        if change.new:
            self._error(row, "number", _("Bạn không có quyền thêm chỉ tiêu mới; hãy báo văn phòng cấp ủy."))
            return False
        if change.content_changed or change.kind_changed:
            self._error(
                row,
                "text" if change.content_changed else "kind",
                _("Bạn không có quyền sửa nội dung, lĩnh vực, đơn vị tính, mục tiêu hay loại nghị quyết."),
            )
            return False
        if change.rule_changed:
            assert change.stored is not None  # noqa: S101 -- only a stored indicator has a rule to change
            self._error(
                row,
                "direction" if change.stored.measure == change.measure else "measure",
                _("Bạn không có quyền sửa cách tính hay chiều của chỉ tiêu; hãy báo văn phòng cấp ủy."),
            )
            return False
        return True

    def _stale(self, record: IndicatorRow, change: RowChange, stamps: Stamps) -> bool:
        """The row changes an assessment someone saved after this file was exported."""
        stored = change.stored
        stamp = stamps.get((*record.key, record.stage))
        if stored is None or not change.assessment_changed or stamp is None:
            return False
        if stamp == (stored.assessment_id, stored.version):
            return False
        self._error(record.row, "", _stale(record.key, stored))  # the whole row
        return True

    def _plan_row(self, record: IndicatorRow, change: RowChange) -> None:
        """Name the row's writes in the plan."""
        plan, stored = self.plan, change.stored
        if change.stored_resolution is None:
            plan.new_resolutions.setdefault(record.key[:2], change.resolution_kind)
        elif change.kind_changed:
            plan.kind_changes[change.stored_resolution.resolution_id] = change.resolution_kind
        if stored is None:
            plan.new_indicators.append(
                NewIndicator(
                    record.code,
                    record.resolution,
                    record.number,
                    record.text,
                    record.field,
                    record.unit,
                    change.target,
                    record.label.code,
                    change.value,
                    record.note,
                    change.measure,
                    change.direction,
                    change.results or Results(),
                    change.exceeded,
                    change.part_of,
                    change.target_adjusted,
                    change.target_adjusted_by,
                    record.assigned_by,
                )
            )
            return
        if change.content_changed or change.rule_changed:
            plan.content_changes.append(
                IndicatorContent(
                    stored.indicator_id,
                    record.text,
                    record.field,
                    record.unit,
                    change.target,
                    change.measure,
                    change.direction,
                    change.part_of,
                    change.target_adjusted,
                    change.target_adjusted_by,
                )
            )
        if change.assessment_changed:
            (plan.end_edits if record.end else plan.edits)[record.code].append(
                AssessmentEdit(
                    assessment_id=stored.assessment_id,
                    status=record.label.code,
                    value=change.value,
                    note=record.note,
                    expected_version=stored.version,
                    results=change.results if change.results_changed else None,
                    exceeded=change.exceeded,
                )
            )
            if record.end:
                plan.end_statuses_changed += stored.status != record.label.code
            else:
                plan.statuses_changed += stored.status != record.label.code

    def _check_notes(self, record: IndicatorRow, change: RowChange) -> None:
        """The notes the row misses (indicators.notes), as severe as the form finds them: judged
        where the row writes an assessment, as the form judges a touched row."""
        moment = Moment.SET_UP if change.new else Moment.ASSESS if change.assessment_changed else None
        if moment is None:
            return
        results = change.results
        if results is None:
            results = change.stored.results if change.stored else Results()
        suggested = None
        # Without numbers nothing is suggested; most rows of a set-up workbook have none, and
        # skipping them spares an Indicator built per row (the import's speed, bench/workbook.py).
        if not results.is_empty:
            indicator = Indicator(
                target=change.target,
                target_adjusted=change.target_adjusted,
                measure=change.measure,
                direction=change.direction,
            )
            suggestion = suggestion_for(indicator=indicator, results=results, term=self.term_years)
            suggested = suggestion.status if suggestion else None
        problems = assessment_problems(status=record.label.code, note=record.note, suggested=suggested)
        if not problems:
            return
        label = _("Chỉ tiêu %(number)s (Nghị quyết %(resolution)s)") % {
            "number": record.number,
            "resolution": record.resolution,
        }
        for problem in problems:
            report = self._error if problem.severity(moment) == Severity.ERROR else self._warn
            report(record.row, "note", problem.message(label))

    def _result_amounts(self, row: _Row) -> dict[str, str] | None:
        """The amounts of the result columns the file has (baseline, years, forecast), by column key;
        None when one of them cannot be read (its error is reported)."""
        amounts: dict[str, str] = {}
        readable = True
        for key in self._result_keys:
            amount = self._parse(row, key, cells.parse_amount)
            if amount is None:
                readable = False
            else:
                amounts[key] = amount
        if not amounts:  # no yearly pair to compare
            return amounts if readable else None
        for year, actual_key, estimate_key in self.year_keys:
            if amounts.get(actual_key) and amounts.get(estimate_key):
                self._error(
                    row,
                    estimate_key,
                    _(
                        "Năm %(year)d có cả giá trị thực hiện (cột %(actual)s) và giá trị ước (cột "
                        "%(estimate)s); mỗi năm chỉ ghi một trong hai."
                    )
                    % {"year": year, "actual": row.titles[actual_key], "estimate": row.titles[estimate_key]},
                )
                readable = False
        return amounts if readable else None

    def _results(self, amounts: dict[str, str], stored: Results) -> Results | None:
        """The row's results over time: None when the file has none of their columns (the stored
        ones are kept, as for an old workbook). A column the file leaves out keeps what it would
        show: without the 'Ước 2023' column, a stored estimate of 2023 stays."""
        if not amounts:
            return None

        def as_stored(new: str, old: str) -> str:
            # The same number written another way ("3.500" for "3500") is no change.
            return old if old and cells.same_amount(old, new) else new

        years: dict[int, tuple[str, bool]] = {
            r.year: (r.value, r.estimate) for r in stored.years if r.year not in self.years
        }
        for year, actual_key, estimate_key in self.year_keys:
            actual = amounts.get(actual_key)
            estimate = amounts.get(estimate_key)
            kept = stored.value_of(year)
            if actual or estimate:  # not both: _result_amounts refused that
                years[year] = (as_stored(actual or estimate or "", kept.value if kept else ""), not actual)
            elif kept is not None and (estimate if kept.estimate else actual) is None:
                years[year] = (kept.value, kept.estimate)
        return Results.build(
            baseline=as_stored(amounts["baseline"], stored.baseline)
            if "baseline" in amounts
            else stored.baseline,
            years=years,
            forecast=as_stored(amounts["forecast"], stored.forecast)
            if "forecast" in amounts
            else stored.forecast,
        )

    def _workflow(self, writes_by_committee: dict[tuple[str, str], list[_Row]]) -> None:
        """Rows writing a review that is no longer a draft: the review of their own stage."""
        ids = {self.stored[code].pk: code for code, _stage in writes_by_committee if code in self.stored}
        locked = Review.objects.filter(committee_id__in=ids).exclude(state=ReviewState.DRAFT)
        for review in locked.select_related("committee"):
            reason = str(ReviewLocked(review))
            for row in writes_by_committee.get((ids[review.committee_id], review.stage), []):
                self._error(row, "status", reason)

    def _tallies(self, final_status: dict, codes: set[str]) -> None:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for key, (status, kind) in final_status.items():
            if key[0] in codes and ResolutionKind(kind).counts_in_tally:
                counts[key[0]][0] += 1
                counts[key[0]][1] += status == Status.NOT_ASSESSED
        for code in sorted(counts):
            total, not_assessed = counts[code]
            if 0 < not_assessed < total:
                self.problems.warn(
                    INDICATOR_SHEET[0],
                    None,
                    "",
                    _(
                        "Đơn vị “%(code)s”: mới đánh giá %(done)d/%(total)d chỉ tiêu của nghị quyết Đại hội; "
                        "%(left)d chỉ tiêu chưa đánh giá nên các số đạt, khó đạt, không đạt cộng lại "
                        "chưa bằng tổng số."
                    )
                    % {"code": code, "done": total - not_assessed, "total": total, "left": not_assessed},
                )


def _stale(key: tuple[str, str, str], stored: StoredIndicator) -> str:
    code, resolution, number = key
    when = timezone.localtime(stored.updated_at).strftime("%d/%m/%Y %H:%M") if stored.updated_at else "?"
    return _(
        "Chỉ tiêu %(number)s của nghị quyết %(res)s (%(code)s) đã được %(who)s sửa lúc %(when)s, sau khi "
        "tệp này được xuất; nhập tệp này sẽ xóa mất thay đổi đó. Chưa lưu gì: hãy xuất lại tệp, hoặc chép "
        "các thay đổi của bạn vào một tệp mới xuất."
    ) % {
        "number": number,
        "res": resolution,
        "code": code,
        "who": stored.updated_by or _("hệ thống"),
        "when": when,
    }


def read_stamps(sheet: Sheet | None, *, term_code: str) -> Stamps:
    """The stamp sheet of an exported workbook: (code, resolution, STT, stage) -> (assessment id,
    version). An end-of-term export names its stage in a seventh column; without it, mid-term.

    Stamps of another term's export say nothing about this term's assessments and are ignored."""
    stamps: Stamps = {}
    if sheet is None:
        return stamps
    for _number, row in sheet.rows:
        values = [c.value for c in row[:7]]
        if len(values) < 6 or values[5] != term_code:
            continue
        code, resolution, number, assessment_id, version = values[:5]
        stage = Stage.parse(values[6] if len(values) > 6 else None).value
        try:
            stamps[(str(code), str(resolution), str(number), stage)] = (
                int(str(assessment_id)),
                int(str(version)),
            )
        except (TypeError, ValueError):
            continue
    return stamps


def _cycle_through(code: str, parents: dict[str, str | None]) -> list[str]:
    """The codes of the loop that leads from `code` back to itself, or [] when there is none."""
    chain = [code]
    current = parents.get(code)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain + [code] if current == code else []
