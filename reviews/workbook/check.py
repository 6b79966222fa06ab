"""Checking a read workbook against the stored term: permission first, then every cell; returns a plan.

Nothing here writes. The plan names every write the workbook asks for; `apply` carries it out
through the services. A user who may not set terms up sees nothing of committees outside their
own subtree: every code they may not touch gets the same sentence, whether it exists or not.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from indicators.access import Action, can, may_set_up_terms, visible_committees
from indicators.models import (
    Assessment,
    Committee,
    Direction,
    Indicator,
    Measure,
    Resolution,
    ResolutionKind,
    Status,
    Term,
)
from indicators.results import Results
from indicators.services import AssessmentEdit, term_parse_code
from indicators.suggestion import suggest
from reviews.models import Review, ReviewState
from reviews.services import ReviewLocked

from . import cells
from .cells import COMMITTEE_COLUMNS, INDICATOR_COLUMNS, INDICATOR_SHEET, RESULT_COLUMNS, CellError
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


@dataclass(frozen=True)
class IndicatorContent:
    indicator_id: int
    text: str
    field: str
    unit: str
    target: str
    measure: str
    direction: str


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
    statuses_changed: int = 0
    rows_skipped: int = 0
    # (label as written, status read, exceeded) -> rows: what the summary says it read as what.
    labels_read: Counter[tuple[str, str, bool]] = field(default_factory=Counter)

    @property
    def assessments_changed(self) -> int:
        return sum(len(e) for e in self.edits.values())


@dataclass
class _Row:
    sheet: str
    row: int
    cells: dict[str, Cell]
    titles: dict[str, str]  # key -> column title for problems
    letters: dict[str, str]


# Keys of a stamp: (committee code, resolution number, STT) -> (assessment id, version).
Stamps = dict[tuple[str, str, str], tuple[int, int]]


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
        self.stored: dict[str, Committee] = {}
        self.visible: set[str] = set()
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
        for number, row_cells in sheet.rows:
            if self.problems.hopeless(sheet.name, number):
                return
            values = {key: (row_cells[i] if i < len(row_cells) else EMPTY) for key, i in positions.items()}
            yield _Row(sheet.name, number, values, titles, letters)

    def _parse(self, row: _Row, key: str, parser, **kwargs):
        cell = row.cells.get(key, EMPTY)
        try:
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
            code = self._parse(row, "code", cells.parse_text, max_length=40, required=True)
            name = self._parse(row, "name", cells.parse_text, max_length=200, required=True)
            level = self._parse(row, "level", cells.parse_level)
            parent = self._parse(row, "parent_code", cells.parse_text, max_length=40)
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

    def _committees_read_only(self, sheet: Sheet) -> None:
        """A user who may not set terms up: their own rows must be as stored; others are refused."""
        for row in self._rows(sheet, "committees", COMMITTEE_COLUMNS):
            code = self._parse(row, "code", cells.parse_text, max_length=40, required=True)
            if code is None:
                continue
            if code not in self.visible:
                self._error(row, "code", neutral(code))
                continue
            name = self._parse(row, "name", cells.parse_text, max_length=200, required=True)
            level = self._parse(row, "level", cells.parse_level)
            parent = self._parse(row, "parent_code", cells.parse_text, max_length=40)
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

    def _stored_indicators(self) -> tuple[dict, dict]:
        resolutions: dict[tuple[str, str], StoredResolution] = {}
        indicators: dict[tuple[str, str, str], StoredIndicator] = {}
        if self.plan.term is None:
            return resolutions, indicators
        for rid, code, number, kind in Resolution.objects.filter(committee__term=self.plan.term).values_list(
            "id", "committee__code", "number", "kind"
        ):
            resolutions[(code, number)] = StoredResolution(rid, kind)
        rows = Indicator.objects.filter(resolution__committee__term=self.plan.term).values_list(
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
        )
        for row in rows:
            code, res, number, indicator_id, text, field_, unit, target, measure, direction = row[:10]
            assessment_id, status, value, note, baseline, years, forecast = row[10:17]
            version, username, first, last, updated_at, exceeded = row[17:]
            who = f"{first or ''} {last or ''}".strip() or username or ""  # as get_full_name
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
            )
        return resolutions, indicators

    def indicators(self, sheet: Sheet | None, final: dict[str, str | None], stamps: Stamps) -> None:
        if sheet is None:
            return
        stored_resolutions, stored_indicators = self._stored_indicators()
        seen: dict[tuple, int] = {}
        kinds: dict[tuple[str, str], tuple[str, int]] = {}
        writes_by_committee: dict[str, list[_Row]] = defaultdict(list)
        # indicator key -> (status, resolution kind) as they will be after the import
        final_status = {
            key: (v.status, stored_resolutions[key[:2]].kind)
            for key, v in stored_indicators.items()
            if key[0] in self.visible
        }
        plan = self.plan

        for row in self._rows(
            sheet, "indicators", INDICATOR_COLUMNS + RESULT_COLUMNS + cells.VARIETY_COLUMNS
        ):
            # Permission first: a code the user may not touch says nothing more about the row.
            code = self._parse(row, "code", cells.parse_text, max_length=40, required=True)
            if code is not None and code not in final:
                if self.full_rights:
                    self._error(
                        row,
                        "code",
                        _(
                            "Không tìm thấy đơn vị có mã “%(code)s” trong trang “Đơn vị” "
                            "hay trong nhiệm kỳ %(term)s."
                        )
                        % {"code": code, "term": plan.term_code},
                    )
                else:
                    self._error(row, "code", neutral(code))
                continue
            res_number = self._parse(row, "resolution", cells.parse_text, max_length=40, required=True)
            kind = self._parse(row, "kind", cells.parse_kind)
            number = self._parse(row, "number", cells.parse_text, max_length=20, required=True)
            text = self._parse(row, "text", cells.parse_text, max_length=10_000, required=True)
            field_ = self._parse(row, "field", cells.parse_field)
            unit = self._parse(row, "unit", cells.parse_text, max_length=60)
            target = self._parse(row, "target", cells.parse_amount)
            value = self._parse(row, "value", cells.parse_amount)
            label = self._parse(row, "status", cells.parse_status)
            mark = self._parse(row, "exceeded", cells.parse_exceeded) if "exceeded" in row.cells else None
            note = self._parse(row, "note", cells.parse_note)
            measure = self._parse(row, "measure", cells.parse_measure)
            direction = self._parse(row, "direction", cells.parse_direction)
            amounts = self._result_amounts(row)
            if None in (code, res_number, number, kind, text, field_, unit, target, value, label, note):
                continue
            if "exceeded" in row.cells and mark is None:
                continue
            exceeded = cells.exceeded_of(label, mark)
            if exceeded is None:  # a "Vượt" mark on a status other than achieved
                self._error(row, "exceeded", _("Chỉ chỉ tiêu đạt mới có thể đánh dấu vượt."))
                continue
            if measure is None or direction is None or amounts is None:
                continue
            key = (code, res_number, number)
            if key in seen:
                self._error(
                    row,
                    "number",
                    _("Chỉ tiêu số %(number)s của nghị quyết %(res)s (%(code)s) đã có ở dòng %(row)d.")
                    % {"number": number, "res": res_number, "code": code, "row": seen[key]},
                )
                continue
            seen[key] = row.row
            if kind:
                first = kinds.setdefault(key[:2], (kind, row.row))
                if first[0] != kind:
                    self._error(
                        row,
                        "kind",
                        _("Loại nghị quyết khác với dòng %(row)d của cùng nghị quyết %(res)s.")
                        % {"row": first[1], "res": res_number},
                    )
                    continue

            stored_res = stored_resolutions.get(key[:2])
            res_kind = kind or (stored_res.kind if stored_res else ResolutionKind.CONGRESS)
            kind_changed = stored_res is not None and res_kind != stored_res.kind
            stored = stored_indicators.get(key)
            new = stored is None
            if stored is not None:
                # The same number written another way ("3.500" for "3500") is no change.
                if cells.same_amount(stored.target, target):
                    target = stored.target
                if cells.same_amount(stored.value, value):
                    value = stored.value
            # An empty measure or direction keeps the stored one, as an empty resolution kind does.
            measure = measure or (stored.measure if stored else Measure.LEVEL)
            direction = direction or (stored.direction if stored else Direction.UP)
            results = self._results(amounts, stored.results if stored else Results())
            content = (text, field_, unit, target)
            content_changed = (
                stored is not None and (stored.text, stored.field, stored.unit, stored.target) != content
            )
            rule_changed = stored is not None and (stored.measure, stored.direction) != (measure, direction)
            results_changed = stored is not None and results is not None and results != stored.results
            if exceeded is False and "exceeded" not in row.cells and stored is not None:
                exceeded = stored.exceeded and label.code == Status.ACHIEVED  # a file without the column
            assessment_changed = stored is not None and (
                results_changed
                or (stored.status, stored.exceeded, stored.value, stored.note)
                != (label.code, exceeded, value, note)
            )
            writes = new or content_changed or rule_changed or assessment_changed or kind_changed

            if not self.full_rights:
                if not can(self.by, self.stored[code], Action.ASSESS):
                    if writes:
                        self._error(
                            row,
                            "code",
                            _("Bạn chỉ được nhập chỉ tiêu của đơn vị mình; dòng này thuộc đơn vị “%(code)s”.")
                            % {"code": code},
                        )
                    else:
                        plan.rows_skipped += 1
                    continue
                if new:
                    self._error(
                        row, "number", _("Bạn không có quyền thêm chỉ tiêu mới; hãy báo văn phòng cấp ủy.")
                    )
                    continue
                if content_changed or kind_changed:
                    self._error(
                        row,
                        "text" if content_changed else "kind",
                        _(
                            "Bạn không có quyền sửa nội dung, lĩnh vực, đơn vị tính, mục tiêu "
                            "hay loại nghị quyết."
                        ),
                    )
                    continue
                if rule_changed:
                    self._error(
                        row,
                        "direction" if stored and stored.measure == measure else "measure",
                        _(
                            "Bạn không có quyền sửa cách tính hay chiều của chỉ tiêu; "
                            "hãy báo văn phòng cấp ủy."
                        ),
                    )
                    continue

            stale = (
                stored is not None and key in stamps and stamps[key] != (stored.assessment_id, stored.version)
            )
            if stored is not None and assessment_changed and stale:
                self._error(row, "", _stale(key, stored))  # the whole row
                continue

            if stored_res is None:
                plan.new_resolutions.setdefault(key[:2], res_kind)
            elif kind_changed:
                plan.kind_changes[stored_res.resolution_id] = res_kind
            if new:
                plan.new_indicators.append(
                    NewIndicator(
                        code,
                        res_number,
                        number,
                        text,
                        field_,
                        unit,
                        target,
                        label.code,
                        value,
                        note,
                        measure,
                        direction,
                        results or Results(),
                        exceeded,
                    )
                )
            if stored is not None and (content_changed or rule_changed):
                plan.content_changes.append(
                    IndicatorContent(stored.indicator_id, text, field_, unit, target, measure, direction)
                )
            if stored is not None and assessment_changed:
                plan.edits[code].append(
                    AssessmentEdit(
                        assessment_id=stored.assessment_id,
                        status=label.code,
                        value=value,
                        note=note,
                        expected_version=stored.version,
                        results=results if results_changed else None,
                        exceeded=exceeded,
                    )
                )
                plan.statuses_changed += stored.status != label.code
            if label.warning:
                self._warn(row, "status", label.warning)
                plan.labels_read[(label.read_from, label.code, exceeded)] += 1
            if label.code in (Status.HARD, Status.NOT_ACHIEVED, Status.NOT_ASSESSABLE) and not note:
                self._warn(
                    row,
                    "note",
                    _("Chỉ tiêu khó đạt, không đạt hoặc chưa thể đánh giá nên có ghi chú giải thích lý do."),
                )
            elif label.code != Status.NOT_ASSESSED and not note:
                final_results = results if results is not None else stored.results if stored else Results()
                self._warn_disagreement(row, label.code, target, measure, direction, final_results)
            final_status[key] = (label.code, res_kind)
            if writes:
                writes_by_committee[code].append(row)

        self._workflow(writes_by_committee)
        self._tallies(final_status, {key[0] for key in seen})

    def _result_amounts(self, row: _Row) -> dict[str, str] | None:
        """The amounts of the result columns the file has (baseline, years, forecast), by column key;
        None when one of them cannot be read (its error is reported)."""
        amounts: dict[str, str] = {}
        readable = True
        for key in row.cells:
            if key in ("baseline", "forecast") or cells.split_year_key(key):
                amount = self._parse(row, key, cells.parse_amount)
                if amount is None:
                    readable = False
                else:
                    amounts[key] = amount
        for year in self.years:
            actual_key, estimate_key = cells.year_key("year", year), cells.year_key("estimate", year)
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
        for year in self.years:
            actual = amounts.get(cells.year_key("year", year))
            estimate = amounts.get(cells.year_key("estimate", year))
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

    def _warn_disagreement(
        self, row: _Row, status: str, target: str, measure: str, direction: str, results: Results
    ) -> None:
        """A judgement its numbers do not support asks for a note, as the assessment form does."""
        if results.is_empty:
            return
        suggestion = suggest(
            target=target,
            baseline=results.baseline,
            years={r.year: r.value for r in results.years},
            forecast=results.forecast,
            measure=measure,
            direction=direction,
            start_year=self.start_year,
            end_year=self.end_year,
        )
        if suggestion is not None and suggestion.status != status:
            self._warn(
                row,
                "note",
                _(
                    "Số liệu gợi ý “%(suggested)s” nhưng đánh giá là “%(status)s”; "
                    "nên có ghi chú giải thích vì sao."
                )
                % {"suggested": Status(suggestion.status).label, "status": Status(status).label},
            )

    def _workflow(self, writes_by_committee: dict[str, list[_Row]]) -> None:
        ids = {self.stored[code].pk: code for code in writes_by_committee if code in self.stored}
        locked = Review.objects.filter(committee_id__in=ids).exclude(state=ReviewState.DRAFT)
        for review in locked.select_related("committee"):
            reason = str(ReviewLocked(review))
            for row in writes_by_committee[ids[review.committee_id]]:
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
    """The stamp sheet of an exported workbook: (code, resolution, STT) -> (assessment id, version).

    Stamps of another term's export say nothing about this term's assessments and are ignored."""
    stamps: Stamps = {}
    if sheet is None:
        return stamps
    for _number, row in sheet.rows:
        values = [c.value for c in row[:6]]
        if len(values) < 6 or values[5] != term_code:
            continue
        code, resolution, number, assessment_id, version, _term = values
        try:
            stamps[(str(code), str(resolution), str(number))] = (int(str(assessment_id)), int(str(version)))
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


__all__ = ["Assessment", "Checker", "ImportPlan", "read_stamps"]
