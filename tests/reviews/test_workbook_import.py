"""The workbook import: every error kind located, warnings, dry run, history, workflow, rights."""

import io
import time
import zipfile

import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import AssessmentChange, ChangeSource, Committee, Indicator, Status, Term
from reviews.models import Review, ReviewState
from reviews.workbook.exporter import workbook_export
from reviews.workbook.services import workbook_import
from tests.reviews.workbook_files import INDICATOR_HEADER, indicator, xlsx

TREE = [["P", "Đảng bộ tỉnh", "tỉnh", ""], ["P-D1", "Đảng bộ huyện 1", "huyện", "P"]]


def run(data, term="2030-2035", **kw):
    return workbook_import(data=data, term_code=term, **kw)


def messages(result):
    return [(p.sheet, p.row, p.column.split(" (")[0], p.message) for p in result.errors]


def nothing_stored():
    return not Term.objects.filter(code="2030-2035").exists() and not Indicator.objects.exists()


# ---- a good file ---------------------------------------------------------------------------


def test_new_term_is_created_with_tree_and_indicators(db):
    result = run(xlsx(TREE, [indicator("P", "1"), indicator("P-D1", "1", "Khó đạt", "Mưa lũ")]))
    assert result.ok, result.errors
    assert result.summary().startswith("Đã nhập. Nhiệm kỳ 2030-2035 (mới): 2 đơn vị, 2 chỉ tiêu được tạo")
    d1 = Committee.objects.get(term__code="2030-2035", code="P-D1")
    assert d1.parent.code == "P" and d1.level == "district" and d1.n_hard == 1


def test_same_file_twice_stores_nothing_new(db):
    data = xlsx(TREE, [indicator("P", "1")])
    run(data)
    again = run(data)
    assert again.ok and not again.changes_anything
    assert Indicator.objects.count() == 1


def test_dry_run_reports_and_stores_nothing(db):
    result = run(xlsx(TREE, [indicator("P", "1"), indicator("P", "2")]), dry_run=True)
    assert result.ok and not result.stored
    assert "2 đơn vị, 2 chỉ tiêu được tạo, 0 đánh giá thay đổi" in result.summary()
    assert result.summary().startswith("Kiểm tra xong, chưa lưu gì.")
    assert nothing_stored()


