import pytest
from django.core.cache import caches
from django.urls import reverse

from indicators.models import Assessment, Status
from reviews.models import Review
from reviews.report import serve


@pytest.fixture
def secretary_client(client, tree, make_user):
    commune = tree["P-D1-C1"]
    Review.objects.create(committee=commune)
    client.force_login(make_user("sec", commune, role="secretary"))
    caches["reports"].clear()
    return client, commune


def _url(commune):
    return f"{reverse('report_pdf', args=[commune.code])}?term={commune.term.code}"


def test_same_data_is_rendered_once_and_changed_data_again(secretary_client, monkeypatch):
    client, commune = secretary_client
    renders = []
    real = serve.call_with_deadline

    def counting(fn, html, **kwargs):  # runs in this process; the render itself in the child
        renders.append(html)
        return real(fn, html, **kwargs)

    monkeypatch.setattr(serve, "call_with_deadline", counting)
    first = client.get(_url(commune))
    second = client.get(_url(commune))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(renders) == 1

    a = Assessment.objects.filter(indicator__resolution__committee=commune, status=Status.HARD).get()
    a.status, a.note = Status.NOT_ACHIEVED, "Lý do khác"
    a.save()  # a direct change is enough: the key is the HTML, not a version counter
    third = client.get(_url(commune))
    assert third.status_code == 200 and len(renders) == 2
    assert third.content != first.content


def test_render_past_the_deadline_gives_a_clear_503(secretary_client, settings):
    client, commune = secretary_client
    settings.PDF_RENDER_TIMEOUT = 0.001
    response = client.get(_url(commune))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "thử lại" in response.content.decode().lower()


def test_downloading_the_report_of_a_new_review_writes_no_review(client, tree, make_user):
    commune = tree["P-D1-C2"]
    client.force_login(make_user("sec2", commune, role="secretary"))
    caches["reports"].clear()
    response = client.get(_url(commune))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not Review.objects.filter(committee=commune).exists()
