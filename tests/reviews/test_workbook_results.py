"""The optional columns of results over time (spec/workbook.md): export, import, round trip, errors."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from indicators.models import AssessmentChange, ChangeSource, Indicator, IndicatorChange, Status
from indicators.results import Results
from indicators.services.assessments import AssessmentEdit, assessments_update
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from reviews.workbook.exporter import template_export, workbook_export
from reviews.workbook.services import workbook_import
from tests.reviews.workbook_files import INDICATOR_HEADER, indicator, xlsx

YEAR_HEADERS = [f"{word} {year}" for year in range(2021, 2026) for word in ("Năm", "Ước")]
RESULT_HEADERS = [
    "Giá trị đầu kỳ", "Cách tính", "Chiều", *YEAR_HEADERS, "Dự báo cuối kỳ",
    "Vượt", "Thuộc chỉ tiêu", "Mục tiêu điều chỉnh", "Văn bản điều chỉnh", "Đơn vị giao",
]  # fmt: skip


@pytest.fixture
def province(make_committee):
    """A province with three indicators of different measures, one with results of every kind."""
    p = make_committee("P")
    resolution = resolution_create(committee=p, number="01-NQ/ĐH")
    growth = indicator_create(
        resolution=resolution,
        number="1",
        text="Tăng trưởng GRDP bình quân",
        unit="%",
        target="6,5",
        measure="average",
        status=Status.HARD,
        note="Dịch bệnh",
        results=Results.build(
            baseline="5,1",
            years={2021: ("4,1", False), 2022: ("1234,5", False), 2023: ("4,6", True)},
            forecast="5,8",
        ),
    )
    poverty = indicator_create(
        resolution=resolution,
        number="2",
        text="Tỷ lệ hộ nghèo",
        unit="%",
        target="10",
        direction="down",
        status=Status.ACHIEVED,
        results=Results.build(baseline="20", years={2021: ("17", False)}),
    )
    forest = indicator_create(
        resolution=resolution, number="3", text="Trồng rừng", target="10000", measure="cumulative"
    )
    AssessmentChange.objects.all().delete()  # as set up long ago: tests see only the import's rows
    return {"P": p, "growth": growth, "poverty": poverty, "forest": forest}


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_by_number(data: bytes) -> dict[str, dict[str, object]]:
    ws = load(data)["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    return {
        str(r[3]): dict(zip(header, r, strict=True))
        for r in ws.iter_rows(min_row=2, values_only=True)
        if any(v is not None for v in r)  # Calc writes empty formatted rows below the data
    }


def edited(data: bytes, changes: dict[str, dict[str, object]], *, delete: tuple[str, ...] = ()) -> bytes:
    """The workbook with some cells of the rows of STT n changed, by header; `delete` drops columns."""
    wb = load(data)
    ws = wb["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for title, value in changes.get(str(row[3].value), {}).items():
            row[header.index(title)].value = value
    for title in delete:
        ws.delete_cols([c.value for c in ws[1]].index(title) + 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def stored(ind: Indicator) -> tuple:
    ind.refresh_from_db()
    a = ind.assessment
    a.refresh_from_db()
    return (ind.measure, ind.direction, a.baseline, a.years, a.forecast, a.suggested_status, a.version)


def run(data: bytes, **kw):
    return workbook_import(data=data, term_code="2020-2025", **kw)


def located(result) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.message) for p in result.errors]


# ---- export -----------------------------------------------------------------------------------


def test_export_writes_the_columns_for_every_year_of_the_term_as_text(province):
    data = workbook_export(committee=province["P"])
    ws = load(data)["Chỉ tiêu"]
    assert [c.value for c in ws[1]] == INDICATOR_HEADER + RESULT_HEADERS
    rows = rows_by_number(data)
    assert rows["1"] | {} == rows["1"]  # a dict per row, by header
    growth = {k: rows["1"][k] for k in RESULT_HEADERS}
    assert growth == {
        "Giá trị đầu kỳ": "5,1",
        "Cách tính": "bình quân",
        "Chiều": "tăng",
        "Năm 2021": "4,1",
        "Ước 2021": None,
        "Năm 2022": "1234,5",
        "Ước 2022": None,
        "Năm 2023": None,
        "Ước 2023": "4,6",
        "Năm 2024": None,
        "Ước 2024": None,
        "Năm 2025": None,
        "Ước 2025": None,
        "Dự báo cuối kỳ": "5,8",
        "Vượt": None,
        "Thuộc chỉ tiêu": None,
        "Mục tiêu điều chỉnh": None,
        "Văn bản điều chỉnh": None,
        "Đơn vị giao": None,
    }
    assert (rows["2"]["Cách tính"], rows["2"]["Chiều"]) == ("mức", "giảm")
    assert rows["3"]["Cách tính"] == "cộng dồn"
    # Every column, filled or not, is Text, so what is typed later stays as typed ("1.234,5").
    for letter in ("L", "O", "Y"):
        assert ws.column_dimensions[letter].number_format == "@"
        assert all(cell.number_format == "@" for cell in ws[letter][1:])
    assert ws["P2"].data_type == "s" or ws["P2"].value is None


def test_template_has_the_years_of_the_chosen_term(client, make_user):
    header = [c.value for c in load(template_export(term_code="2025-2030"))["Chỉ tiêu"][1]]
    assert header[len(INDICATOR_HEADER) :][:5] == [
        "Giá trị đầu kỳ",
        "Cách tính",
        "Chiều",
        "Năm 2026",
        "Ước 2026",
    ]
    assert header[-8:] == [
        "Năm 2030", "Ước 2030", "Dự báo cuối kỳ",
        "Vượt", "Thuộc chỉ tiêu", "Mục tiêu điều chỉnh", "Văn bản điều chỉnh", "Đơn vị giao",
    ]  # fmt: skip
    assert "Năm 2025" not in header
    without = [c.value for c in load(template_export())["Chỉ tiêu"][1]]
    assert without == INDICATOR_HEADER + [
        "Giá trị đầu kỳ", "Cách tính", "Chiều", "Dự báo cuối kỳ",
        "Vượt", "Thuộc chỉ tiêu", "Mục tiêu điều chỉnh", "Văn bản điều chỉnh", "Đơn vị giao",
    ]  # fmt: skip
    client.force_login(make_user("vanphong", is_staff=True))
    response = client.get(reverse("workbook_template"), {"term": "2025-2030"})
    assert "Năm 2026" in [c.value for c in load(response.content)["Chỉ tiêu"][1]]
    assert client.get(reverse("workbook_template"), {"term": "x" * 5000}).status_code == 200


def test_a_full_export_of_a_five_year_term_fits_the_cell_cap():
    from reviews.workbook import reader
    from reviews.workbook.cells import indicator_columns

    # …and `Chỉ tiêu kỳ trước`, written after them where a term names predecessors.
    assert reader.MAX_ROWS * (len(indicator_columns(2020, 2025)) + 1) <= reader.MAX_CELLS_PER_SHEET


# ---- round trip -------------------------------------------------------------------------------


def test_export_then_import_changes_nothing(province):
    before = {k: stored(province[k]) for k in ("growth", "poverty", "forest")}
    result = run(workbook_export(committee=province["P"]))
    assert result.ok, result.errors
    assert not result.changes_anything, result.summary()
    assert not AssessmentChange.objects.exists()
    assert {k: stored(province[k]) for k in before} == before


def test_an_edit_is_imported_with_history_and_shows_in_the_next_export(province, make_user):
    staff = make_user("vanphong", is_staff=True)
    first = workbook_export(committee=province["P"])
    data = edited(
        first,
        {
            # typed as a Vietnamese secretary types it, in a Text cell: kept as the number 1234,5
            "1": {"Năm 2022": "1.234,5", "Năm 2023": "4,7", "Ước 2023": None, "Dự báo cuối kỳ": "6.6"},
            "2": {"Ước 2022": "15", "Chiều": "Down"},
            "3": {"Cách tính": "Cộng dồn", "Năm 2021": "2.500", "Năm 2022": "2600"},
        },
    )
    result = run(data, by=staff)
    assert result.ok, result.errors
    assert result.assessments_changed == 3 and result.statuses_changed == 0

    growth = province["growth"]
    assert stored(growth)[2:5] == (
        "5,1",
        {
            "2021": {"value": "4,1", "estimate": False},
            "2022": {"value": "1234,5", "estimate": False},  # the same number: the stored text stays
            "2023": {"value": "4,7", "estimate": False},  # an estimate became the actual figure
        },
        "6,6",
    )
    forest = province["forest"]
    assert stored(forest)[0] == "cumulative"
    assert forest.assessment.years == {
        "2021": {"value": "2500", "estimate": False},
        "2022": {"value": "2600", "estimate": False},
    }
    # cumulative: 2500 + 2600 + 3 × 2550 = 12 750 ≥ 10 000 (the status, not assessed, is the committee's)
    assert forest.assessment.suggested_status == Status.ACHIEVED

    change = AssessmentChange.objects.get(assessment=growth.assessment)
    assert (change.changed_by, change.source) == (staff, ChangeSource.IMPORT)
    assert change.old_results["years"]["2023"] == {"value": "4,6", "estimate": True}
    assert change.new_results["forecast"] == "6,6"

    again = rows_by_number(workbook_export(committee=province["P"]))
    assert (again["1"]["Năm 2023"], again["1"]["Ước 2023"], again["1"]["Dự báo cuối kỳ"]) == (
        "4,7",
        None,
        "6,6",
    )
    assert (again["2"]["Ước 2022"], again["2"]["Chiều"]) == ("15", "giảm")
    assert (again["3"]["Năm 2021"], again["3"]["Cách tính"]) == ("2500", "cộng dồn")
    # and that export imported again changes nothing more
    assert not run(workbook_export(committee=province["P"])).changes_anything


def test_a_new_measure_is_imported_with_the_history_of_who_imported_it(province, make_user):
    staff = make_user("vanphong", is_staff=True)
    result = run(edited(workbook_export(committee=province["P"]), {"1": {"Cách tính": "mức"}}), by=staff)
    assert result.ok, result.errors
    content = IndicatorChange.objects.get(indicator=province["growth"], action="changed")
    assert (content.changed_by, content.source, content.old, content.new) == (
        staff,
        ChangeSource.IMPORT,
        {"measure": "average"},
        {"measure": "level"},
    )


def test_emptied_cells_clear_the_stored_results(province):
    data = edited(
        workbook_export(committee=province["P"]),
        {"1": {"Giá trị đầu kỳ": None, "Năm 2021": None, "Ước 2023": None, "Dự báo cuối kỳ": None}},
    )
    assert run(data).ok
    a = province["growth"].assessment
    a.refresh_from_db()
    assert (a.baseline, a.years, a.forecast) == ("", {"2022": {"value": "1234,5", "estimate": False}}, "")


def test_old_workbook_without_the_columns_keeps_the_stored_results(province):
    before = {k: stored(province[k]) for k in ("growth", "poverty", "forest")}
    row = indicator("P", "1", "Khó đạt", "Dịch bệnh", field="", value="")
    old = edited(xlsx(None, [row]), {"1": {"Chỉ tiêu": "Tăng trưởng GRDP bình quân"}})
    result = run(old)
    assert result.ok, result.errors
    assert not result.changes_anything, result.summary()
    assert {k: stored(province[k]) for k in before} == before


def test_a_column_left_out_keeps_what_it_would_show(province):
    """Only 'Năm 2023' in the file: the stored estimate of 2023 ('Ước 2023', absent) stays."""
    data = edited(
        workbook_export(committee=province["P"]),
        {"1": {"Năm 2022": "4,5"}},
        delete=tuple(h for h in RESULT_HEADERS if h not in ("Năm 2022", "Năm 2023")),
    )
    assert run(data).ok
    a = province["growth"].assessment
    a.refresh_from_db()
    assert (a.baseline, a.forecast, a.indicator.measure) == ("5,1", "5,8", "average")
    assert a.years == {
        "2021": {"value": "4,1", "estimate": False},
        "2022": {"value": "4,5", "estimate": False},
        "2023": {"value": "4,6", "estimate": True},
    }


def test_new_indicators_are_created_with_their_results_and_history(db):
    header = [*INDICATOR_HEADER, "Baseline", "Measure", "Direction", "Year 2031", "Estimate 2032", "Forecast"]
    row = indicator("P", "1", "Khó đạt", "Hạn hán") + ["20", "average", "giảm", "18,5", "17", "16"]
    result = workbook_import(
        data=xlsx([["P", "Tỉnh", "tỉnh", ""]], [row], indicator_header=header), term_code="2030-2035"
    )
    assert result.ok, result.errors
    ind = Indicator.objects.at_stage().select_related("assessment").get()
    assert (ind.measure, ind.direction) == ("average", "down")
    assert Results.of(ind.assessment) == Results.build(
        baseline="20", years={2031: ("18,5", False), 2032: ("17", True)}, forecast="16"
    )
    change = AssessmentChange.objects.get()
    assert change.new_results == Results.of(ind.assessment).as_json()


def test_a_judgement_the_numbers_do_not_support_is_refused_without_a_note(province):
    """As in the form (indicators.notes.SEVERITY): changing an assessment without its reason is refused."""
    # average 6,5 wanted, forecast 5,8: r = 0,89, "hard"; the poverty rate fell from 20 to 17 of 10: hard too
    growth = province["growth"].assessment
    data = edited(
        workbook_export(committee=province["P"]),
        {"1": {"Đánh giá": "Đạt và vượt", "Ghi chú": None}, "2": {"Ghi chú": "Theo chuẩn nghèo mới"}},
    )
    result = run(data)
    assert not result.ok
    assert [(r, c.split(" (")[0], m) for _s, r, c, m in located(result)] == [
        (
            2,
            "Ghi chú",
            "Chỉ tiêu 1 (Nghị quyết 01-NQ/ĐH): số liệu gợi ý “Khó đạt” nhưng đánh giá là “Đạt và vượt”; "
            "hãy ghi chú giải thích vì sao.",
        )
    ]
    assert type(growth).objects.get(pk=growth.pk).status == growth.status  # all or nothing
    with_note = edited(
        workbook_export(committee=province["P"]),
        {"1": {"Đánh giá": "Đạt và vượt", "Ghi chú": "Quý IV tăng tốc"}},
    )
    assert run(with_note).ok
    assert type(growth).objects.get(pk=growth.pk).status == Status.ACHIEVED


# ---- rights -------------------------------------------------------------------------------------


def test_a_secretary_enters_yearly_values_but_not_the_measure(province, make_user):
    secretary = make_user("bithu", province["P"], "secretary")
    first = workbook_export(committee=province["P"])
    assert run(edited(first, {"1": {"Năm 2024": "5"}}), by=secretary).ok
    assert province["growth"].assessment.__class__.objects.get(pk=province["growth"].assessment.pk).years[
        "2024"
    ] == {"value": "5", "estimate": False}
    refused = run(edited(workbook_export(committee=province["P"]), {"1": {"Cách tính": "mức"}}), by=secretary)
    assert [(r, c.split(" (")[0], m) for _s, r, c, m in located(refused)] == [
        (2, "Cách tính", "Bạn không có quyền sửa cách tính hay chiều của chỉ tiêu; hãy báo văn phòng cấp ủy.")
    ]


def test_a_stale_copy_cannot_undo_a_newer_yearly_value(province):
    first = workbook_export(committee=province["P"])
    assert run(edited(first, {"1": {"Năm 2024": "5"}})).ok
    stale = run(edited(first, {"1": {"Năm 2024": "6"}}))
    assert "sau khi tệp này được xuất" in stale.errors[0].message


# ---- errors: located, in the user's language, nothing stored -----------------------------------


FIRST_YEAR = "Năm 2020 là năm đầu của nhiệm kỳ 2020-2025: giá trị năm này ghi ở cột “Giá trị đầu kỳ”."
OUTSIDE = "Năm %d không thuộc nhiệm kỳ 2020-2025: các cột năm chỉ có từ 2021 đến 2025."


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Năm 2020", FIRST_YEAR),
        ("Ước 2020", FIRST_YEAR),
        ("Year 2019", OUTSIDE % 2019),
        ("Ước 2026", OUTSIDE % 2026),
    ],
)
def test_a_year_column_outside_the_later_years_of_the_term_is_an_error(province, header, message):
    before = stored(province["growth"])
    data = xlsx(None, [indicator("P", "9") + ["7"]], indicator_header=[*INDICATOR_HEADER, header])
    result = run(data)
    assert located(result) == [("Chỉ tiêu", 1, f"{header} (L)", message)]
    assert stored(province["growth"]) == before and not Indicator.objects.filter(number="9").exists()


ACTUAL_AND_ESTIMATE = (
    "Năm 2022 có cả giá trị thực hiện (cột Năm 2022 (Q)) và giá trị ước (cột Ước 2022 (R)); "
    "mỗi năm chỉ ghi một trong hai."
)


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"Ước 2022": "4"}, "Ước 2022 (R)", ACTUAL_AND_ESTIMATE),
        ({"Năm 2024": "6,,5"}, "Năm 2024 (U)", "“6,,5” không phải là một số; hãy viết dạng 6,5 hoặc 6.5."),
        (
            {"Giá trị đầu kỳ": "1.2.3,4,5"},
            "Giá trị đầu kỳ (L)",
            "“1.2.3,4,5” không phải là một số; hãy viết dạng 6,5 hoặc 6.5.",
        ),
        (
            {"Cách tính": "lũy kế"},
            "Cách tính (M)",
            "Cách tính “lũy kế” không có trong danh sách (mức, cộng dồn, bình quân).",
        ),
        ({"Chiều": "ngang"}, "Chiều (N)", "Chiều “ngang” không có trong danh sách (tăng, giảm)."),
        (
            {"Dự báo cuối kỳ": "9" * 100_000},
            "Dự báo cuối kỳ (Y)",
            "Nội dung dài 100000 ký tự, quá giới hạn 200 ký tự.",
        ),
    ],
    ids=[
        "actual and estimate",
        "not a number",
        "baseline not a number",
        "measure",
        "direction",
        "huge",
    ],
)
def test_each_bad_cell_is_located_and_nothing_is_stored(province, changes, column, message):
    before = {k: stored(province[k]) for k in ("growth", "poverty", "forest")}
    data = _raw_cells(workbook_export(committee=province["P"]), "1", changes)
    result = run(data)
    assert located(result) == [("Chỉ tiêu", 2, column, message)]
    assert {k: stored(province[k]) for k in before} == before
    assert not AssessmentChange.objects.exists()


def test_a_nul_in_a_year_cell_is_an_error(province):
    """No .xlsx can carry a NUL (XML cannot; openpyxl reads "_x0000_" as written): the reader
    is given one directly."""
    from reviews.workbook.check import Checker
    from reviews.workbook.problems import Problems
    from reviews.workbook.reader import Cell, Sheet

    problems = Problems()
    checker = Checker(term_code="2020-2025", by=None, problems=problems)
    header = [*INDICATOR_HEADER, "Năm 2024"]
    row = [Cell(v, "s") for v in indicator("P", "9")] + [Cell("a\x00b", "s")]
    checker.indicators(Sheet("Chỉ tiêu", header, iter([(2, row)])), checker.committees(None), {})
    assert [(p.row, p.column, p.message) for p in problems.errors] == [
        (2, "Năm 2024 (L)", "Ô chứa ký tự không hợp lệ.")
    ]
    assert not checker.plan.new_indicators


def _raw_cells(data: bytes, number: str, changes: dict[str, str]) -> bytes:
    """Cells written into the sheet's XML as inline strings: what openpyxl refuses to write (NUL)."""
    import re
    import zipfile

    wb = load(data)
    ws = wb["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[3].value == number)
    letters = {title: openpyxl.utils.get_column_letter(header.index(title) + 1) for title in changes}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                xml = part.decode()
                for title, value in changes.items():
                    ref = f"{letters[title]}{row}"
                    text = value.replace("&", "&amp;").replace("<", "&lt;")
                    cell = f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
                    xml, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, xml, count=1)
                    assert n == 1, ref
                part = xml.encode()
            target.writestr(item, part)
    return out.getvalue()


