"""The assessment form's results over time: yearly values, forecast, and the suggested status."""

import pytest
from django.urls import reverse

from indicators.models import Assessment, AssessmentChange, Measure, Status
from indicators.results import Results
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from reviews.forms.assess import digest

YEARS = range(2021, 2026)


@pytest.fixture
def commune(make_committee):
    committee = make_committee("X")
    resolution = resolution_create(committee=committee, number="01-NQ/ĐH")
    indicator_create(
        resolution=resolution, number="1", text="Tăng trưởng bình quân", unit="%", target="6,5",
        measure=Measure.AVERAGE, status=Status.HARD, note="Do dịch bệnh",
    )  # fmt: skip
    indicator_create(
        resolution=resolution, number="2", text="Trồng rừng", target="100", measure=Measure.CUMULATIVE
    )
    return committee


@pytest.fixture
def client_(client, commune, make_user):
    client.force_login(make_user("bithu", commune, "secretary"))
    return client


@pytest.fixture
def url(commune):
    return reverse("assess", args=[commune.code]) + "?term=2020-2025"


def page_data(committee, changes=None):
    """The POST of the page as shown (results fields included), with `changes` {number: {...}}."""
    data = {}
    for a in Assessment.objects.filter(indicator__resolution__committee=committee).select_related(
        "indicator"
    ):
        p = f"i{a.indicator_id}-"
        stored = Results.of(a)
        row = {"status": a.status, "value": a.value, "note": a.note, "baseline": stored.baseline}
        row["forecast"] = stored.forecast
        for year in YEARS:
            shown = stored.value_of(year)
            row[f"y{year}"] = shown.value if shown else ""
            if shown and shown.estimate:
                row[f"e{year}"] = "on"
        row.update((changes or {}).get(a.indicator.number, {}))
        data.update({p + k: v for k, v in row.items() if v is not None})
        data[p + "version"] = str(a.version)
        data[p + "orig"] = digest(a.status, a.value, a.note, stored)
    return data


def stored(commune, number) -> Assessment:
    return Assessment.objects.get(indicator__resolution__committee=commune, indicator__number=number)


@pytest.mark.django_db
class TestResultsInTheForm:
    def test_years_and_forecast_are_saved_as_typed_with_the_suggestion(self, client_, commune, url):
        changes = {"2": {"status": "achieved", "y2021": "18.5", "y2022": "22", "y2023": "20", "e2023": "on"}}
        response = client_.post(url, page_data(commune, changes))
        assert response.status_code == 302, response.content.decode()[:2000]
        a = stored(commune, "2")
        assert a.years == {
            "2021": {"value": "18,5", "estimate": False},
            "2022": {"value": "22", "estimate": False},
            "2023": {"value": "20", "estimate": True},
        }
        # 18,5 + 22 + 20 = 60,5 and two more years at their mean 20,17: 100,83 of 100.
        assert a.suggested_status == Status.ACHIEVED and not a.disagrees
        change = AssessmentChange.objects.get(assessment=a)
        assert change.new_results["years"]["2023"] == {"value": "20", "estimate": True}

    def test_a_status_the_numbers_do_not_support_needs_a_note(self, client_, commune, url):
        changes = {"2": {"status": "achieved", "y2021": "5", "y2022": "6"}}  # 27,5 of 100: not achieved
        response = client_.post(url, page_data(commune, changes))
        assert response.status_code == 400
        html = response.content.decode()
        assert "Chỉ tiêu 2: số liệu gợi ý “Không đạt” nhưng đánh giá là “Đạt và vượt”" in html
        assert 'value="5"' in html  # what was typed stays on the page
        assert stored(commune, "2").years == {}
        changes["2"]["note"] = "Hai năm cuối có dự án trồng rừng lớn."
        assert client_.post(url, page_data(commune, changes)).status_code == 302
        assert stored(commune, "2").disagrees

    def test_a_page_refused_shows_the_suggestion_of_the_numbers_just_typed(self, client_, commune, url):
        """The row's summary and the error name the same suggestion, not the one stored before."""
        client_.post(url, page_data(commune, {"2": {"status": "achieved", "y2021": "50", "y2022": "50"}}))
        assert stored(commune, "2").suggested_status == Status.ACHIEVED
        changes = {"2": {"y2021": "5", "y2022": "6"}}  # 27,5 of 100: not achieved, status still achieved
        html = client_.post(url, page_data(commune, changes)).content.decode()
        assert "số liệu gợi ý “Không đạt” nhưng đánh giá là “Đạt và vượt”" in html
        row = html[html.index(f'id="row-{stored(commune, "2").indicator_id}"') :]
        summary = row[row.index("<summary>") : row.index("</summary>")]
        assert 'Gợi ý: <span class="status status-not_achieved">Không đạt</span>' in summary
        assert "cần giải trình" in summary

    def test_changing_numbers_under_an_unchanged_status_asks_for_the_explanation_too(
        self, client_, commune, url
    ):
        # Indicator 1 is "hard" with a note; typed years that suggest "not achieved" keep its note valid.
        changes = {"1": {"y2021": "4,1", "y2022": "4,5"}}
        assert client_.post(url, page_data(commune, changes)).status_code == 302
        assert stored(commune, "1").disagrees
        assert stored(commune, "1").progress == 0.662

    def test_a_year_that_is_no_number_is_refused_naming_the_year(self, client_, commune, url):
        response = client_.post(url, page_data(commune, {"2": {"y2022": "6,,5"}}))
        assert response.status_code == 400
        assert "Chỉ tiêu 2, Năm 2022: “6,,5” không phải là số hợp lệ" in response.content.decode()

    def test_results_shown_and_not_changed_leave_the_row_untouched(self, client_, commune, url):
        client_.post(url, page_data(commune, {"2": {"y2021": "20", "y2022": "20", "note": "x"}}))
        before = AssessmentChange.objects.count()
        response = client_.post(url, page_data(commune))
        assert response.status_code == 302
        assert AssessmentChange.objects.count() == before

    def test_clearing_a_year_removes_it(self, client_, commune, url):
        client_.post(url, page_data(commune, {"2": {"y2021": "20", "y2022": "20"}}))
        client_.post(url, page_data(commune, {"2": {"y2022": ""}}))
        assert stored(commune, "2").years == {"2021": {"value": "20", "estimate": False}}

    def test_a_page_without_the_results_fields_never_clears_them(self, client_, commune, url):
        client_.post(url, page_data(commune, {"2": {"y2021": "20", "y2022": "20"}}))
        data = {k: v for k, v in page_data(commune).items() if k.split("-")[1][0] not in "bfye"}
        a = stored(commune, "2")
        data[f"i{a.indicator_id}-orig"] = digest(a.status, a.value, a.note)
        data[f"i{a.indicator_id}-status"] = "hard"
        data[f"i{a.indicator_id}-note"] = "Chậm"
        assert client_.post(url, data).status_code == 302
        assert stored(commune, "2").years == a.years

    def test_the_form_shows_the_year_fields_and_the_suggestion(self, client_, commune, url):
        client_.post(url, page_data(commune, {"1": {"y2021": "4,1", "y2022": "4,5"}}))
        html = client_.get(url).content.decode()
        a = stored(commune, "1")
        for year in YEARS:
            assert f'name="i{a.indicator_id}-y{year}"' in html
        assert f'name="i{a.indicator_id}-baseline"' in html and f'name="i{a.indicator_id}-forecast"' in html
        assert "Gợi ý" in html and "Không đạt" in html


