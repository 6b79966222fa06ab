"""A bound per user on pending report renders (REPORT_RENDERS_PER_USER): one viewer's burst of
requests waits on itself, never in front of everybody else's report."""

import pytest
from django.urls import reverse

from reviews.report.models import RenderedReport, RenderState
from reviews.report.services import RenderQueueFull, report_request

COMMUNES = ["P-D1-C1", "P-D1-C2", "P-D2-C1", "P-D2-C2"]


@pytest.fixture
def bound(settings):
    settings.REPORT_RENDERS_PER_USER = 3
    # The database queue with no worker running: every render stays pending.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports", "email"]}
    }


def test_a_user_past_the_bound_is_refused_while_others_and_shared_files_are_not(tree, make_user, bound):
    viewer = make_user("viewer", tree["P"])
    other = make_user("other", tree["P"])
    for code in COMMUNES[:3]:
        assert report_request(committee=tree[code], fmt="pdf", user=viewer).state == RenderState.PENDING
    with pytest.raises(RenderQueueFull) as refused:
        report_request(committee=tree["P-D2-C2"], fmt="pdf", user=viewer)
    assert refused.value.pending == 3
    assert not RenderedReport.objects.filter(committee=tree["P-D2-C2"]).exists()  # nothing queued
    # A file already asked for is no new render: asking again is never refused.
    assert report_request(committee=tree["P-D1-C1"], fmt="pdf", user=viewer).state == RenderState.PENDING
    # Another user is not held by the viewer's burst.
    assert report_request(committee=tree["P-D2-C2"], fmt="pdf", user=other).requested_by == other
    # Once one of the viewer's renders is done, the viewer may ask for the next.
    RenderedReport.objects.filter(committee=tree["P-D1-C1"]).update(state=RenderState.READY)
    assert report_request(committee=tree["P"], fmt="pdf", user=viewer).requested_by == viewer


def test_the_page_past_the_bound_says_wait_and_asks_again_by_itself(client, tree, make_user, bound):
    viewer = make_user("viewer", tree["P"])
    client.force_login(viewer)
    urls = [f"{reverse('report_pdf', args=[code])}?term={tree[code].term.code}" for code in COMMUNES]
    assert [client.get(url).status_code for url in urls[:3]] == [202, 202, 202]
    response = client.get(urls[3])
    assert response.status_code == 429
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "Xin chờ các báo cáo đang tạo" in page and "đang chờ tạo: 3" in page
    assert f'<meta http-equiv="refresh" content="10; url={urls[3]}">' in page.replace("&amp;", "&")
