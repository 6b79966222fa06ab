"""The workbook at the end of a term (spec/workbook.md, `Giai đoạn`): the end export, and end rows
read back into the end review through the service its page saves with."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Assessment, AssessmentChange, Committee, CommitteePredecessor, Stage, Status
from indicators.services.assessments import stage_open
from indicators.services.committees import committee_create
from indicators.services.terms import term_get_or_create
from indicators.tally import Tally
from reviews.models import Review, ReviewState
from reviews.workbook.exporter import workbook_export
from reviews.workbook.services import workbook_import
from tests.conftest import assess_one

from .workbook_files import INDICATOR_HEADER, indicator, xlsx

TERM = "2020-2025"


def _sheet(data: bytes, name="Chỉ tiêu"):
    return load_workbook(io.BytesIO(data))[name]


def _edit(data: bytes, changes: dict[str, dict[str, str]]) -> bytes:
    """The exported file with cells changed: {STT: {column title: value}}."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for title, value in changes.get(str(row[header.index("STT")].value), {}).items():
            row[header.index(title)].value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _judgements(committee, stage):
    return sorted(
        Assessment.objects.filter(indicator__resolution__committee=committee, stage=stage).values_list(
            "indicator__number", "status", "value", "note", "version"
        )
    )


@pytest.fixture
def commune(tree):
    stage_open(committee=tree["P"], stage=Stage.END)
    return Committee.objects.select_related("term").get(pk=tree["P-D1-C1"].pk)


@pytest.fixture
def secretary(commune, make_user):
    return make_user("bithu", commune, "secretary")


@pytest.fixture
def successor_secretary(commune, make_user):
    """The secretary of the next term's committee that continues `commune`."""
    new_term, _created = term_get_or_create(code="2025-2030")
    new = committee_create(term=new_term, code="N", name="Đảng bộ xã mới", level="commune")
    CommitteePredecessor.objects.create(committee=new, predecessor=commune)
    return make_user("bithu-moi", new, "secretary")


@pytest.mark.django_db
class TestEndExport:
    def test_the_end_export_carries_the_end_judgements_and_names_the_stage(self, commune):
        end = Assessment.objects.get(
            indicator__resolution__committee=commune, indicator__number="1", stage="end"
        )
        assess_one(assessment=end, status=Status.NOT_ACHIEVED, value="9", note="Chưa đạt")
        sheet = _sheet(workbook_export(committee=commune, stage=Stage.END))
        header = [c.value for c in sheet[1]]
        rows = {r[header.index("STT")].value: r for r in sheet.iter_rows(min_row=2)}
        assert header[-1] == "Giai đoạn" and list(rows) == ["1", "2", "3"]
        assert {r[header.index("Giai đoạn")].value for r in rows.values()} == {"cuối kỳ"}
        status, value, note = (header.index(t) for t in ("Đánh giá", "Thực hiện cuối nhiệm kỳ", "Ghi chú"))
        assert (rows["1"][status].value, rows["1"][value].value, rows["1"][note].value) == (
            "Không đạt",
            "9",
            "Chưa đạt",
        )
        assert rows["3"][status].value == "Chưa đánh giá"  # to judge again; mid says "Khó đạt"

    def test_the_end_stamps_name_the_end_assessments(self, commune):
        stamps = _sheet(workbook_export(committee=commune, stage=Stage.END), "Phiên bản xuất")
        rows = list(stamps.iter_rows(min_row=1, values_only=True))
        assert rows[0][-1] == "Giai đoạn"
        ends = dict(
            Assessment.objects.filter(indicator__resolution__committee=commune, stage="end").values_list(
                "indicator__number", "pk"
            )
        )
        assert {(r[2], r[3], r[6]) for r in rows[1:]} == {(n, pk, "end") for n, pk in ends.items()}

    def test_the_mid_export_is_as_before_opening_the_end(self, tree):
        committee = tree["P-D1-C1"]

        def values(data):
            return {
                name: [list(r) for r in _sheet(data, name).iter_rows(values_only=True)]
                for name in ("Đơn vị", "Chỉ tiêu", "Phiên bản xuất")
            }

        before = values(workbook_export(committee=committee))
        stage_open(committee=tree["P"], stage=Stage.END)
        after = values(workbook_export(committee=committee))
        assert after == before
        assert "Giai đoạn" not in after["Chỉ tiêu"][0] and len(after["Phiên bản xuất"][0]) == 6

    def test_an_end_not_opened_exports_no_rows_and_the_page_says_so(self, tree, client, make_user):
        committee = tree["P-D1-C1"]
        assert _sheet(workbook_export(committee=committee, stage=Stage.END)).max_row == 1
        client.force_login(make_user("bithu", committee, "secretary"))
        url = reverse("workbook_xlsx", args=[committee.code]) + f"?term={TERM}&stage=end"
        response = client.get(url, follow=True)
        assert response.redirect_chain and response.redirect_chain[0][1] == 302
        assert "chưa mở tổng kết nhiệm kỳ nên chưa có đánh giá cuối kỳ để xuất" in response.content.decode()

    def test_the_page_exports_the_end_once_it_is_open(self, commune, secretary, client):
        client.force_login(secretary)
        url = reverse("workbook_xlsx", args=[commune.code]) + f"?term={TERM}&stage=end"
        response = client.get(url)
        assert response.status_code == 200 and "cuoi-ky" in response["Content-Disposition"]
        assert "Giai đoạn" in [c.value for c in _sheet(response.content)[1]]


