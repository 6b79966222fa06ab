"""The waiting page asks again after its render by key: a look costs one query of its own, not the
key's reads, and gives nothing the full path would not (access, a fresh file, a dead render)."""

import html
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Assessment, Role, Status
from reviews.models import Review
from reviews.report.models import RenderedReport, RenderError, RenderState
from tests.reviews.test_report_dead_worker import DATABASE_QUEUE, DIED, beat
from tests.reviews.test_report_serve import run_worker


@pytest.fixture
def queue(settings):
    """The database queue, no worker running: a render stays pending until run_worker()."""
    settings.TASKS = DATABASE_QUEUE
    settings.WORKER_DEAD_AFTER = 3600  # no heartbeat query within the test (a render just asked for)


def _url(committee, fmt="pdf", **extra):
    query = "&".join(f"{k}={v}" for k, v in {"term": committee.term.code, **extra}.items())
    return f"{reverse('report_' + fmt, args=[committee.code])}?{query}"


def _again(response) -> str:
    """The address the waiting page asks next (its meta refresh and its script's, the same)."""
    page = response.content.decode()
    found = re.search(r'data-again="([^"]+)"', page)
    assert found is not None, "the waiting page has no address to ask again"
    again = html.unescape(found[1])
    assert f'<meta http-equiv="refresh" content="3; url={html.escape(again)}">' in page
    return again


def _asked(client, committee, fmt="pdf") -> tuple[str, RenderedReport]:
    first = client.get(_url(committee, fmt))
    assert first.status_code == 202
    row = RenderedReport.objects.get(committee=committee, format=fmt)
    again = _again(first)
    assert again == _url(committee, fmt, render=row.key)
    return again, row


# session, user, roles, the committee with its term (committee_from_request: access checked on
# every look), the render by its key, the header's unread count. Without the key: 7 more (the
# review, its lessons and solutions, the size check, the committees, resolutions and indicators of
# the key).
POLL_QUERIES = 6


@pytest.mark.parametrize("n", [2, 40])
def test_a_look_at_a_pending_render_costs_the_same_few_queries_whatever_the_report(
    client, make_committee, make_indicators, make_user, queue, n, django_assert_num_queries
):
    province = make_committee("X")
    for i in range(n):
        make_indicators(make_committee(f"X-{i}", province), ["achieved", "hard"])
    make_indicators(province, ["achieved", "hard", "not_assessed"] * n)
    client.force_login(make_user("viewer", province))
    again, row = _asked(client, province)

    with django_assert_num_queries(POLL_QUERIES):
        response = client.get(again)

    assert response.status_code == 202
    assert _again(response) == again
    assert RenderedReport.objects.get() == row  # nothing new queued


def test_a_look_at_a_pending_render_does_not_compute_the_key(client, tree, make_user, queue):
    client.force_login(make_user("viewer", tree["P"]))
    again, _row = _asked(client, tree["P-D1"])
    with mock.patch("reviews.report.services.report_key", side_effect=AssertionError("key computed")):
        assert client.get(again).status_code == 202


def test_the_key_of_another_committees_render_is_not_taken(client, tree, make_user, queue):
    """A look at D1's report with D2's pending key gets D1's own render, never D2's."""
    client.force_login(make_user("viewer", tree["P"]))
    _again_d2, d2 = _asked(client, tree["P-D2"])

    response = client.get(_url(tree["P-D1"], render=d2.key))

    assert response.status_code == 202
    d1 = RenderedReport.objects.get(committee=tree["P-D1"])
    assert _again(response) == _url(tree["P-D1"], render=d1.key)
    run_worker()
    file = client.get(_url(tree["P-D1"], render=d2.key))
    assert file.status_code == 200
    assert file["Content-Disposition"].endswith('P-D1-2020-2025.pdf"')


@pytest.mark.parametrize(("fmt", "language"), [("docx", "vi"), ("pdf", "en")])
def test_the_key_of_the_same_committees_other_file_is_not_taken(
    client, tree, make_user, queue, fmt, language
):
    client.force_login(make_user("viewer", tree["P"]))
    _again_pdf, pdf = _asked(client, tree["P-D1"])
    client.cookies["django_language"] = language

    response = client.get(_url(tree["P-D1"], fmt, render=pdf.key))

    assert response.status_code == 202
    other = RenderedReport.objects.exclude(pk=pdf.pk).get()
    assert (other.format, other.language) == (fmt, language)
    assert _again(response) == _url(tree["P-D1"], fmt, render=other.key)