def _xlsxwriter_book(*, formula_row: bool) -> bytes:
    """The same small workbook as another program writes it: English headers, numbers as numbers."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    committees = wb.add_worksheet("Committees")
    for r, row in enumerate([["Code", "Name", "Level", "Parent code"], ["X", "Xã X", "commune", ""]]):
        committees.write_row(r, 0, row)
    indicators = wb.add_worksheet("Indicators")
    indicators.write_row(
        0, 0, ["code", "RESOLUTION", "No.", "Indicator", "Target", "Mid-term value", "Status", "Note"]
    )
    indicators.write_row(
        1, 0, ["X", "04-NQ/ĐU", 1, "Tỷ lệ che phủ rừng", 73, 6.5, "Hard to achieve", "Hạn hán"]
    )
    indicators.write_row(2, 0, ["X", "04-NQ/ĐU", 1.2])
    indicators.write_string(2, 3, "=không phải công thức")  # a text, not a formula
    indicators.write_row(2, 4, ["≥ 95", "6.5", "cơ bản đạt"])
    if formula_row:
        indicators.write_formula(3, 0, '="X"', None, "X")
    wb.close()
    return out.getvalue()


def test_file_written_by_xlsxwriter_is_read_as_written(db):
    result = run(_xlsxwriter_book(formula_row=True))
    assert (4, "code (A)", "Ô chứa công thức; ") in [(p.row, p.column, p.message[:18]) for p in result.errors]
    result = run(_xlsxwriter_book(formula_row=False))
    assert result.ok, result.errors
    rows = {
        i.number: (i.text, i.target, i.assessment.value, i.assessment.status, i.assessment.note)
        for i in Indicator.objects.at_stage().select_related("assessment")
    }
    assert rows == {
        "1": ("Tỷ lệ che phủ rừng", "73", "6,5", "hard", "Hạn hán"),
        "1.2": ("=không phải công thức", "≥ 95", "6,5", "achieved", ""),
    }
    assert [w.message for w in result.warnings if w.row == 3] == ["Đã hiểu “cơ bản đạt” là “Đạt và vượt”."]


# ---- errors: each located, nothing stored ---------------------------------------------------


@pytest.mark.parametrize(
    ("committees", "rows", "expected"),
    [
        (TREE, [indicator("NOPE")], ("Chỉ tiêu", 2, "Mã đơn vị", "Không tìm thấy đơn vị có mã “NOPE”")),
        (
            [["A", "A", "xã", "ZZ"]],
            [],
            ("Đơn vị", 2, "Mã đơn vị cấp trên", "Không tìm thấy đơn vị cấp trên “ZZ”"),
        ),
        (
            [["A", "A", "xã", "B"], ["B", "B", "xã", "A"]],
            [],
            ("Đơn vị", 2, "Mã đơn vị cấp trên", "Cây đơn vị bị vòng lặp: A → B → A"),
        ),
        (
            TREE,
            [indicator("P", "1"), indicator("P", "1")],
            ("Chỉ tiêu", 3, "STT", "Chỉ tiêu số 1 của nghị quyết 01-NQ/ĐH (P) đã có ở dòng 2."),
        ),
        (
            TREE,
            [indicator("P", status="tốt lắm")],
            ("Chỉ tiêu", 2, "Đánh giá", "Đánh giá “tốt lắm” không có"),
        ),
        (
            TREE,
            [indicator("P", value="=A1*2")],
            ("Chỉ tiêu", 2, "Thực hiện giữa nhiệm kỳ", "Ô chứa công thức"),
        ),
        (
            TREE,
            [indicator("P", value="6,,5")],
            ("Chỉ tiêu", 2, "Thực hiện giữa nhiệm kỳ", "“6,,5” không phải là một số"),
        ),
        (TREE, [indicator("P", text="")], ("Chỉ tiêu", 2, "Chỉ tiêu", "Ô này không được để trống.")),
        ([["A", "", "xã", ""]], [], ("Đơn vị", 2, "Tên đơn vị", "Ô này không được để trống.")),
        ([["A", "A", "thôn", ""]], [], ("Đơn vị", 2, "Cấp", "Cấp “thôn” không có trong danh sách")),
        (
            TREE,
            [indicator("P", field="Thể thao")],
            ("Chỉ tiêu", 2, "Lĩnh vực", "Lĩnh vực “Thể thao” không có"),
        ),
    ],
    ids=[
        "unknown committee",
        "parent not found",
        "cycle",
        "duplicate number",
        "unknown status",
        "formula",
        "unparsable number",
        "required empty",
        "required name empty",
        "unknown level",
        "unknown field",
    ],
)
def test_each_error_is_located_and_nothing_is_stored(db, committees, rows, expected):
    result = run(xlsx(committees, rows))
    assert not result.ok
    sheet, row, column, message = expected
    found = [m for m in messages(result) if m[:3] == (sheet, row, column)]
    assert found and found[0][3].startswith(message), messages(result)
    assert nothing_stored()


def test_every_error_is_reported_not_just_the_first(db):
    result = run(
        xlsx(TREE, [indicator("NOPE"), indicator("P", status="??"), indicator("P", "2", value="1..2")])
    )
    assert [(r, c) for _s, r, c, _m in messages(result)] == [
        (2, "Mã đơn vị"),
        (3, "Đánh giá"),
        (4, "Thực hiện giữa nhiệm kỳ"),
    ]


def test_missing_required_column(db):
    header = [h for h in INDICATOR_HEADER if h != "STT"]
    result = run(xlsx(TREE, [], indicator_header=header))
    assert ("Chỉ tiêu", 1, "STT") in [m[:3] for m in messages(result)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"Code;Name\nP;Tinh\n", "Tệp này là tệp văn bản CSV, không phải tệp Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Tệp này là tệp Excel 97-2003 (.xls)"),
    ],
    ids=["empty", "csv", "old xls"],
)
def test_files_that_are_not_xlsx(db, data, message):
    result = run(data)
    assert len(result.errors) == 1 and message in result.errors[0].message
    assert nothing_stored()


def test_workbook_without_the_sheets(db):
    result = run(xlsx())
    assert "không có trang “Đơn vị” hay trang “Chỉ tiêu”" in result.errors[0].message
    assert "“Sheet1”" in result.errors[0].message


def test_too_many_rows_is_refused(db, monkeypatch):
    from reviews.workbook import reader

    monkeypatch.setattr(reader, "MAX_ROWS", 50)
    result = run(xlsx(TREE, [indicator("P", str(n)) for n in range(1, 52)]))
    assert "có hơn 50 dòng" in result.errors[0].message
    assert nothing_stored()


def test_a_sheet_of_100000_rows_is_refused(db):
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("Chỉ tiêu")
    ws.write_row(0, 0, INDICATOR_HEADER)
    for r in range(1, 100_001):
        ws.write_string(r, 0, "P")
    wb.close()
    result = run(out.getvalue())
    assert "có hơn 50.000 dòng" in result.errors[0].message


def test_zip_bomb_is_refused_quickly(db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    started = time.perf_counter()
    result = run(out.getvalue())
    assert time.perf_counter() - started < 5  # generous: the check reads only the zip directory
    assert "giải nén ra quá lớn" in result.errors[0].message


def test_bad_term_code(db):
    result = run(xlsx(TREE, []), term="2030")
    assert "2020-2025" in result.errors[0].message


# ---- warnings -----------------------------------------------------------------------------


def test_warnings_do_not_block(db):
    header = [*INDICATOR_HEADER, "Người nhập"]
    rows = [
        [*indicator("P", "1", "gần đạt"), "Lan"],
        [*indicator("P", "2", "Không đạt", note=""), "Lan"],
        [*indicator("P", "3", "Chưa đánh giá"), "Lan"],
    ]
    result = run(xlsx(TREE, rows, indicator_header=header))
    assert result.ok
    warnings = [(w.row, w.column.split(" (")[0], w.message) for w in result.warnings]
    assert (1, "Người nhập", "Cột không có trong mẫu nên được bỏ qua.") in warnings
    assert (2, "Đánh giá", "Đã hiểu “gần đạt” là “Khó đạt”.") in warnings
    # New indicators of a term being set up: the committee writes the reasons before it sends.
    assert (
        2,
        "Ghi chú",
        "Chỉ tiêu 1 (Nghị quyết 01-NQ/ĐH): đánh giá “Khó đạt” cần ghi chú nêu lý do.",
    ) in warnings
    assert (
        3,
        "Ghi chú",
        "Chỉ tiêu 2 (Nghị quyết 01-NQ/ĐH): đánh giá “Không đạt” cần ghi chú nêu lý do.",
    ) in warnings
    assert any("mới đánh giá 2/3 chỉ tiêu" in w.message for w in result.warnings)
    assert Indicator.objects.count() == 3


# ---- changes, history, workflow, rights ------------------------------------------------------


@pytest.fixture
def exported(tree):
    return workbook_export(committee=tree["P"])


def _with_status(data, number_of_rows: dict, status, note="Thiếu vốn", value=None):
    """The exported workbook with the status of some (code, STT) rows changed."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Chỉ tiêu"]
    for row in ws.iter_rows(min_row=2):
        if (row[0].value, row[3].value) in number_of_rows:
            row[9].value, row[10].value = status, note
            if value is not None:
                row[8].value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_changed_status_goes_to_history_with_the_importing_user(exported, tree, make_user):
    staff = make_user("vanphong", is_staff=True)
    data = _with_status(exported, {("P-D1-C1", "1")}, "Không đạt", value="3.500")
    result = run(data, term="2020-2025", by=staff)
    assert result.ok, result.errors
    assert "1 đánh giá thay đổi" in result.summary()
    change = AssessmentChange.objects.get()
    assert (change.changed_by, change.source, change.old_status, change.new_status, change.new_value) == (
        staff,
        ChangeSource.IMPORT,
        Status.ACHIEVED,
        Status.NOT_ACHIEVED,
        "3500",
    )
    tree["P-D1-C1"].refresh_from_db()
    assert (tree["P-D1-C1"].n_achieved, tree["P-D1-C1"].n_not_achieved) == (1, 1)