@pytest.mark.django_db
class TestEndImport:
    def test_round_trip_writes_the_end_review_only_with_its_history_and_counters(self, commune, secretary):
        mid_before = _judgements(commune, Stage.MID)
        data = _edit(
            workbook_export(committee=commune, stage=Stage.END),
            {
                "1": {"Đánh giá": "Không đạt", "Ghi chú": "Thiếu vốn"},
                "2": {"Đánh giá": "Đạt và vượt"},
                "3": {"Đánh giá": "Đạt và vượt"},
            },
        )
        opened = AssessmentChange.objects.count()  # the history rows of opening the end review
        preview = workbook_import(data=data, term_code=TERM, by=secretary, dry_run=True)
        assert preview.ok, preview.errors
        assert "tổng kết nhiệm kỳ (dòng cuối kỳ): 3 đánh giá thay đổi" in preview.summary()
        result = workbook_import(data=data, term_code=TERM, by=secretary)
        assert result.ok and result.stored, result.errors
        assert _judgements(commune, Stage.MID) == mid_before
        assert [(n, s) for n, s, *_rest in _judgements(commune, Stage.END)] == [
            ("1", "not_achieved"),
            ("2", "achieved"),
            ("3", "achieved"),
        ]
        changes = AssessmentChange.objects.order_by("pk")[opened:]
        assert len(changes) == 3
        changes = AssessmentChange.objects.filter(pk__in=[c.pk for c in changes])
        assert sorted(changes.values_list("assessment__stage", "new_status")) == [
            ("end", "achieved"),
            ("end", "achieved"),
            ("end", "not_achieved"),
        ]
        assert set(changes.values_list("source", flat=True)) == {"import"}
        commune.refresh_from_db()
        assert Tally.of_committee(commune, Stage.END) == Tally(achieved=2, not_achieved=1)
        assert Tally.of_committee(commune) == Tally(achieved=2, hard=1)

    def test_hard_in_an_end_row_is_refused_naming_the_row(self, commune, secretary):
        data = _edit(
            workbook_export(committee=commune, stage=Stage.END),
            {"2": {"Đánh giá": "Khó đạt", "Ghi chú": "n"}},
        )
        opened = AssessmentChange.objects.count()
        result = workbook_import(data=data, term_code=TERM, by=secretary)
        assert [(e.row, e.message) for e in result.errors] == [
            (3, "Dòng 3: cuối kỳ không có đánh giá “khó đạt” (tổng kết nhiệm kỳ).")
        ]
        assert AssessmentChange.objects.count() == opened

    def test_an_end_row_of_an_indicator_whose_end_is_not_opened_is_refused(self, tree):
        committee = tree["P-D1-C1"]
        row = [*indicator(committee.code, "1", "Đạt và vượt", resolution="01-NQ/ĐH"), "cuối kỳ"]
        result = workbook_import(
            data=xlsx(None, [row], indicator_header=[*INDICATOR_HEADER, "Giai đoạn"]), term_code=TERM
        )
        assert len(result.errors) == 1 and result.errors[0].row == 2
        assert "chưa mở tổng kết nhiệm kỳ" in result.errors[0].message
        assert not Assessment.objects.filter(stage=Stage.END).exists()

    def test_a_stale_end_copy_is_refused_and_a_mid_save_does_not_make_it_stale(self, commune, secretary):
        data = _edit(workbook_export(committee=commune, stage=Stage.END), {"1": {"Đánh giá": "Đạt và vượt"}})
        mid = Assessment.objects.get(
            indicator__resolution__committee=commune, indicator__number="1", stage="mid"
        )
        assess_one(assessment=mid, status=Status.NOT_ACHIEVED, note="Mid", by=secretary)
        assert workbook_import(data=data, term_code=TERM, by=secretary, dry_run=True).ok
        end = Assessment.objects.get(
            indicator__resolution__committee=commune, indicator__number="1", stage="end"
        )
        assess_one(assessment=end, status=Status.NOT_ACHIEVED, note="Đã sửa trên trang", by=secretary)
        result = workbook_import(data=data, term_code=TERM, by=secretary)
        assert len(result.errors) == 1 and "sau khi tệp này được xuất" in result.errors[0].message
        end.refresh_from_db()
        assert end.status == Status.NOT_ACHIEVED

    def test_the_same_indicator_twice_at_a_stage_is_refused_but_mid_and_end_rows_go_together(self, commune):
        header = [*INDICATOR_HEADER, "Giai đoạn"]
        code = commune.code

        def row(status, stage, note=""):
            return [*indicator(code, "1", status, note=note, target="", unit=""), stage]

        twice = workbook_import(
            data=xlsx(
                None, [row("Đạt và vượt", "cuối kỳ"), row("Không đạt", "end", "n")], indicator_header=header
            ),
            term_code=TERM,
        )
        assert [(e.row, e.message) for e in twice.errors] == [
            (3, f"Chỉ tiêu số 1 của nghị quyết 01-NQ/ĐH ({code}) đã có dòng cuối kỳ ở dòng 2.")
        ]
        both = workbook_import(
            data=xlsx(
                None,
                [row("Không đạt", "giữa kỳ", "Mid"), row("Đạt và vượt", "cuối kỳ")],
                indicator_header=header,
            ),
            term_code=TERM,
        )
        assert both.ok, both.errors
        statuses = dict(
            Assessment.objects.filter(
                indicator__resolution__committee=commune, indicator__number="1"
            ).values_list("stage", "status")
        )
        assert statuses == {"mid": "not_achieved", "end": "achieved"}

    def test_an_end_row_may_not_change_the_indicator_itself(self, commune):
        data = _edit(workbook_export(committee=commune, stage=Stage.END), {"1": {"Mục tiêu": "99"}})
        result = workbook_import(data=data, term_code=TERM)
        assert [e.row for e in result.errors] == [2] and "sửa ở dòng giữa kỳ" in result.errors[0].message

    def test_the_successor_staff_import_the_end_rows_of_the_predecessor_but_not_its_mid_rows(
        self, commune, successor_secretary
    ):
        end = _edit(workbook_export(committee=commune, stage=Stage.END), {"1": {"Đánh giá": "Đạt và vượt"}})
        result = workbook_import(data=end, term_code=TERM, by=successor_secretary)
        assert result.ok and result.stored, result.errors
        assert ("1", "achieved") in [(n, s) for n, s, *_rest in _judgements(commune, Stage.END)]
        mid_before = _judgements(commune, Stage.MID)
        mid = _edit(workbook_export(committee=commune), {"3": {"Đánh giá": "Không đạt", "Ghi chú": "n"}})
        refused = workbook_import(data=mid, term_code=TERM, by=successor_secretary)
        assert [e.row for e in refused.errors] == [4]
        assert "chỉ được nhập đánh giá tổng kết nhiệm kỳ (dòng cuối kỳ)" in refused.errors[0].message
        assert _judgements(commune, Stage.MID) == mid_before