@pytest.mark.django_db
class TestUnitsTypedIntoANumber:
    """ "17 tiêu chí" as a forecast was stored as text and printed in the annex (issue 25)."""

    def test_the_indicators_own_unit_is_taken_off_with_a_hint(self, client_, commune, url):
        resolution = stored(commune, "1").indicator.resolution
        indicator_create(
            resolution=resolution, number="3", text="Xã nông thôn mới", unit="tiêu chí", target="19"
        )
        changes = {
            "1": {"forecast": "6,8 %", "value": "6,1%"},
            "3": {
                "status": "hard",
                "note": "Còn 2 tiêu chí",
                "forecast": "17 tiêu chí",
                "y2021": "15 Tiêu  chí",
            },
        }
        response = client_.post(url, page_data(commune, changes), follow=True)
        assert response.status_code == 200
        assert (stored(commune, "3").forecast, stored(commune, "3").years["2021"]["value"]) == ("17", "15")
        assert (stored(commune, "1").forecast, stored(commune, "1").value) == ("6,8", "6,1")
        page = response.content.decode()
        assert "Đã bỏ đơn vị gõ sau số" in page and "Chỉ tiêu 3, Dự báo cuối kỳ (2025)" in page

    def test_a_number_with_other_words_is_refused_saying_what_to_write(self, client_, commune, url):
        response = client_.post(url, page_data(commune, {"2": {"forecast": "17 tiêu chí"}}))
        assert response.status_code == 400
        assert (
            "Chỉ tiêu 2, Dự báo cuối kỳ (2025): “17 tiêu chí”: chỉ ghi số, không ghi đơn vị."
            in response.content.decode()
        )
        assert stored(commune, "2").forecast == ""


@pytest.mark.django_db
class TestExplainedOnTheCard:
    """A disagreement its note explains reads "đã giải trình" on the card, as on the dashboard;
    "cần giải trình" is kept for the one still without a note."""

    def summary_of(self, html, commune, number):
        row = html[html.index(f'id="row-{stored(commune, number).indicator_id}"') :]
        return row[row.index("<summary>") : row.index("</summary>")]

    def test_the_page_as_stored_says_explained_once_a_note_explains(self, client_, commune, url):
        changes = {"2": {"status": "achieved", "y2021": "5", "y2022": "6", "note": "Dự án lớn cuối kỳ."}}
        assert client_.post(url, page_data(commune, changes)).status_code == 302
        summary = self.summary_of(client_.get(url).content.decode(), commune, "2")
        assert "đã giải trình" in summary and "cần giải trình" not in summary

    def test_a_page_refused_says_explained_for_the_note_just_typed(self, client_, commune, url):
        changes = {
            "1": {"value": "x" * 300},  # an error elsewhere sends the page back
            "2": {"status": "achieved", "y2021": "5", "y2022": "6", "note": "Dự án lớn cuối kỳ."},
        }
        response = client_.post(url, page_data(commune, changes))
        assert response.status_code == 400
        summary = self.summary_of(response.content.decode(), commune, "2")
        assert "đã giải trình" in summary and "cần giải trình" not in summary
