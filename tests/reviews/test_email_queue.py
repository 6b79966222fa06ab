"""E-mails in their own queue: never behind a rush of report renders; failed ones are found in the
admin and put back in the outbox by its action (reviews.notifications.services.email_delivery_retry)."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from reviews.models import ReviewAction
from reviews.notifications.models import DeliveryState, EmailDelivery
from reviews.notifications.services import MayNotRetry, email_delivery_retry
from reviews.report.models import RenderedReport, RenderState
from reviews.report.services import report_request
from reviews.services import review_step
from tests.reviews.test_notifications import people  # noqa: F401  (the fixture)

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports", "email"]}
}


def worker(*args: str) -> None:
    """`manage.py db_worker` once over the queue, in this process (tests/reviews/test_report_serve.py
    says why close_old_connections is held)."""
    with mock.patch.object(db_worker, "close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", *args, verbosity=0)


@pytest.fixture
def rush(settings, tree, people, django_capture_on_commit_callbacks):  # noqa: F811
    """Four report renders queued, then one e-mail (a review sent up)."""
    settings.TASKS = DATABASE_QUEUE
    with translation.override("vi"):
        for code in ("P", "P-D1", "P-D2", "P-D1-C2"):
            assert report_request(committee=tree[code], fmt="docx").state == RenderState.PENDING
    with django_capture_on_commit_callbacks(execute=True):  # the worker is woken once committed
        review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    assert EmailDelivery.objects.filter(state=DeliveryState.PENDING).count() == 1
    assert mail.outbox == []


def tasks_in(queue: str):
    return DBTaskResult.objects.filter(queue_name=queue)


def test_renders_and_e_mails_are_queued_apart_and_a_mail_worker_sends_past_the_renders(rush):
    assert tasks_in("reports").count() == 4 and tasks_in("email").count() == 1
    worker("--queue-name", "email")
    assert len(mail.outbox) == 1
    assert set(tasks_in("reports").values_list("status", flat=True)) == {"READY"}  # still queued
    assert RenderedReport.objects.filter(state=RenderState.PENDING).count() == 4


def test_a_worker_of_every_queue_sends_the_e_mails_first(rush):
    worker("--max-tasks", "1")  # `db_worker` alone takes every queue
    assert len(mail.outbox) == 1  # queued last, sent first
    assert RenderedReport.objects.filter(state=RenderState.PENDING).count() == 4


@pytest.fixture
def failed(tree, people):  # noqa: F811
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.RETURN, by=people["approver"], reason="Bổ sung")
    EmailDelivery.objects.update(
        state=DeliveryState.FAILED, attempts=12, last_error="SMTPAuthenticationError: (535, 'bad password')"
    )
    return list(EmailDelivery.objects.order_by("pk"))


def admin_client(client, *, perm: bool):
    staff = get_user_model().objects.create_user("outbox", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_emaildelivery"))
    if perm:
        staff.user_permissions.add(Permission.objects.get(codename="change_emaildelivery"))
    client.force_login(staff)
    return client


def test_failed_e_mails_are_listed_in_the_admin_with_the_servers_answer(client, failed):
    client = admin_client(client, perm=False)
    url = reverse("admin:reviews_emaildelivery_changelist") + "?state__exact=failed"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "vanphong@example.org" in page and "SMTPAuthenticationError" in page
    assert "Gửi không được" in page


def test_the_admin_action_puts_failed_e_mails_back_and_the_worker_sends_them(
    client, failed, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    client = admin_client(client, perm=True)
    EmailDelivery.objects.filter(pk=failed[1].pk).update(state=DeliveryState.SENT)  # not failed: untouched
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:reviews_emaildelivery_changelist"),
            {"action": "retry", "_selected_action": [d.pk for d in failed]},
            HTTP_ACCEPT_LANGUAGE="vi",
            follow=True,
        )
    assert "Đã đưa 1 thư trở lại hàng đợi gửi." in response.content.decode()
    again = EmailDelivery.objects.get(pk=failed[0].pk)
    assert (again.state, again.attempts) == (DeliveryState.PENDING, 0)
    assert EmailDelivery.objects.get(pk=failed[1].pk).state == DeliveryState.SENT
    assert tasks_in("email").filter(status="READY").count() == 1
    worker("--queue-name", "email")
    assert EmailDelivery.objects.get(pk=failed[0].pk).state == DeliveryState.SENT
    assert [m.to for m in mail.outbox] == [[failed[0].address]]


def test_without_the_right_to_change_the_outbox_nothing_is_retried(client, failed):
    client = admin_client(client, perm=False)
    response = client.post(
        reverse("admin:reviews_emaildelivery_changelist"),
        {"action": "retry", "_selected_action": [d.pk for d in failed]},
        follow=True,
    )
    assert response.status_code == 200
    assert set(EmailDelivery.objects.values_list("state", flat=True)) == {DeliveryState.FAILED}


def test_the_service_refuses_whoever_may_not_change_the_outbox(failed, make_user, tree):
    viewer = make_user("viewer", tree["P"])
    with pytest.raises(MayNotRetry):
        email_delivery_retry(ids=[d.pk for d in failed], by=viewer)
    assert set(EmailDelivery.objects.values_list("state", flat=True)) == {DeliveryState.FAILED}