def test_changing_a_status_to_hard_without_a_note_is_refused_as_in_the_form(tree, make_user):
    """indicators.notes.SEVERITY: the secretary importing and the secretary typing are one person."""
    secretary = make_user("bithu", tree["P-D1-C1"], "secretary")
    exported = workbook_export(committee=tree["P-D1-C1"])
    data = _with_status(exported, {("P-D1-C1", "1")}, "Khó đạt", note=None)
    result = run(data, term="2020-2025", by=secretary)
    assert [m[2:] for m in messages(result)] == [
        ("Ghi chú", "Chỉ tiêu 1 (Nghị quyết 01-NQ/ĐH): đánh giá “Khó đạt” cần ghi chú nêu lý do.")
    ]
    assert not AssessmentChange.objects.exists()
    # A row left as it was is not judged here (as an untouched row of the form): sending is.
    assert run(exported, term="2020-2025", by=secretary).ok


def test_rows_of_a_submitted_review_are_refused_with_the_reason(exported, tree):
    Review.objects.create(committee=tree["P-D1-C1"], state=ReviewState.SUBMITTED)
    data = _with_status(exported, {("P-D1-C1", "1"), ("P-D1-C2", "1")}, "Khó đạt")
    result = run(data, term="2020-2025")
    assert [m[3] for m in messages(result)] == [
        "Báo cáo sơ kết của Đảng bộ P-D1-C1 đang ở trạng thái “Đã gửi cấp trên”, không thể sửa."
    ]
    assert not AssessmentChange.objects.exists()


