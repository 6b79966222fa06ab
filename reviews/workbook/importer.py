"""The one import service of the command and the upload page: check all, then write all or nothing."""

import gc
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from indicators.access import Action, can, may_set_up_terms
from indicators.models import (
    Assessment,
    ChangeSource,
    Committee,
    Indicator,
    Resolution,
    ResolutionKind,
    Status,
    Term,
)
from indicators.services import (
    AssessmentConflict,
    AssessmentEdit,
    committee_update,
    committees_bulk_create,
    indicators_bulk_create,
    resolution_update,
    term_get_or_create,
    term_parse_code,
)
from reviews.models import Review, ReviewState
from reviews.services import ReviewLocked, review_assess

from . import cells
from .cells import COMMITTEE_COLUMNS, COMMITTEE_SHEET, INDICATOR_COLUMNS, INDICATOR_SHEET, CellError
from .reader import WorkbookUnreadable, open_workbook, read_sheet


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


@dataclass
class ImportResult:
    term_code: str
    dry_run: bool
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    stored: bool = False
    term_created: bool = False
    committees_created: int = 0
    committees_updated: int = 0
    resolutions_created: int = 0
    indicators_created: int = 0
    indicators_updated: int = 0
    statuses_changed: int = 0
    assessments_changed: int = 0  # status, value or note
    rows_skipped: int = 0  # rows of other committees, unchanged, in a secretary's file

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes_anything(self) -> bool:
        return any(
            (
                self.term_created,
                self.committees_created,
                self.committees_updated,
                self.resolutions_created,
                self.indicators_created,
                self.indicators_updated,
                self.assessments_changed,
            )
        )

    def summary(self) -> str:
        n = self.committees_created + self.committees_updated
        parts = [
            ngettext("%(n)d đơn vị", "%(n)d đơn vị", n) % {"n": n},
            ngettext("%(n)d chỉ tiêu được tạo", "%(n)d chỉ tiêu được tạo", self.indicators_created)
            % {"n": self.indicators_created},
            ngettext("%(n)d đánh giá thay đổi", "%(n)d đánh giá thay đổi", self.statuses_changed)
            % {"n": self.statuses_changed},
        ]
        extra = []
        if self.indicators_updated:
            extra.append(
                ngettext(
                    "%(n)d chỉ tiêu sửa nội dung", "%(n)d chỉ tiêu sửa nội dung", self.indicators_updated
                )
                % {"n": self.indicators_updated}
            )
        value_only = self.assessments_changed - self.statuses_changed
        if value_only:
            extra.append(
                ngettext(
                    "%(n)d chỉ tiêu đổi giá trị hoặc ghi chú",
                    "%(n)d chỉ tiêu đổi giá trị hoặc ghi chú",
                    value_only,
                )
                % {"n": value_only}
            )
        text = ", ".join(parts + extra)
        term = _("Nhiệm kỳ %(term)s") % {"term": self.term_code}
        if self.term_created:
            term = _("Nhiệm kỳ %(term)s (mới)") % {"term": self.term_code}
        if self.dry_run:
            return _("Kiểm tra xong, chưa lưu gì. %(term)s: sẽ có %(changes)s.") % {
                "term": term,
                "changes": text,
            }
        if not self.changes_anything:
            return _("%(term)s: không có gì thay đổi (%(changes)s).") % {"term": term, "changes": text}
        return _("Đã nhập. %(term)s: %(changes)s.") % {"term": term, "changes": text}


