"""The export read back with openpyxl: styles, frozen header, drop-down, text kept text; the round trip."""

import io
import itertools

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import AssessmentChange, Committee, Direction, Measure, Status
from indicators.results import Results
from indicators.services.committees import committee_create
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from indicators.services.terms import term_get_or_create
from indicators.values import stored_amount
from reviews.workbook.cells import INDICATOR_COLUMNS
from reviews.workbook.exporter import template_export, workbook_export
from reviews.workbook.services import workbook_import


def load(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def values(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_both_sheets_of_the_subtree_only(tree):
    wb = load(workbook_export(committee=tree["P-D1"]))
    assert wb.sheetnames == ["Đơn vị", "Chỉ tiêu", "Phiên bản xuất"]
    assert wb["Phiên bản xuất"].sheet_state == "hidden" and wb["Phiên bản xuất"].protection.sheet
    assert [r[0] for r in values(wb["Đơn vị"])] == ["Mã đơn vị", "P-D1", "P-D1-C1", "P-D1-C2"]
    assert values(wb["Đơn vị"])[1] == ["P-D1", "Đảng bộ P-D1", "huyện", "P"]
    assert {r[0] for r in values(wb["Chỉ tiêu"])[1:]} == {"P-D1", "P-D1-C1", "P-D1-C2"}
    assert values(wb["Chỉ tiêu"])[1] == [
        "P-D1", "01-NQ/ĐH", "đại hội", "1", "Chỉ tiêu 1", "Kinh tế", None, None, None, "Đạt và vượt", None,
        None, "mức", "tăng", *[None] * 10, None, None, None, None, None, None,
    ]  # fmt: skip


def test_header_styled_frozen_sized_with_status_drop_down(tree):
    wb = load(workbook_export(committee=tree["P"]))
    ws = wb["Chỉ tiêu"]
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])
    assert ws["A1"].fill.fgColor.rgb.endswith("A3161A")
    assert ws.column_dimensions["C"].width == len("Loại nghị quyết") + 2  # header wider than "đại hội"
    assert all(8 <= ws.column_dimensions[c].width <= 60 for c in "ABCDEFGHIJK")
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"Đạt và vượt,Khó đạt,Không đạt,Chưa thể đánh giá,Chưa đánh giá"'
    # 1,000 rows below the last: what LibreOffice Calc keeps on save (it cut J2:J2000 to J2:J1024)
    assert str(validation.sqref) == f"J2:J{ws.max_row + 1000}"


def test_template_has_headers_and_drop_down_only():
    wb = load(template_export())
    assert values(wb["Đơn vị"]) == [["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"]]
    assert len(values(wb["Chỉ tiêu"])) == 1
    assert wb["Chỉ tiêu"].data_validations.dataValidation[0].formula1.startswith('"Đạt và vượt')


def test_formula_like_text_is_written_as_text(make_committee):
    committee = make_committee("P")
    resolution = resolution_create(committee=committee, number="01-NQ/ĐH")
    texts = ['=HYPERLINK("http://x")', "+84 912", "-5% so với 2020", "@SUM(A1)", "=1+1"]
    for n, text in enumerate(texts, 1):
        indicator_create(resolution=resolution, number=str(n), text=text, target=text, status=Status.ACHIEVED)
    data = workbook_export(committee=committee)
    ws = load(data)["Chỉ tiêu"]
    for row in ws.iter_rows(min_row=2):
        text_cell = row[4]
        assert text_cell.data_type == "s", text_cell.value
        assert text_cell.value in texts
        assert text_cell.quotePrefix
    # and the raw sheet XML holds no formula at all
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all(b"<f>" not in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


_years = itertools.count(2100, 10)
plain_text = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


def _as_stored(text: str) -> bool:
    """Text the form or an import would store unchanged ('00' would be stored as '0')."""
    try:
        return stored_amount(text) == text
    except ValueError:
        return False


amount = st.one_of(
    st.just(""),
    plain_text.filter(_as_stored),
    st.decimals(min_value=0, max_value=10**6, places=2).map(lambda d: format(d, "f").replace(".", ",")),
    st.sampled_from(["=1+1", "+84 xã", "-3,5", "-", "@x", "≥ 95"]),  # numbers as stored: normalised
)
results_over_time = st.tuples(
    amount,  # baseline
    st.dictionaries(st.integers(1, 5), st.tuples(amount, st.booleans()), max_size=5),  # years after the first
    amount,  # forecast
    st.sampled_from(list(Measure)),
    st.sampled_from(list(Direction)),
)
indicator_rows = st.lists(
    st.tuples(
        plain_text,
        st.sampled_from(["", "economy", "environment", "party_building"]),
        amount,
        amount,
        st.sampled_from(list(Status)),
        st.one_of(st.just(""), plain_text),
        st.sampled_from(["congress", "thematic"]),
        results_over_time,
    ),
    min_size=1,
    max_size=6,
)


def _without_results(data: bytes) -> bytes:
    """The workbook as one made before the results over time: their columns deleted."""
    wb = load(data)
    ws = wb["Chỉ tiêu"]
    ws.delete_cols(len(INDICATOR_COLUMNS) + 1, ws.max_column)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=indicator_rows, child_name=plain_text)
def test_export_import_export_gives_identical_sheets(db, rows, child_name):
    year = next(_years)
    term = term_get_or_create(code=f"{year}-{year + 5}")[0]
    top = committee_create(term=term, code="T", name="Tỉnh", level="province")
    child = committee_create(term=term, code="T-1", name=child_name, level="district", parent=top)
    for n, (text, field, target, value, status, note, kind, over_time) in enumerate(rows, 1):
        baseline, years, forecast, measure, direction = over_time
        resolution = resolution_create(committee=child if n % 2 else top, number=f"{n}-NQ", kind=kind)
        indicator_create(
            resolution=resolution,
            number=f"{n}.{n}",
            text=text,
            field=field,
            target=target,
            value=value,
            status=status,
            note=note,
            measure=measure,
            direction=direction,
            results=Results.build(
                baseline=baseline, years={year + k: v for k, v in years.items()}, forecast=forecast
            ),
        )
    first = workbook_export(committee=top)
    # Into the same term: the results over time come back exactly, nothing changes.
    history = AssessmentChange.objects.count()  # examples share the database
    same = workbook_import(data=first, term_code=term.code, by=None)
    assert same.ok and not same.changes_anything, (same.errors, same.summary())
    assert values(load(workbook_export(committee=top))["Chỉ tiêu"]) == values(load(first)["Chỉ tiêu"])
    assert AssessmentChange.objects.count() == history

    # Into another term (whose years the yearly columns are not): as a workbook without them.
    copy = f"{year + 1}-{year + 6}"
    result = workbook_import(data=_without_results(first), term_code=copy, by=None)
    assert result.ok, result.errors

    second = workbook_export(committee=Committee.objects.get(term__code=copy, code="T"))
    a, b = load(first), load(second)
    assert values(a["Đơn vị"]) == values(b["Đơn vị"])
    base = len(INDICATOR_COLUMNS)
    assert [r[:base] for r in values(a["Chỉ tiêu"])] == [r[:base] for r in values(b["Chỉ tiêu"])]
    again = workbook_import(data=second, term_code=copy, by=None)
    assert again.ok and not again.changes_anything