def test_secretary_may_import_only_their_own_rows(tree, make_user):
    # The district secretary sees the communes below: their unchanged rows are skipped.
    secretary = make_user("bithu", tree["P-D1"], "secretary")
    exported = workbook_export(committee=tree["P-D1"])
    own = run(_with_status(exported, {("P-D1", "1")}, "Khó đạt"), term="2020-2025", by=secretary)
    assert own.ok, own.errors
    assert own.rows_skipped == 6  # the two communes' rows, unchanged
    assert AssessmentChange.objects.get().changed_by == secretary

    exported = workbook_export(committee=tree["P-D1"])  # a fresh copy: the old one is stale now
    other = run(_with_status(exported, {("P-D1-C2", "1")}, "Khó đạt"), term="2020-2025", by=secretary)
    assert [m[3] for m in messages(other)] == [
        "Bạn chỉ được nhập chỉ tiêu của đơn vị mình; dòng này thuộc đơn vị “P-D1-C2”."
    ]
    assert AssessmentChange.objects.count() == 1


NEUTRAL = "Mã đơn vị “{}” không có hoặc bạn không có quyền với đơn vị này."


def test_codes_outside_the_subtree_all_get_one_neutral_message(exported, tree, make_user):
    """Unknown or foreign, changed or not, right name or wrong: the same sentence, nothing stored shown."""
    secretary = make_user("bithu", tree["P-D1-C1"], "secretary")
    result = run(exported, term="2020-2025", by=secretary)
    foreign = {"P", "P-D1", "P-D1-C2", "P-D2", "P-D2-C1", "P-D2-C2"}
    assert {m[3] for m in messages(result)} == {NEUTRAL.format(code) for code in foreign}
    rows = [
        ["P-D2", "Đảng bộ P-D2", "huyện", "P"],  # foreign, as stored
        ["P-D2-C1", "Tên sai", "xã", "P-D2"],  # foreign, a wrong name
        ["NOPE", "Không có", "xã", "P"],  # unknown
        ["P-D1-C1", "Đảng bộ P-D1-C1", "xã", "P-D1-C1"],  # own row making a loop
    ]
    result = run(
        xlsx(rows, [indicator("P-D2-C2", "1"), indicator("NOPE2", "1", status="??")]),
        term="2020-2025",
        by=secretary,
    )
    assert messages(result) == [
        ("Đơn vị", 2, "Mã đơn vị", NEUTRAL.format("P-D2")),
        ("Đơn vị", 3, "Mã đơn vị", NEUTRAL.format("P-D2-C1")),
        ("Đơn vị", 4, "Mã đơn vị", NEUTRAL.format("NOPE")),
        (
            "Đơn vị",
            5,
            "Tên đơn vị",
            "Bạn không có quyền sửa tên, cấp hoặc đơn vị cấp trên của đơn vị “P-D1-C1”.",
        ),
        ("Chỉ tiêu", 2, "Mã đơn vị", NEUTRAL.format("P-D2-C2")),
        ("Chỉ tiêu", 3, "Mã đơn vị", NEUTRAL.format("NOPE2")),
    ]
    body = " ".join(str(p) for p in result.errors)
    assert "→" not in body and "Đảng bộ P-D2" not in body
    assert not AssessmentChange.objects.exists()


