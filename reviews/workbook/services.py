"""The one import service of the command and the upload page: read → check → apply, all or nothing."""

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.labels import status_label
from indicators.services.terms import term_parse_code

from . import cells
from .apply import Rollback, apply_plan
from .cells import COMMITTEE_SHEET, INDICATOR_SHEET
from .check import Checker, ImportPlan, read_stamps
from .problems import SHOWN, Problem, Problems, reading_order
from .reader import STAMP_SHEET, Sheet, WorkbookUnreadable, open_sheet, open_workbook

# progress(rows read, rows in the file): called every PROGRESS_EVERY rows by a background import.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1_000


@dataclass
class ImportResult:
    term_code: str
    dry_run: bool
    errors: list[Problem] = field(default_factory=list)  # the first SHOWN, in reading order
    errors_more: int = 0  # errors found beyond those listed
    warnings: list[Problem] = field(default_factory=list)
    stored: bool = False
    term_created: bool = False
    committees_created: int = 0
    committees_updated: int = 0
    resolutions_created: int = 0
    indicators_created: int = 0
    indicators_updated: int = 0
    statuses_changed: int = 0
    assessments_changed: int = 0  # status, value or note, both stages
    # … of them, the end-of-term review's (rows whose `Giai đoạn` is "cuối kỳ")
    end_statuses_changed: int = 0
    end_assessments_changed: int = 0
    rows_skipped: int = 0  # rows of other committees, unchanged, in a secretary's file
    # Committees' and indicators' predecessors set or changed (reviews.workbook.lineage)
    lineage_changed: int = 0
    # (label as written, status, exceeded) -> rows, for labels other than a status's own name
    labels_read: dict[tuple[str, str, bool], int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_more

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
                self.lineage_changed,
            )
        )

    def more_errors(self) -> str:
        """'… và N lỗi khác' when more errors were found than listed; else ''."""
        if not self.errors_more:
            return ""
        return ngettext("… và %(n)d lỗi khác.", "… và %(n)d lỗi khác.", self.errors_more) % {
            "n": self.errors_more
        }

    def labels_summary(self) -> str:
        """ "“đạt 100%” → Đạt và vượt: 11 dòng; “vượt” → Đạt và vượt (vượt): 12 dòng"."""
        return "; ".join(
            ngettext("“%(label)s” → %(status)s: %(n)d dòng", "“%(label)s” → %(status)s: %(n)d dòng", n)
            % {"label": label, "status": status_label(status, exceeded=exceeded), "n": n}
            for (label, status, exceeded), n in sorted(self.labels_read.items())
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
        value_only = self.assessments_changed - self.end_assessments_changed - self.statuses_changed
        if value_only:
            extra.append(
                ngettext(
                    "%(n)d chỉ tiêu đổi giá trị hoặc ghi chú",
                    "%(n)d chỉ tiêu đổi giá trị hoặc ghi chú",
                    value_only,
                )
                % {"n": value_only}
            )
        if self.end_assessments_changed:
            # Named apart: the counts above are the mid-term's, these the end review's.
            extra.append(
                ngettext(
                    "tổng kết nhiệm kỳ (dòng cuối kỳ): %(n)d đánh giá thay đổi, %(values)d đổi giá trị hoặc "
                    "ghi chú",
                    "tổng kết nhiệm kỳ (dòng cuối kỳ): %(n)d đánh giá thay đổi, %(values)d đổi giá trị hoặc "
                    "ghi chú",
                    self.end_statuses_changed,
                )
                % {
                    "n": self.end_statuses_changed,
                    "values": self.end_assessments_changed - self.end_statuses_changed,
                }
            )
        if self.lineage_changed:
            extra.append(
                ngettext(
                    "%(n)d đơn vị hoặc chỉ tiêu đổi tiền thân ở nhiệm kỳ trước",
                    "%(n)d đơn vị hoặc chỉ tiêu đổi tiền thân ở nhiệm kỳ trước",
                    self.lineage_changed,
                )
                % {"n": self.lineage_changed}
            )
        text = ", ".join(parts + extra)
        if self.labels_read:
            text += ". " + self.labels_summary()
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


def workbook_import(
    *,
    data: bytes,
    term_code: str,
    by=None,
    dry_run: bool = False,
    filename: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Import a workbook into a term. `by` None is the command line (full rights, no user in history).
    `progress`, if given, hears how many rows have been checked (reviews.workbook.background)."""
    try:
        start, end = term_parse_code(term_code)
    except ValueError as exc:
        return ImportResult(term_code=term_code, dry_run=dry_run, errors=[Problem("", None, "", str(exc))])
    result = ImportResult(term_code=f"{start}-{end}", dry_run=dry_run)
    problems = Problems()
    # An import builds many small objects and no reference cycles worth collecting meanwhile;
    # pausing the cyclic GC saves its repeated full scans.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        plan = _check(data, result=result, by=by, problems=problems, filename=filename, progress=progress)
        if plan is not None and not problems.errors:
            _count(result, plan)
            if not dry_run:
                _apply(plan, result=result, by=by, problems=problems)
    finally:
        if gc_was_enabled:
            gc.enable()
    errors = sorted(problems.errors, key=reading_order)
    result.errors = errors[:SHOWN]
    result.errors_more = max(problems.error_count, len(errors)) - len(result.errors)
    result.warnings = sorted(problems.warnings, key=reading_order)
    if result.errors:
        _count(result, None)
    return result


def _counted(sheet: Sheet, counter: "_Counter") -> Sheet:
    return replace(sheet, rows=counter.count(sheet.rows))


class _Counter:
    """Counts the rows read across the sheets and tells `progress` every PROGRESS_EVERY rows."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def count(self, rows: Iterator) -> Iterator:
        for row in rows:
            self.done += 1
            if self.progress is not None and self.done % PROGRESS_EVERY == 0:
                # The dimension may under-count (it is only the sheet's own claim): never past 100 %.
                self.total = max(self.total, self.done)
                self.progress(self.done, self.total)
            yield row

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.done, max(self.total, self.done))


def _check(
    data: bytes,
    *,
    result: ImportResult,
    by,
    problems: Problems,
    filename: str,
    progress: Progress | None = None,
) -> ImportPlan | None:
    """Read the file and check it against the stored term: the plan, or None when it cannot be read."""
    try:
        wb = open_workbook(data, filename=filename)
    except WorkbookUnreadable as exc:
        problems.error("", None, "", str(exc))
        return None
    try:
        names = wb.sheetnames
        committees = cells.match_sheet(names, COMMITTEE_SHEET)
        indicators = cells.match_sheet(names, INDICATOR_SHEET)
        if committees is None and indicators is None:
            problems.error(
                "",
                None,
                "",
                _(
                    "Tệp không có trang “Đơn vị” hay trang “Chỉ tiêu” (các trang có trong tệp: %(names)s). "
                    "Hãy dùng tệp mẫu tải từ trang nhập dữ liệu."
                )
                % {"names": ", ".join(f"“{n}”" for n in names)},
            )
            return None
        checker = Checker(term_code=result.term_code, by=by, problems=problems)
        if checker.plan.term is None and not checker.full_rights:
            problems.error("", None, "", _("Không tìm thấy nhiệm kỳ %(term)s.") % {"term": result.term_code})
            return None
        result.term_created = checker.plan.term is None
        data_sheets = [wb[name] for name in (committees, indicators) if name is not None]
        counter = _Counter(progress, sum(max((ws.max_row or 1) - 1, 0) for ws in data_sheets))
        final = checker.committees(
            _counted(open_sheet(wb[committees]), counter) if committees is not None else None
        )
        stamps = read_stamps(
            open_sheet(wb[STAMP_SHEET]) if STAMP_SHEET in names else None, term_code=result.term_code
        )
        checker.indicators(
            _counted(open_sheet(wb[indicators]), counter) if indicators is not None else None, final, stamps
        )
        counter.finish()
        return checker.plan
    except WorkbookUnreadable as exc:
        problems.refuse(str(exc))
        return None
    finally:
        wb.close()


def _apply(plan: ImportPlan, *, result: ImportResult, by, problems: Problems) -> None:
    try:
        with transaction.atomic():
            apply_plan(plan, by=by)
    except Rollback as exc:
        for p in exc.problems:
            problems.error(p.sheet, p.row, p.column, p.message)
    except (IntegrityError, DatabaseError, ValidationError):
        problems.error(
            "", None, "", _("Dữ liệu vừa bị người khác thay đổi trong lúc nhập; chưa lưu gì, hãy nhập lại.")
        )
    else:
        result.stored = True


def _count(result: ImportResult, plan: ImportPlan | None) -> None:
    """The counts of the summary from the plan; all zero when nothing will be (or was) stored."""
    if plan is None:
        result.term_created = False
        result.committees_created = result.committees_updated = result.resolutions_created = 0
        result.indicators_created = result.indicators_updated = 0
        result.statuses_changed = result.assessments_changed = 0
        result.end_statuses_changed = result.end_assessments_changed = 0
        result.lineage_changed = 0
        result.labels_read = {}
        return
    result.committees_created = len(plan.new_committees)
    result.committees_updated = len(plan.changed_committees)
    result.resolutions_created = len(plan.new_resolutions)
    result.indicators_created = len(plan.new_indicators)
    result.indicators_updated = len(plan.content_changes)
    result.statuses_changed = plan.statuses_changed
    result.assessments_changed = plan.assessments_changed
    result.end_statuses_changed = plan.end_statuses_changed
    result.end_assessments_changed = plan.end_assessments_changed
    result.rows_skipped = plan.rows_skipped
    result.labels_read = dict(plan.labels_read)
    result.lineage_changed = len(plan.lineage.committees) + len(plan.lineage.indicators)