def test_a_formula_in_a_year_cell_is_an_error_not_its_result(province):
    wb = load(workbook_export(committee=province["P"]))
    ws = wb["Chỉ tiêu"]
    ws["U2"] = "=1+1"  # openpyxl writes a string starting with "=" as a formula
    out = io.BytesIO()
    wb.save(out)
    result = run(out.getvalue())
    assert [(r, c, m[:18]) for _s, r, c, m in located(result)] == [(2, "Năm 2024 (U)", "Ô chứa công thức; ")]
    assert (
        "2024"
        not in province["growth"].assessment.__class__.objects.get(pk=province["growth"].assessment.pk).years
    )


def test_errors_are_in_english_for_an_english_user(province):
    data = _raw_cells(workbook_export(committee=province["P"]), "1", {"Ước 2022": "4", "Chiều": "sideways"})
    data = edited(data, {}, delete=())
    with translation.override("en"):
        result = run(
            xlsx(None, [indicator("P", "9") + ["7"]], indicator_header=[*INDICATOR_HEADER, "Năm 2020"])
        )
        (first_year,) = result.errors
        assert first_year.message == (
            "2020 is the first year of the term 2020-2025: its value goes in the Baseline column."
        )
        assert str(first_year).startswith("Chỉ tiêu, row 1, column Năm 2020 (L): ")
        messages = [p.message for p in run(data).errors]
    assert messages == [
        "Direction “sideways” is not in the list (tăng, giảm).",
        "2022 has both an actual value (column Năm 2022 (Q)) and an estimate (column Ước 2022 (R)); "
        "write only one of them for each year.",
    ]