def test_secretary_may_not_create_a_term_or_committees(exported, tree, make_user):
    secretary = make_user("bithu", tree["P-D1-C1"], "secretary")
    assert (
        "Không tìm thấy nhiệm kỳ 2040-2045" in run(exported, term="2040-2045", by=secretary).errors[0].message
    )
    result = run(xlsx([["NEW", "Mới", "xã", "P-D1"]], []), term="2020-2025", by=secretary)
    assert result.errors[0].message == NEUTRAL.format("NEW")


def test_committee_rename_and_move(exported, tree):
    result = run(xlsx([["P-D2-C1", "Đảng bộ xã mới", "xã", "P-D1"]], []), term="2020-2025")
    assert result.ok and result.committees_updated == 1
    moved = Committee.objects.get(code="P-D2-C1")
    assert moved.name == "Đảng bộ xã mới" and moved.path.startswith(tree["P-D1"].path)


def test_demo_exported_and_reimported_changes_nothing(db):
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    bk = Committee.objects.get(code="BK")
    before = list(
        Indicator.objects.at_stage().values_list("text", "target", "assessment__value", "assessment__status")
    )
    result = run(workbook_export(committee=bk), term="2020-2025")
    assert result.ok, result.errors[:5]
    assert not result.changes_anything, result.summary()
    assert not AssessmentChange.objects.exclude(source="system").exists()  # the demo's own rows aside
    assert (
        list(
            Indicator.objects.at_stage().values_list(
                "text", "target", "assessment__value", "assessment__status"
            )
        )
        == before
    )


def test_command_prints_errors_and_exits_1(db, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(TREE, [indicator("NOPE"), indicator("P", status="??")]))
    with pytest.raises(CommandError) as exc:
        call_command("import_workbook", str(path), "--term", "2030-2035")
    assert exc.value.returncode == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("Chỉ tiêu, dòng 2, cột Mã đơn vị (A): Không tìm thấy đơn vị")
    assert err[1].startswith("Chỉ tiêu, dòng 3, cột Đánh giá (J): Đánh giá “??”")
    assert nothing_stored()


def test_command_dry_run_and_import(db, tmp_path, capsys):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(xlsx(TREE, [indicator("P", "1")]))
    call_command("import_workbook", str(path), "--term", "2030-2035", "--dry-run")
    assert "Kiểm tra xong" in capsys.readouterr().out and nothing_stored()
    call_command("import_workbook", str(path), "--term", "2030-2035")
    assert "Đã nhập" in capsys.readouterr().out and Indicator.objects.count() == 1


# ---- how long a cell may be: the models' own lengths ------------------------------------------


@pytest.mark.parametrize(
    ("column", "model", "name", "row"),
    [
        ("Mã đơn vị", Committee, "code", None),
        ("STT", Indicator, "number", "number"),
        ("Đơn vị tính", Indicator, "unit", "unit"),
        ("Mục tiêu", Indicator, "target", "target"),
        ("Thực hiện giữa nhiệm kỳ", "Assessment", "value", "value"),
    ],
)
def test_a_cell_longer_than_its_column_in_the_database_is_refused(db, column, model, name, row):
    from indicators.models import Assessment

    longest = (Assessment if model == "Assessment" else model)._meta.get_field(name).max_length
    too_long = "9" * (longest + 1) if name in ("target", "value") else "x" * (longest + 1)
    if row is None:  # a committee code: on the committee sheet
        data = xlsx([[too_long, "Đảng bộ", "tỉnh", ""]], [])
        sheet_row = ("Đơn vị", 2)
    else:
        data = xlsx(
            TREE, [indicator("P", **{row: too_long})] if row != "number" else [indicator("P", too_long)]
        )
        sheet_row = ("Chỉ tiêu", 2)
    result = run(data)
    expected = f"Nội dung dài {longest + 1} ký tự, quá giới hạn {longest} ký tự."
    assert (*sheet_row, column, expected) in messages(result)
    assert nothing_stored()
