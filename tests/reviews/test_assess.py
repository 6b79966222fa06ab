"""The assessment form: validation, no lost update, history, one transaction, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Assessment, AssessmentChange, Committee, Status
from indicators.tally import Tally
from indicators.values import stored_amount
from reviews.forms.assess import digest
from reviews.models import Review, ReviewState


@pytest.fixture
def commune(tree):
    return tree["P-D1-C1"]


@pytest.fixture
def secretary(commune, make_user):
    return make_user("bithu", commune, "secretary")


@pytest.fixture
def url(commune):
    return reverse("assess", args=[commune.code]) + "?term=2020-2025"


def form_data(committee, changes=None):
    """The POST a browser sends for the page as shown, with `changes` {indicator number: {...}}."""
    data = {}
    for a in Assessment.objects.filter(indicator__resolution__committee=committee).select_related(
        "indicator"
    ):
        p = f"i{a.indicator_id}-"
        row = {"status": a.status, "value": a.value, "note": a.note}
        row.update((changes or {}).get(a.indicator.number, {}))
        data.update({p + k: v for k, v in row.items()})
        data[p + "version"] = str(a.version)
        data[p + "orig"] = digest(a.status, a.value, a.note)
    return data


def test_secretary_saves_a_change_and_sees_the_new_tally(client, commune, secretary, url):
    client.force_login(secretary)
    response = client.post(url, form_data(commune, {"3": {"status": "achieved", "value": "6.5"}}))
    a = Assessment.objects.get(indicator__resolution__committee=commune, indicator__number="3")
    # Back to the card just saved, not the top of the page.
    assert response.status_code == 302 and response["Location"] == f"{url}#row-{a.indicator_id}"
    commune.refresh_from_db()
    assert Tally.of_committee(commune) == Tally(achieved=3)
    a.refresh_from_db()
    assert (a.status, a.value, a.updated_by, a.version) == ("achieved", "6,5", secretary, 1)
    page = client.get(url).content.decode()
    assert "Đã lưu 1 chỉ tiêu." in page
    assert "3/3 chỉ tiêu có khả năng đạt và vượt" in page


def test_hard_status_without_note_is_refused_naming_the_indicator_and_keeps_input(
    client, commune, secretary, url
):
    client.force_login(secretary)
    before = list(Assessment.objects.order_by("pk").values_list("status", "value", "note", "version"))
    data = form_data(commune, {"1": {"status": "hard", "note": "  ", "value": "12,7"}, "2": {"value": "41"}})
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chỉ tiêu 1: đánh giá “Khó đạt” cần ghi chú nêu lý do." in page
    assert 'value="12,7"' in page  # what the user typed is still there
    assert 'aria-describedby="id_i' in page
    assert list(Assessment.objects.order_by("pk").values_list("status", "value", "note", "version")) == before
    assert not AssessmentChange.objects.exists()  # the valid row 2 was not saved either


def test_number_like_value_that_is_not_a_number_is_refused(client, commune, secretary, url):
    client.force_login(secretary)
    response = client.post(url, form_data(commune, {"2": {"value": "6,5,3"}}))
    assert response.status_code == 400
    assert "Chỉ tiêu 2: “6,5,3” không phải là số hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("6,5", "6,5"),
        ("6.5", "6,5"),
        (" 1,234.5 ", "1234,5"),
        ("3.500", "3500"),
        ("≥ 95%", "≥ 95%"),
        ("", ""),
    ],
)
def test_values_are_stored_in_vietnamese_notation(typed, stored):
    assert stored_amount(typed) == stored


def test_untouched_rows_are_not_saved_even_if_stored_data_would_not_validate(client, commune, secretary, url):
    a = Assessment.objects.get(indicator__resolution__committee=commune, indicator__number="3")
    Assessment.objects.filter(pk=a.pk).update(note="")  # an imported "hard" row without a note
    client.force_login(secretary)
    response = client.post(url, form_data(commune, {"1": {"note": "Tốt"}}))
    assert response.status_code == 302
    assert AssessmentChange.objects.count() == 1


def test_second_writer_is_refused_with_who_changed_what_and_keeps_input(
    client, commune, secretary, url, make_user
):
    colleague = make_user("pho.bithu", commune, "secretary")
    stale = form_data(commune)  # both open the page
    client.force_login(colleague)
    client.post(url, {**stale, **_row(commune, "1", status="not_achieved", note="Thiếu vốn")})
    client.force_login(secretary)
    response = client.post(url, {**stale, **_row(commune, "1", status="achieved", value="99")})
    assert response.status_code == 409
    page = response.content.decode()
    assert "pho.bithu" in page and "Thiếu vốn" in page and "Không đạt" in page
    assert 'value="99"' in page  # the refused input is kept
    a = Assessment.objects.get(indicator__resolution__committee=commune, indicator__number="1")
    assert (a.status, a.note, a.updated_by) == ("not_achieved", "Thiếu vốn", colleague)
    assert AssessmentChange.objects.count() == 1
    # Saving again from the conflict page is a deliberate overwrite, with the colleague's change seen.
    again = _resubmit(page)
    response = client.post(url, again)
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.value, a.updated_by) == ("achieved", "99", secretary)


def test_untouched_stale_row_never_overwrites_a_colleagues_save(client, commune, secretary, url, make_user):
    colleague = make_user("pho.bithu", commune, "secretary")
    stale = form_data(commune)
    client.force_login(colleague)
    client.post(url, {**stale, **_row(commune, "1", status="not_achieved", note="Thiếu vốn")})
    client.force_login(secretary)
    response = client.post(url, {**stale, **_row(commune, "2", value="5")})  # row 1 untouched
    assert response.status_code == 302
    a = Assessment.objects.get(indicator__resolution__committee=commune, indicator__number="1")
    assert a.status == "not_achieved"


def test_history_row_records_who_old_and_new_and_is_shown_on_the_indicator_page(
    client, commune, secretary, url
):
    client.force_login(secretary)
    client.post(url, form_data(commune, {"3": {"status": "not_achieved", "note": "Thiếu đất"}}))
    change = AssessmentChange.objects.get()
    assert (change.changed_by, change.old_status, change.new_status, change.old_note, change.new_note) == (
        secretary,
        "hard",
        "not_achieved",
        "Lý do",
        "Thiếu đất",
    )
    page = client.get(
        reverse("indicator_detail", args=[commune.code, change.assessment.indicator_id]) + "?term=2020-2025"
    ).content.decode()
    assert "bithu" in page and "Thiếu đất" in page and "Lý do" in page


def test_forged_post_on_a_submitted_review_changes_nothing(client, commune, secretary, url):
    Review.objects.create(committee=commune, state=ReviewState.SUBMITTED)
    client.force_login(secretary)
    response = client.post(url, form_data(commune, {"1": {"status": "hard", "note": "x"}}))
    assert response.status_code == 302
    assert not AssessmentChange.objects.exists()
    assert "không thể sửa" in client.get(url).content.decode()


def test_crlf_from_a_textarea_is_not_a_change(client, commune, secretary, url):
    Assessment.objects.filter(indicator__resolution__committee=commune).update(note="dòng 1\ndòng 2")
    client.force_login(secretary)
    data = form_data(commune)
    for key in data:
        if key.endswith("-note"):
            data[key] = data[key].replace("\n", "\r\n")
    response = client.post(url, data)
    assert response.status_code == 302
    assert not AssessmentChange.objects.exists()


@pytest.mark.parametrize("n", [66, 200])
def test_form_renders_in_constant_queries(
    client, make_committee, make_indicators, make_user, n, django_assert_num_queries
):
    commune = make_committee("X")
    make_indicators(commune, ["achieved", "hard", "not_assessed"] * (n // 3) + ["achieved"] * (n % 3))
    make_indicators(commune, ["not_assessed"] * 3, number="02-NQ/CĐ", kind="thematic")
    client.force_login(make_user("sec", commune, "secretary"))
    url = reverse("assess", args=["X"]) + "?term=2020-2025"
    # session, user, the committee with its term, roles, review, indicators, the header's unread
    # count (the panel's checklist judges the indicators read)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    # One group of status choices per indicator, all in the page (folded fields included).
    assert response.content.decode().count('type="radio" name="i') == 5 * (n + 3)


def test_saving_66_rows_is_one_transaction(client, make_committee, make_indicators, make_user):
    commune = make_committee("X")
    make_indicators(commune, ["not_assessed"] * 66)
    client.force_login(make_user("sec", commune, "secretary"))
    url = reverse("assess", args=["X"]) + "?term=2020-2025"
    changes = {str(i): {"status": "achieved", "value": f"{i},5"} for i in range(1, 67)}
    data = form_data(commune, changes)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    assert response.status_code == 302
    sql = [q["sql"].upper() for q in ctx.captured_queries]
    # The test runs inside a transaction, so the view's atomic block shows as its outermost
    # savepoint: every write of the save must lie between it and its release.
    first = next(i for i, s in enumerate(sql) if s.startswith("SAVEPOINT"))
    name = sql[first].split()[1]
    release = sql.index(f"RELEASE SAVEPOINT {name}")
    writes = [i for i, s in enumerate(sql) if s.startswith(("UPDATE", "INSERT", "DELETE"))]
    writes = [i for i in writes if "DJANGO_SESSION" not in sql[i]]
    assert writes and all(first < i < release for i in writes)
    assert len(sql) < 30  # bulk writes: the count does not grow with the 66 rows
    assert AssessmentChange.objects.count() == 66
    assert Tally.of_committee(Committee.objects.get(pk=commune.pk)) == Tally(achieved=66)


def _row(committee, number, **values):
    a = Assessment.objects.get(indicator__resolution__committee=committee, indicator__number=number)
    return {f"i{a.indicator_id}-{k}": v for k, v in values.items()}


def _resubmit(page: str) -> dict:
    """The fields a browser would post back from the rendered page (inputs, selects, textareas)."""
    import html
    import re

    data = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value and ('type="radio"' not in tag or re.search(r"\schecked[\s>]", tag)):
            data[name.group(1)] = html.unescape(value.group(1))
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        m = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = m.group(1) if m else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = html.unescape(body.removeprefix("\n"))
    data.pop("csrfmiddlewaretoken", None)
    return data


@pytest.mark.parametrize("status", [Status.HARD, Status.NOT_ACHIEVED, Status.NOT_ASSESSABLE])
def test_statuses_needing_a_note_are_saved_with_one(client, commune, secretary, url, status):
    client.force_login(secretary)
    response = client.post(url, form_data(commune, {"1": {"status": status, "note": "Vì mưa lũ"}}))
    assert response.status_code == 302
    saved = Assessment.objects.get(indicator__resolution__committee=commune, indicator__number="1")
    assert (saved.status, saved.note, saved.version, saved.updated_by) == (status, "Vì mưa lũ", 1, secretary)
    change = AssessmentChange.objects.get(assessment=saved)
    assert (change.old_status, change.new_status, change.new_note) == (Status.ACHIEVED, status, "Vì mưa lũ")


@pytest.mark.parametrize("status", [Status.HARD, Status.NOT_ACHIEVED])
def test_statuses_needing_a_note_are_refused_without_one(client, commune, secretary, url, status):
    client.force_login(secretary)
    response = client.post(url, form_data(commune, {"1": {"status": status, "note": " "}}))
    assert response.status_code == 400
    label = Status(status).label
    assert f"Chỉ tiêu 1: đánh giá “{label}” cần ghi chú nêu lý do." in response.content.decode()
    saved = Assessment.objects.get(indicator__resolution__committee=commune, indicator__number="1")
    assert (saved.status, saved.version) == (Status.ACHIEVED, 0)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_one_wins_one_is_refused(make_committee, make_indicators, make_user):
    """Real concurrency, two connections at once (PostgreSQL; SQLite's in-memory test DB can't)."""
    import threading

    from django.db import connections

    from indicators.services.assessments import AssessmentConflict, AssessmentEdit
    from reviews.services import review_assess

    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent connections (run with DATABASE_URL=postgres://…)")
    commune = make_committee("X")
    (indicator,) = make_indicators(commune, ["not_assessed"])
    users = [make_user("a", commune, "secretary"), make_user("b", commune, "secretary")]
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, status):
        try:
            barrier.wait()
            edit = AssessmentEdit(
                assessment_id=indicator.assessment.pk, status=status, note="x", expected_version=0
            )
            review_assess(committee=commune, edits=[edit], by=user, source="form")
            outcomes.append("saved")
        except AssessmentConflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(users[0], "hard")),
        threading.Thread(target=save, args=(users[1], "achieved")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert AssessmentChange.objects.count() == 1
    assert Assessment.objects.get(pk=indicator.assessment.pk).version == 1


def test_a_sent_review_is_a_view_titled_and_worded_as_one(client, commune, secretary, url):
    client.force_login(secretary)
    page = client.get(url).content.decode()
    assert "<h1>Nhập đánh giá chỉ tiêu giữa nhiệm kỳ</h1>" in page and "hãy ghi chú" in page
    Review.objects.create(committee=commune, state=ReviewState.SUBMITTED)
    page = client.get(url).content.decode()
    assert "<title>Xem đánh giá — đã gửi, chỉ xem" in page
    assert "<h1>Xem đánh giá — đã gửi, chỉ xem</h1>" in page
    assert "Nhập đánh giá" not in page and "hãy ghi chú" not in page


def test_a_long_form_opens_the_fields_with_work_left_and_folds_the_complete_ones(
    client, make_committee, make_indicators, make_user
):
    from indicators.models import Indicator
    from indicators.services.indicators import indicator_update

    commune = make_committee("X")
    make_indicators(commune, ["achieved"] * 31)  # every one "economy": one field, complete
    todo = Indicator.objects.get(resolution__committee=commune, number="31")
    indicator_update(indicator=todo, number="31", text=todo.text, field="environment")
    a = todo.assessments.get(stage="mid")
    from tests.conftest import assess_one

    assess_one(assessment=a, status="not_assessed")
    client.force_login(make_user("sec", commune, "secretary"))
    html = client.get(reverse("assess", args=["X"]) + "?term=2020-2025").content.decode()
    res = Indicator.objects.get(pk=todo.pk).resolution_id
    assert f'<details class="assess-field" id="field-{res}-economy">' in html  # complete: folded
    assert f'<details class="assess-field" id="field-{res}-environment" open>' in html  # work left