def test_access_is_checked_on_every_look(client, tree, make_user, queue):
    viewer = make_user("viewer", tree["P-D1"])
    client.force_login(viewer)
    again, _row = _asked(client, tree["P-D1-C1"])
    assert client.get(again).status_code == 202

    Role.objects.filter(user=viewer).delete()  # the role revoked: the next look is refused
    assert client.get(again).status_code == 404
    # Someone who never saw the committee gets nothing with the key either.
    client.force_login(make_user("stranger", tree["P-D2"]))
    assert client.get(again).status_code == 404


def test_a_render_whose_worker_died_is_reported_on_the_next_look(client, tree, make_user, queue, settings):
    settings.WORKER_DEAD_AFTER = 15
    commune = tree["P-D1-C1"]
    Review.objects.create(committee=commune)
    client.force_login(make_user("sec", commune, role="secretary"))
    again, row = _asked(client, commune)
    RenderedReport.objects.filter(pk=row.pk).update(
        worker_id="w-dead", requested_at=timezone.now() - timedelta(seconds=20)
    )
    beat("w-dead", seconds_ago=20)

    response = client.get(again)

    assert response.status_code == 503 and DIED in response.content.decode()
    row.refresh_from_db()
    assert (row.state, row.error) == (RenderState.FAILED, RenderError.WORKER)
    # The retry goes the full way: its link carries no key.
    assert f'<a href="{html.escape(_url(commune, retry=1))}">Thử lại</a>' in response.content.decode()


def test_a_render_waited_for_too_long_is_reported_on_the_next_look(client, tree, make_user, queue, settings):
    client.force_login(make_user("viewer", tree["P"]))
    again, row = _asked(client, tree["P-D1"])
    past = timezone.now() - timedelta(seconds=settings.REPORT_RENDER_PATIENCE + 1)
    RenderedReport.objects.filter(pk=row.pk).update(requested_at=past)

    response = client.get(again)

    assert response.status_code == 503
    row.refresh_from_db()
    assert (row.state, row.error) == (RenderState.FAILED, RenderError.STUCK)


def test_a_file_is_served_for_the_data_as_it_is_never_by_an_old_key(client, tree, make_user, queue):
    commune = tree["P-D1-C1"]
    client.force_login(make_user("viewer", tree["P"]))
    again, _row = _asked(client, commune)
    run_worker()
    before = client.get(again)
    assert before.status_code == 200

    a = Assessment.objects.filter(indicator__resolution__committee=commune, status=Status.HARD).get()
    a.status, a.note = Status.NOT_ACHIEVED, "Lý do khác"
    a.save()
    # The page's old key names a ready file of the data before: not served, a new render is queued.
    response = client.get(again)
    assert response.status_code == 202
    fresh = RenderedReport.objects.get(committee=commune, state=RenderState.PENDING)
    assert _again(response) == _url(commune, render=fresh.key) != again


def test_a_render_replaced_by_the_worker_is_found_under_its_new_key(client, tree, make_user, queue):
    """The data changed between the ask and the render: the worker stores the file under the new
    key and the old row goes; the page's next look, with the old key, still ends in the file."""
    commune = tree["P-D1-C1"]
    client.force_login(make_user("viewer", tree["P"]))
    again, row = _asked(client, commune)
    Assessment.objects.filter(indicator__resolution__committee=commune).update(forecast="7")
    run_worker()
    assert not RenderedReport.objects.filter(pk=row.pk).exists()

    response = client.get(again)

    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_look_never_queues_a_render_past_the_users_bound(client, tree, make_user, queue, settings):
    settings.REPORT_RENDERS_PER_USER = 1
    client.force_login(make_user("viewer", tree["P"]))
    again, row = _asked(client, tree["P-D1"])
    assert client.get(again).status_code == 202  # its own render: waited for, not refused
    # A key that names nothing (a render deleted meanwhile) takes the full path and its bound.
    assert client.get(_url(tree["P-D2"], render=row.key)).status_code == 429
    assert client.get(_url(tree["P-D2"], render="0" * 64)).status_code == 429
    assert RenderedReport.objects.count() == 1