# ---- LibreOffice Calc -----------------------------------------------------------------------------

# The user profile of a Vietnamese installation: locale vi-VN (decimal comma, "." for thousands),
# so Calc would read a typed "1.234,5" as the number 1234.5 in a cell that is not Text.
_VI_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>vi-VN</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse">
<value>vi</value></prop></item>
</oor:items>
"""


def _calc_resave(data: bytes, tmp_path) -> bytes:
    """The workbook opened and saved again as .xlsx by LibreOffice Calc under the vi-VN locale."""
    import os
    import shutil
    import subprocess

    from tests.tooling import skip_or_fail_under_ci

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not (shutil.which("localc") or _has_calc(soffice)):
        skip_or_fail_under_ci("LibreOffice Calc round trip", "Calc not found (Debian libreoffice-calc-nogui)")
    assert soffice is not None  # skip_or_fail_under_ci did not return otherwise
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_VI_PROFILE, encoding="utf-8")
    source = tmp_path / "in" / "so-ket.xlsx"
    source.parent.mkdir()
    source.write_bytes(data)
    out = tmp_path / "out"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path), "LANG": "vi_VN.UTF-8", "LC_ALL": "vi_VN.UTF-8"},
        check=False,
    )
    saved = out / "so-ket.xlsx"
    assert saved.exists(), result.stderr.decode(errors="replace")
    return saved.read_bytes()


def _has_calc(soffice: str) -> bool:
    from pathlib import Path

    return (Path(soffice).resolve().parent / "libsclo.so").exists()


def test_a_workbook_saved_again_by_libreoffice_calc_keeps_every_yearly_value(province, tmp_path):
    # Values a spreadsheet would turn into something else if they were not Text cells.
    assessments_update(
        edits=[
            AssessmentEdit(
                assessment_id=province["forest"].assessment.pk,
                status=Status.NOT_ASSESSED,
                results=Results.build(
                    baseline="007",
                    years={
                        2021: ("1/2", False),
                        2022: ("72%", True),
                        2023: ("4,10", False),
                        2024: ("3500", False),
                    },
                    forecast="=1+1",
                ),
            )
        ]
    )
    exported = workbook_export(committee=province["P"])
    before = {k: stored(province[k]) for k in ("growth", "poverty", "forest")}
    resaved = _calc_resave(exported, tmp_path)
    book = load(resaved)
    assert [c.value for c in book["Chỉ tiêu"][1]] == INDICATOR_HEADER + RESULT_HEADERS
    # Still Text where the next value will be typed: Calc leaves empty cells out, their column says it.
    columns = book["Chỉ tiêu"].column_dimensions.values()
    for n in range(len(INDICATOR_HEADER) + 1, len(INDICATOR_HEADER) + len(RESULT_HEADERS) + 1):
        assert any(d.min <= n <= d.max and d.number_format == "@" for d in columns), n
    assert book["Phiên bản xuất"].sheet_state == "hidden"  # the stamps came through too
    assert rows_by_number(resaved) == rows_by_number(exported)
    result = run(resaved)
    assert result.ok, result.errors
    assert not result.changes_anything, result.summary()
    assert {k: stored(province[k]) for k in before} == before


# Run by the system's Python, which has LibreOffice's UNO bridge (Debian python3-uno): opens the
# workbook in Calc, types into cells as a user does (the EnterString command, read with the
# profile's vi-VN locale), reports what each cell became, and saves the workbook as .xlsx.
_TYPE_IN_CALC = r"""
import json, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

