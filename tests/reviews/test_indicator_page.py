"""The indicator's page: its yearly values and suggestion, and every change ever recorded about it,
judgements and content alike, read as lines (#25 "History shows everything that changed")."""

import pytest
from django.urls import reverse

from indicators.models import Assessment, ChangeSource, Indicator
from indicators.results import Results
from indicators.services.assessments import AssessmentEdit, assessments_update
from indicators.services.indicators import indicator_update


@pytest.fixture
def commune(tree):
    return tree["P-D1-C1"]


@pytest.fixture
def viewer(commune, make_user):
    return make_user("xem", commune, "viewer")


def _page(client, indicator):
    return client.get(
        reverse("indicator_detail", args=[indicator.resolution.committee.code, indicator.pk])
        + "?term=2020-2025"
    )


def _with_results(assessment, *, years, forecast="", by=None):
    results = Results.build(baseline="10", years=years, forecast=forecast)
    assessments_update(
        edits=[AssessmentEdit(assessment.pk, assessment.status, note=assessment.note, results=results)], by=by
    )


def test_a_change_of_yearly_values_and_forecast_is_shown_not_called_unchanged(client, commune, viewer):
    indicator = Indicator.objects.get(resolution__committee=commune, number="1")
    indicator_update(indicator=indicator, number="1", text=indicator.text, field="economy", target="20")
    a = Assessment.objects.get(indicator=indicator)
    _with_results(a, years={2021: ("12", False), 2022: ("14,5", True)}, forecast="19", by=viewer)
    client.force_login(viewer)
    page = _page(client, indicator).content.decode()
    assert "Năm 2022: — → <ins>14,5 (ước)</ins>" in page
    assert "Dự báo cuối kỳ: — → <ins>19</ins>" in page
    # …and on the page's facts: the values themselves and what they suggest.
    assert "Năm 2022: 14,5 (ước)" in page
    assert "Gợi ý theo số liệu" in page
    # r, as a percent of the target reached (never the fraction printed with a % sign).
    share = Assessment.objects.get(indicator=indicator).progress
    assert f"tiến độ {share * 100:.1f}%".replace(".", ",") in page and share > 0.5


def test_a_target_changed_by_staff_is_on_the_indicator_page(client, commune, viewer, make_user):
    indicator = Indicator.objects.get(resolution__committee=commune, number="2")
    staff = make_user("vanphong", is_staff=True)
    indicator_update(
        indicator=indicator,
        number="2",
        text=indicator.text,
        field="economy",
        target="2",
        by=staff,
        source=ChangeSource.SYSTEM,
    )
    client.force_login(viewer)
    page = _page(client, indicator).content.decode()
    assert "Lịch sử nội dung chỉ tiêu" in page
    assert "Mục tiêu: — → <ins>2</ins>" in page
    assert "{&quot;" not in page  # never raw JSON


def test_the_page_reads_in_constant_queries_however_long_the_history(client, commune, viewer):
    indicator = Indicator.objects.get(resolution__committee=commune, number="1")
    client.force_login(viewer)
    _with_results(Assessment.objects.get(indicator=indicator), years={2021: ("1", False)})
    _page(client, indicator)  # the session and the caches warm
    few = _count(client, indicator)
    for n in range(2, 7):
        indicator_update(
            indicator=indicator, number="1", text=f"Chỉ tiêu {n}", field="economy", target=str(n)
        )
        _with_results(Assessment.objects.get(indicator=indicator), years={2021: (str(n), False)})
    assert _count(client, indicator) == few
    assert _page(client, indicator).content.decode().count("<ins>") > 10


def _count(client, indicator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert _page(client, indicator).status_code == 200
    return len(ctx.captured_queries)


def test_both_histories_say_when_who_and_through_what(client, commune, viewer, make_user):
    indicator = Indicator.objects.get(resolution__committee=commune, number="3")
    staff = make_user("vanphong", is_staff=True)
    indicator_update(
        indicator=indicator, number="3", text=indicator.text, field="economy", target="7", by=staff
    )
    _with_results(Assessment.objects.get(indicator=indicator), years={2021: ("1", False)}, by=viewer)
    client.force_login(viewer)
    page = _page(client, indicator).content.decode()
    judgements, content = page.split('id="content-history"')
    assert judgements.count('<th scope="col">Người thay đổi</th>') == 1
    assert content.count('<th scope="col">Người thay đổi</th>') == 1
    assert "Người thay đổi: </span>xem</td>" in judgements
    assert "Người thay đổi: </span>vanphong</td>" in content
    for table in (judgements, content):
        rows = table.count("<tr>") - 1  # the heading's row
        assert rows >= 1
        assert table.count("Thời điểm: </span>") == table.count("Nguồn: </span>") == rows


def test_a_disagreement_its_note_explains_reads_explained_not_needing_explanation(client, commune, viewer):
    """The dashboard and the card say "đã giải trình" once a note gives the reason; the indicator
    page said "khác đánh giá của đơn vị" in the warning's bold either way (#25 walk)."""
    indicator = Indicator.objects.get(resolution__committee=commune, number="1")
    disagreeing = Assessment.objects.filter(indicator=indicator)
    disagreeing.update(status="achieved", suggested_status="hard", note="")
    client.force_login(viewer)
    page = _page(client, indicator).content.decode()
    assert '<strong class="needs-explanation">khác đánh giá của đơn vị, cần giải trình</strong>' in page
    disagreeing.update(note="Số liệu năm 2023 chưa cập nhật.")
    page = _page(client, indicator).content.decode()
    assert 'khác đánh giá của đơn vị, <span class="explained">đã giải trình</span>' in page
    assert "cần giải trình" not in page