class _Rollback(Exception):
    """Raised inside the write transaction to undo it and report these problems instead."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems


def workbook_import(*, data: bytes, term_code: str, by=None, dry_run: bool = False) -> ImportResult:
    """Import a workbook into a term. `by` None is the command line (full rights, no user in history)."""
    try:
        start, end = term_parse_code(term_code)
    except ValueError as exc:
        return ImportResult(term_code=term_code, dry_run=dry_run, errors=[Problem("", None, "", str(exc))])
    result = ImportResult(term_code=f"{start}-{end}", dry_run=dry_run)
    plan = _Plan(result=result, by=by)
    # An import builds a few hundred thousand small objects and no reference cycles worth
    # collecting meanwhile; pausing the cyclic GC saves its repeated full scans.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _run(plan, data, dry_run=dry_run)
    finally:
        if gc_was_enabled:
            gc.enable()
    # Read in the file's order: sheet by sheet, row by row, column by column.
    result.errors.sort(key=_reading_order)
    result.warnings.sort(key=_reading_order)
    return result


def _reading_order(problem: Problem):
    sheet = cells.normalise_label(problem.sheet)
    sheet_rank = 0 if not sheet else 1 if sheet in {cells.normalise_label(n) for n in COMMITTEE_SHEET} else 2
    letters = problem.column.rsplit("(", 1)[-1].rstrip(")") if problem.column.endswith(")") else ""
    return (sheet_rank, problem.row or 0, len(letters), letters)


def _run(plan: "_Plan", data: bytes, *, dry_run: bool) -> None:
    result = plan.result
    try:
        plan.read(data)
    except WorkbookUnreadable as exc:
        result.errors.append(Problem("", None, "", str(exc)))
        return
    if result.errors:
        return
    plan.check()
    if result.errors or dry_run:
        return
    try:
        with transaction.atomic():
            plan.write()
    except _Rollback as exc:
        result.errors.extend(exc.problems)
        _reset_counts(result)
    except (IntegrityError, DatabaseError):
        result.errors.append(
            Problem(
                "",
                None,
                "",
                _("Dữ liệu vừa bị người khác thay đổi trong lúc nhập; chưa lưu gì, hãy nhập lại."),
            )
        )
        _reset_counts(result)
    else:
        result.stored = True


def _reset_counts(result: ImportResult) -> None:
    result.term_created = False
    result.committees_created = result.committees_updated = result.resolutions_created = 0
    result.indicators_created = result.indicators_updated = 0
    result.statuses_changed = result.assessments_changed = 0


@dataclass
class _Row:
    sheet: str
    row: int
    values: dict
    columns: dict  # key -> column title for problems


class _Plan:
    """Everything the workbook asks for, checked against the stored term before anything is written."""

    def __init__(self, *, result: ImportResult, by):
        self.result = result
        self.by = by
        self.full_rights = by is None or may_set_up_terms(by)
        self.term = Term.objects.filter(code=result.term_code).first()
        self.committee_rows: list[_Row] = []
        self.indicator_rows: list[_Row] = []
        # planned writes
        self.new_committees: list[dict] = []
        self.moved_committees: list[dict] = []
        self.new_resolutions: dict[tuple[str, str], str] = {}  # (code, number) -> kind
        self.kind_changes: dict[int, str] = {}  # resolution id -> kind
        self.new_indicators: list[tuple[tuple[str, str], dict]] = []
        self.meta_updates: dict[int, dict] = {}
        self.edits: dict[str, list[AssessmentEdit]] = defaultdict(list)

    # ---- reading --------------------------------------------------------------------------

    def read(self, data: bytes) -> None:
        wb = open_workbook(data)
        try:
            names = wb.sheetnames
            committees = cells.match_sheet(names, COMMITTEE_SHEET)
            indicators = cells.match_sheet(names, INDICATOR_SHEET)
            if committees is None and indicators is None:
                self.result.errors.append(
                    Problem(
                        "",
                        None,
                        "",
                        _(
                            "Tệp không có trang “Đơn vị” hay trang “Chỉ tiêu” (các trang có trong tệp: "
                            "%(names)s). Hãy dùng tệp mẫu tải từ trang nhập dữ liệu."
                        )
                        % {"names": ", ".join(f"“{n}”" for n in names)},
                    )
                )
                return
            if committees is not None:
                self.committee_rows = self._rows(read_sheet(wb[committees]), "committees", COMMITTEE_COLUMNS)
            if indicators is not None:
                self.indicator_rows = self._rows(read_sheet(wb[indicators]), "indicators", INDICATOR_COLUMNS)
        finally:
            wb.close()

    def _rows(self, sheet, kind: str, columns: list[cells.Column]) -> list[_Row]:
        positions: dict[str, int] = {}
        titles: dict[str, str] = {}
        for index, header in enumerate(sheet.header):
            letter = get_column_letter(index + 1)
            if header is None or str(header).strip() == "":
                continue
            key = cells.match_header(kind, header)
            title = f"{str(header).strip()} ({letter})"
            if key is None:
                self.result.warnings.append(
                    Problem(sheet.name, 1, title, _("Cột không có trong mẫu nên được bỏ qua."))
                )
            elif key in positions:
                self.result.errors.append(
                    Problem(
                        sheet.name, 1, title, _("Cột này trùng với cột %(other)s.") % {"other": titles[key]}
                    )
                )
            else:
                positions[key], titles[key] = index, title
        for col in columns:
            if col.key not in positions:
                titles[col.key] = col.vi
                if col.required:
                    self.result.errors.append(
                        Problem(
                            sheet.name,
                            1,
                            col.vi,
                            _("Thiếu cột bắt buộc “%(vi)s” (hoặc “%(en)s”) ở dòng tiêu đề.")
                            % {"vi": col.vi, "en": col.en},
                        )
                    )
        rows = []
        for number, row_cells in sheet.rows:
            values = {
                key: (row_cells[index] if index < len(row_cells) else (None, None))
                for key, index in positions.items()
            }
            rows.append(_Row(sheet.name, number, values, titles))
        return rows

    def _parse(self, row: _Row, key: str, parser, **kwargs):
        value, data_type = row.values.get(key, (None, None))
        try:
            return parser(value, data_type, **kwargs)
        except CellError as exc:
            self.result.errors.append(Problem(row.sheet, row.row, row.columns[key], str(exc)))
            return None

    def _error(self, row: _Row, key: str, message: str) -> None:
        self.result.errors.append(Problem(row.sheet, row.row, row.columns.get(key, ""), message))

    def _warn(self, row: _Row, key: str, message: str) -> None:
        self.result.warnings.append(Problem(row.sheet, row.row, row.columns.get(key, ""), message))

    # ---- checking -------------------------------------------------------------------------

    def check(self) -> None:
        if self.term is None and not self.full_rights:
            self.result.errors.append(
                Problem(
                    "", None, "", _("Không tìm thấy nhiệm kỳ %(term)s.") % {"term": self.result.term_code}
                )
            )
            return
        self.result.term_created = self.term is None
        self.stored = self._stored_committees()
        final = self._check_committees()
        self._check_indicators(final)

    def _stored_committees(self) -> dict[str, Mapping[str, Any]]:
        if self.term is None:
            return {}
        return {
            c["code"]: c
            for c in Committee.objects.filter(term=self.term).values(
                "id", "code", "name", "level", "parent__code", "path", "depth", "parent_id"
            )
        }

    def _check_committees(self) -> dict[str, str | None]:
        """Parse the committee sheet; return the final tree as code -> parent code."""
        parsed: dict[str, tuple[_Row, dict]] = {}
        for row in self.committee_rows:
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
            parsed[code] = (row, {"code": code, "name": name, "level": level, "parent_code": parent or ""})

        final: dict[str, str | None] = {code: c["parent__code"] for code, c in self.stored.items()}
        for code, (_row, data) in parsed.items():
            final[code] = data["parent_code"] or None
        for code, (row, data) in parsed.items():
            parent = data["parent_code"]
            if parent and parent not in final:
                self._error(
                    row,
                    "parent_code",
                    _(
                        "Không tìm thấy đơn vị cấp trên “%(parent)s”: mã này không có trong trang “Đơn vị” "
                        "và chưa có trong nhiệm kỳ %(term)s."
                    )
                    % {"parent": parent, "term": self.result.term_code},
                )
            elif parent and (loop := _cycle_through(code, final)):
                self._error(
                    row,
                    "parent_code",
                    _("Cây đơn vị bị vòng lặp: %(loop)s. Một đơn vị không thể nằm dưới chính nó.")
                    % {"loop": " → ".join(loop)},
                )
        if self.result.errors:
            return final

        for code, (row, data) in parsed.items():
            stored = self.stored.get(code)
            if stored is None:
                if not self.full_rights:
                    self._error(
                        row, "code", _("Bạn không có quyền thêm đơn vị mới (“%(code)s”).") % {"code": code}
                    )
                self.new_committees.append(data)
            elif (stored["name"], stored["level"], stored["parent__code"] or "") != (
                data["name"],
                data["level"],
                data["parent_code"],
            ):
                if not self.full_rights:
                    self._error(
                        row,
                        "name",
                        _("Bạn không có quyền sửa tên, cấp hoặc đơn vị cấp trên của đơn vị “%(code)s”.")
                        % {"code": code},
                    )
                self.moved_committees.append(data)
        self.result.committees_created = len(self.new_committees)
        self.result.committees_updated = len(self.moved_committees)
        return final

    def _check_indicators(self, final: dict[str, str | None]) -> None:
        stored_resolutions: dict[tuple[str, str], tuple[int, str]] = {}
        stored_indicators: dict[tuple[str, str, str], tuple] = {}
        if self.term is not None and self.indicator_rows:
            for rid, code, number, kind in Resolution.objects.filter(committee__term=self.term).values_list(
                "id", "committee__code", "number", "kind"
            ):
                stored_resolutions[(code, number)] = (rid, kind)
            for values in Indicator.objects.filter(resolution__committee__term=self.term).values_list(
                "resolution__committee__code",
                "resolution__number",
                "number",
                "id",
                "text",
                "field",
                "unit",
                "target",
                "assessment__id",
                "assessment__status",
                "assessment__value",
                "assessment__note",
                "assessment__version",
            ):
                stored_indicators[values[:3]] = values[3:]

        seen: dict[tuple, int] = {}
        kinds: dict[tuple[str, str], tuple[str, int]] = {}
        writes_by_committee: dict[str, list[_Row]] = defaultdict(list)
        # indicator key -> (status, resolution kind) as they will be after the import
        final_status = {key: (v[6], stored_resolutions[key[:2]][1]) for key, v in stored_indicators.items()}

        for row in self.indicator_rows:
            code = self._parse(row, "code", cells.parse_text, max_length=40, required=True)
            res_number = self._parse(row, "resolution", cells.parse_text, max_length=40, required=True)
            kind = self._parse(row, "kind", cells.parse_kind)
            number = self._parse(row, "number", cells.parse_text, max_length=20, required=True)
            meta = {
                "text": self._parse(row, "text", cells.parse_text, max_length=10_000, required=True),
                "field": self._parse(row, "field", cells.parse_field),
                "unit": self._parse(row, "unit", cells.parse_text, max_length=60),
                "target": self._parse(row, "target", cells.parse_amount),
            }
            value = self._parse(row, "value", cells.parse_amount)
            label = self._parse(row, "status", cells.parse_status)
            note = self._parse(row, "note", cells.parse_note)
            if code is not None and code not in final:
                self._error(
                    row,
                    "code",
                    _(
                        "Không tìm thấy đơn vị có mã “%(code)s” trong trang “Đơn vị” "
                        "hay trong nhiệm kỳ %(term)s."
                    )
                    % {"code": code, "term": self.result.term_code},
                )
                continue
            if None in (code, res_number, number, kind, value, label, note) or None in meta.values():
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
            res_kind = kind or (stored_res[1] if stored_res else ResolutionKind.CONGRESS)
            kind_changed = stored_res is not None and res_kind != stored_res[1]
            stored = stored_indicators.get(key)
            new = stored is None
            if stored is not None:
                # The same number written another way ("3.500" for "3500") is no change.
                if cells.same_amount(stored[4], meta["target"]):
                    meta["target"] = stored[4]
                if cells.same_amount(stored[7], value):
                    value = stored[7]
            meta_changed = stored is not None and tuple(stored[1:5]) != tuple(meta.values())
            assessment_changed = stored is not None and tuple(stored[6:9]) != (label.code, value, note)
            writes = new or meta_changed or assessment_changed or kind_changed

            if not self.full_rights:
                if not self._may_assess(code):
                    if writes:
                        self._error(
                            row,
                            "code",
                            _("Bạn chỉ được nhập chỉ tiêu của đơn vị mình; dòng này thuộc đơn vị “%(code)s”.")
                            % {"code": code},
                        )
                    else:
                        self.result.rows_skipped += 1
                    continue
                if new:
                    self._error(
                        row, "number", _("Bạn không có quyền thêm chỉ tiêu mới; hãy báo văn phòng cấp ủy.")
                    )
                    continue
                if meta_changed or kind_changed:
                    self._error(
                        row,
                        "text" if meta_changed else "kind",
                        _(
                            "Bạn không có quyền sửa nội dung, lĩnh vực, đơn vị tính, mục tiêu "
                            "hay loại nghị quyết."
                        ),
                    )
                    continue

            if stored_res is None:
                self.new_resolutions.setdefault(key[:2], res_kind)
            elif kind_changed:
                self.kind_changes[stored_res[0]] = res_kind
            if new:
                self.new_indicators.append(
                    (key[:2], {**meta, "number": number, "status": label.code, "value": value, "note": note})
                )
            if stored is not None and meta_changed:
                self.meta_updates[stored[0]] = meta
            if stored is not None and assessment_changed:
                self.edits[code].append(
                    AssessmentEdit(
                        assessment_id=stored[5],
                        status=label.code,
                        value=value,
                        note=note,
                        expected_version=stored[9],
                    )
                )
                self.result.statuses_changed += stored[6] != label.code
            if label.warning:
                self._warn(row, "status", label.warning)
            if label.code in (Status.HARD, Status.NOT_ACHIEVED) and not note:
                self._warn(row, "note", _("Chỉ tiêu khó đạt hoặc không đạt nên có ghi chú giải thích lý do."))
            final_status[key] = (label.code, res_kind)
            if writes:
                writes_by_committee[code].append(row)

        self.result.resolutions_created = len(self.new_resolutions)
        self.result.indicators_created = len(self.new_indicators)
        self.result.indicators_updated = len(self.meta_updates)
        self.result.assessments_changed = sum(len(e) for e in self.edits.values())
        self._check_workflow(writes_by_committee)
        self._check_tallies(final_status, {key[0] for key in seen})

    def _may_assess(self, code: str) -> bool:
        stored = self.stored.get(code)
        if stored is None:
            return False
        committee = Committee(
            id=stored["id"], term=self.term, path=stored["path"], parent_id=stored["parent_id"]
        )
        return can(self.by, committee, Action.ASSESS)

    def _check_workflow(self, writes_by_committee: dict[str, list[_Row]]) -> None:
        ids = {self.stored[code]["id"]: code for code in writes_by_committee if code in self.stored}
        locked = Review.objects.filter(committee_id__in=ids).exclude(state=ReviewState.DRAFT)
        for review in locked.select_related("committee"):
            reason = str(ReviewLocked(review))
            for row in writes_by_committee[ids[review.committee_id]]:
                self._error(row, "status", reason)

    def _check_tallies(self, final_status: dict, codes: set[str]) -> None:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for key, (status, kind) in final_status.items():
            if key[0] in codes and kind == ResolutionKind.CONGRESS:
                counts[key[0]][0] += 1
                counts[key[0]][1] += status == Status.NOT_ASSESSED
        sheet = INDICATOR_SHEET[0]
        for code in sorted(counts):
            total, not_assessed = counts[code]
            if 0 < not_assessed < total:
                self.result.warnings.append(
                    Problem(
                        sheet,
                        None,
                        "",
                        _(
                            "Đơn vị “%(code)s”: mới đánh giá %(done)d/%(total)d chỉ tiêu của nghị quyết "
                            "Đại hội; "
                            "%(left)d chỉ tiêu chưa đánh giá nên các số đạt, khó đạt, không đạt cộng lại "
                            "chưa bằng tổng số."
                        )
                        % {"code": code, "done": total - not_assessed, "total": total, "left": not_assessed},
                    )
                )

    # ---- writing --------------------------------------------------------------------------

    def write(self) -> None:
        if self.term is None:
            self.term, _created = term_get_or_create(code=self.result.term_code)
        term = self.term
        if self.new_committees:
            committees_bulk_create(term=term, rows=self.new_committees)
        if self.moved_committees:
            by_code = {c.code: c for c in Committee.objects.filter(term=term).select_related("parent")}
            depth = _final_depths(self.moved_committees, by_code)
            for data in sorted(self.moved_committees, key=lambda d: depth[d["code"]]):
                committee = Committee.objects.select_related("parent").get(term=term, code=data["code"])
                parent = (
                    Committee.objects.get(term=term, code=data["parent_code"])
                    if data["parent_code"]
                    else None
                )
                committee_update(committee=committee, name=data["name"], level=data["level"], parent=parent)
        ids = dict(Committee.objects.filter(term=term).values_list("code", "id"))

        if self.new_resolutions:
            Resolution.objects.bulk_create(
                [
                    Resolution(committee_id=ids[code], number=number, kind=kind)
                    for (code, number), kind in self.new_resolutions.items()
                ],
                batch_size=2000,
            )
        for resolution in Resolution.objects.filter(pk__in=self.kind_changes).select_related("committee"):
            resolution_update(
                resolution=resolution,
                kind=self.kind_changes[resolution.pk],
                date=resolution.date,
                title=resolution.title,
            )

        if self.new_indicators:
            wanted = {key for key, _data in self.new_indicators}
            resolutions = {
                (r.committee.code, r.number): r
                for r in Resolution.objects.filter(
                    committee__term=term, committee__code__in={c for c, _n in wanted}
                )
                .select_related("committee")
                .only("id", "number", "kind", "committee_id", "committee__code")
            }
            indicators_bulk_create(
                rows=[(resolutions[key], data) for key, data in self.new_indicators], by=self.by
            )

        if self.meta_updates:
            changed = list(Indicator.objects.filter(pk__in=self.meta_updates))
            for indicator in changed:
                for name, value in self.meta_updates[indicator.pk].items():
                    setattr(indicator, name, value)
            Indicator.objects.bulk_update(changed, ["text", "field", "unit", "target"], batch_size=1000)

        problems = []
        committees = {c.code: c for c in Committee.objects.filter(term=term, code__in=self.edits)}
        for code, edits in self.edits.items():
            try:
                review_assess(committee=committees[code], edits=edits, by=self.by, source=ChangeSource.IMPORT)
            except ReviewLocked as exc:
                problems.append(Problem(INDICATOR_SHEET[0], None, "", str(exc)))
            except AssessmentConflict:
                problems.append(
                    Problem(
                        INDICATOR_SHEET[0],
                        None,
                        "",
                        _(
                            "Đánh giá của đơn vị “%(code)s” vừa được người khác sửa; "
                            "chưa lưu gì, hãy nhập lại."
                        )
                        % {"code": code},
                    )
                )
        if problems:
            raise _Rollback(problems)


def _cycle_through(code: str, parents: dict[str, str | None]) -> list[str]:
    """The codes of the loop that leads from `code` back to itself, or [] when there is none."""
    chain = [code]
    current = parents.get(code)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain + [code] if current == code else []


def _final_depths(rows: list[dict], by_code: dict[str, Committee]) -> dict[str, int]:
    parents = {c.code: (c.parent.code if c.parent else None) for c in by_code.values()}
    parents.update({d["code"]: d["parent_code"] or None for d in rows})
    depths = {}
    for d in rows:
        depth, current = 0, d["code"]
        while current is not None and depth < 1000:
            depth, current = depth + 1, parents.get(current)
        depths[d["code"]] = depth
    return depths


__all__ = ["Assessment", "ImportResult", "Problem", "workbook_import"]