profile, source, target, pipe = sys.argv[1:5]
typed = json.loads(sys.argv[5])

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

office = subprocess.Popen(["soffice", "-env:UserInstallation=" + profile, "--headless", "--norestore",
                           "--accept=pipe,name=%s;urp;" % pipe])
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(source, "_blank", 0, (prop("Hidden", True),))
    dispatch = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx).executeDispatch
    frame = doc.getCurrentController().getFrame()
    sheet = doc.Sheets.getByName("Chỉ tiêu")
    doc.getCurrentController().setActiveSheet(sheet)
    for ref, text in typed.items():
        dispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", ref),))
        dispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
    report = {}
    for ref in typed:
        cell = sheet.getCellRangeByName(ref)
        report[ref] = [cell.getType().value, cell.getString(), cell.getValue()]
    doc.storeToURL(target, (prop("FilterName", "Calc MS Excel 2007 XML"),))
    print(json.dumps(report))
finally:
    office.kill()  # closing the document headless can abort soffice; the file is stored by now
    office.wait()
"""


def test_values_typed_in_calc_under_vi_vn_stay_as_typed(province, tmp_path, make_user):
    """What the Text format is for: a secretary types '1.234,5' or '1/2' into the exported file."""
    import json
    import os
    import shutil
    import subprocess

    from tests.tooling import skip_or_fail_under_ci

    system_python = shutil.which("python3", path="/usr/bin")
    has_uno = (
        system_python and subprocess.run([system_python, "-c", "import uno"], check=False).returncode == 0
    )
    if not shutil.which("soffice") or not has_uno or not _has_calc(shutil.which("soffice") or ""):
        skip_or_fail_under_ci("typing in LibreOffice Calc", "needs libreoffice-calc-nogui and python3-uno")
    assert system_python is not None
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_VI_PROFILE, encoding="utf-8")
    source, target = tmp_path / "so-ket.xlsx", tmp_path / "typed.xlsx"
    source.write_bytes(workbook_export(committee=province["P"]))
    header = {
        title: openpyxl.utils.get_column_letter(n)
        for n, title in enumerate(INDICATOR_HEADER + RESULT_HEADERS, 1)
    }
    typed = {
        f"{header['Năm 2022']}2": "1.234,5",  # the stored 1234,5 written the Vietnamese way
        f"{header['Dự báo cuối kỳ']}2": "6,5",
        f"{header['Năm 2024']}3": "1/2",
        f"{header['Ước 2025']}4": "72%",
        "AZ2": "1.234,5",  # beyond the workbook's columns (31 now): a General cell, for comparison
    }
    script = tmp_path / "type_in_calc.py"
    script.write_text(_TYPE_IN_CALC, encoding="utf-8")
    done = subprocess.run(
        [
            system_python,
            str(script),
            profile.as_uri(),
            source.as_uri(),
            target.as_uri(),
            f"wbyears{os.getpid()}",
            json.dumps(typed),
        ],
        capture_output=True,
        timeout=240,
        env={**os.environ, "HOME": str(tmp_path), "PYTHONPATH": "", "PYTHONHOME": ""},
        check=False,
    )
    assert target.exists(), done.stderr.decode(errors="replace")[-3000:]
    report = json.loads(done.stdout.decode().strip().splitlines()[-1])
    # Calc read with the vi-VN locale: in a General cell "1.234,5" became the number 1234.5 …
    assert report["AZ2"][0] == "VALUE" and report["AZ2"][2] == 1234.5
    # … and in the workbook's Text cells everything stayed the text that was typed.
    assert {ref: r[:2] for ref, r in report.items() if ref != "AZ2"} == {
        ref: ["TEXT", text] for ref, text in typed.items() if ref != "AZ2"
    }

    staff = make_user("vanphong", is_staff=True)
    result = run(target.read_bytes(), by=staff)
    assert result.ok, result.errors
    assert result.assessments_changed == 3
    growth, poverty, forest = (stored(province[k]) for k in ("growth", "poverty", "forest"))
    assert growth[3]["2022"] == {"value": "1234,5", "estimate": False} and growth[4] == "6,5"
    assert poverty[3]["2024"] == {"value": "1/2", "estimate": False}
    assert forest[3] == {"2025": {"value": "72%", "estimate": True}}