@pytest.mark.django_db
class TestEndLockAndCommand:
    def test_end_rows_wait_for_the_end_review_only_not_the_mid_terms(self, commune, secretary):
        data = _edit(workbook_export(committee=commune, stage=Stage.END), {"1": {"Đánh giá": "Đạt và vượt"}})
        Review.objects.create(committee=commune, stage=Stage.MID, state=ReviewState.SUBMITTED)
        assert workbook_import(data=data, term_code=TERM, by=secretary, dry_run=True).ok
        Review.objects.create(committee=commune, stage=Stage.END, state=ReviewState.SUBMITTED)
        result = workbook_import(data=data, term_code=TERM, by=secretary)
        assert [e.row for e in result.errors] == [2] and not result.stored

    def test_the_command_exports_the_end_or_says_it_is_not_open(self, tree, tmp_path):
        out = tmp_path / "end.xlsx"
        with pytest.raises(CommandError, match="not open"):
            call_command("export_workbook", "P-D1-C1", term=TERM, stage="end", output=str(out))
        stage_open(committee=tree["P"], stage=Stage.END)
        call_command(
            "export_workbook", "P-D1-C1", term=TERM, stage="end", output=str(out), stdout=io.StringIO()
        )
        assert [c.value for c in _sheet(out.read_bytes())[1]][-1] == "Giai đoạn"


@pytest.mark.django_db
def test_the_successor_secretary_uploads_the_predecessors_end_workbook_on_the_page(
    client, commune, successor_secretary
):
    client.force_login(successor_secretary)
    page = client.get(reverse("workbook_import")).content.decode()
    assert 'value="2020-2025"' in page and 'value="2025-2030"' in page
    data = _edit(workbook_export(committee=commune, stage=Stage.END), {"2": {"Đánh giá": "Đạt và vượt"}})
    response = client.post(
        reverse("workbook_import"),
        {"file": SimpleUploadedFile("cuoi-ky.xlsx", data), "term": TERM, "action": "import"},
    )
    assert response.status_code == 200 and "Đã nhập" in response.content.decode()
    assert ("2", "achieved") in [(n, s) for n, s, *_rest in _judgements(commune, Stage.END)]
