"""Telling people: notifications written with the workflow step (the outbox), the reminders job,
delivery with retries and backoff, real SMTP (server down, then up), languages, and the inbox."""

import socket
import time
from datetime import timedelta
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from indicators.models import Committee
from reviews.campaign.services import deadlines_set
from reviews.models import ReviewAction
from reviews.notifications.context import unread_count
from reviews.notifications.delivery import MAX_ATTEMPTS, backoff, deliver_all, deliver_one
from reviews.notifications.models import DeliveryState, EmailDelivery, Notification, UserLanguage
from reviews.services import review_step
from tests.conftest import fill_document


@pytest.fixture
def people(tree, make_user):
    """A commune's secretary, the district's office (its approver) and one without an address."""
    fill_document(tree["P-D1-C1"])  # ready to be sent
    return {
        "secretary": make_user("bithu", tree["P-D1-C1"], role="secretary", email="bithu@example.org"),
        "approver": make_user("vanphong", tree["P-D1"], email="vanphong@example.org"),
        "quiet": make_user("khongthu", tree["P-D1"]),
        "province": make_user("tinhuy", tree["P"], email="tinhuy@example.org"),
    }


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# ---- events -------------------------------------------------------------------------------------


def test_each_step_tells_whoever_acts_next(tree, people):
    commune = tree["P-D1-C1"]
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=people["secretary"])
    # Sent: the approvers above (everyone with a role on the district), nobody further up.
    assert kinds(people["approver"]) == ["submitted"] and kinds(people["quiet"]) == ["submitted"]
    assert kinds(people["province"]) == [] and kinds(people["secretary"]) == []
    review_step(
        committee=commune, step=ReviewAction.RETURN, by=people["approver"], reason="Bổ sung số liệu năm 2022"
    )
    note = Notification.objects.get(recipient=people["secretary"], kind="returned")
    assert note.params["reason"] == "Bổ sung số liệu năm 2022"
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=people["secretary"])
    review_step(committee=commune, step=ReviewAction.APPROVE, by=people["approver"])
    assert kinds(people["secretary"]) == ["approved", "returned"]
    # Only users with an address get an e-mail in the outbox.
    assert not EmailDelivery.objects.filter(notification__recipient=people["quiet"]).exists()
    assert EmailDelivery.objects.filter(notification__recipient=people["approver"]).count() == 2


def test_a_step_rolled_back_sends_nothing(tree, people, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
        assert Notification.objects.exists()  # written with the step…
        raise RuntimeError("the request failed after the step")
    assert not Notification.objects.exists() and not EmailDelivery.objects.exists()  # …and gone with it
    assert callbacks == []  # the worker was never woken
    assert deliver_all().sent == 0 and mail.outbox == []


def test_the_worker_is_woken_only_after_commit(tree, people, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    task = DBTaskResult.objects.get()
    assert task.task_path == "reviews.notifications.delivery.deliver_email"
    assert task.args_kwargs["args"] == [EmailDelivery.objects.get().pk]


# ---- delivery -----------------------------------------------------------------------------------


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_failed_delivery_is_retried_with_backoff(
    tree, people, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    delivery = EmailDelivery.objects.get()
    settings.EMAIL_BACKEND = "tests.reviews.test_notifications.FailingBackend"
    before = timezone.now()
    assert deliver_one(delivery.pk) == DeliveryState.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and "mail server down" in delivery.last_error
    assert delivery.next_attempt_at >= before + backoff(1)
    # A retry was queued for when the backoff ends…
    retry = DBTaskResult.objects.get()
    assert retry.run_after >= before + backoff(1)
    # …and a worker running before then leaves the e-mail alone.
    assert deliver_one(delivery.pk) is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_one(delivery.pk, now=delivery.next_attempt_at) == DeliveryState.SENT
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 2)
    assert len(mail.outbox) == 1
    assert deliver_all().sent == 0  # sent once, never twice


def test_backoff_grows_and_then_gives_up(tree, people, settings):
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 10, 30)] == [60, 120, 240, 21600, 21600]
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    EmailDelivery.objects.update(attempts=MAX_ATTEMPTS - 1)
    settings.EMAIL_BACKEND = "tests.reviews.test_notifications.FailingBackend"
    assert deliver_all().failed == 1
    assert EmailDelivery.objects.get().state == DeliveryState.FAILED


def test_a_committee_name_with_a_line_break_still_makes_a_deliverable_email(tree, people, settings):
    """A name stored before names were normalised (a workbook cell with a line break): the
    subject is one line, and the e-mail goes (it raised BadHeaderError, for days of retries)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Committee.objects.filter(pk=tree["P-D1-C1"].pk).update(name="Đảng bộ xã\r\nNông   Hạ")
    commune = Committee.objects.get(pk=tree["P-D1-C1"].pk)
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=people["secretary"])
    assert deliver_all().sent == 1
    assert mail.outbox[0].subject == "Đảng bộ xã Nông Hạ đã gửi báo cáo sơ kết, chờ duyệt"


def test_the_email_is_plain_text_and_html_with_a_link_in_the_users_language(tree, people, settings):
    settings.SITE_URL = "https://soket.example.org"
    UserLanguage.objects.create(user=people["approver"], language="en")
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    review_step(
        committee=tree["P-D1-C1"], step=ReviewAction.RETURN, by=people["approver"], reason="Thiếu số liệu"
    )
    deliver_all()
    by_to = {m.to[0]: m for m in mail.outbox}
    english, vietnamese = by_to["vanphong@example.org"], by_to["bithu@example.org"]
    assert english.subject == "Đảng bộ P-D1-C1 has submitted its mid-term review for approval"
    link = "https://soket.example.org/committees/P-D1-C1/review/?term=2020-2025"  # the report, to approve
    assert link in english.body
    html, mimetype = english.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html and 'lang="en"' in html
    # Read on a phone at its own width, not as a 980 px page shrunk to a third (mail apps honour it).
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert vietnamese.subject == "Báo cáo sơ kết của Đảng bộ P-D1-C1 bị trả lại để sửa"
    assert "Lý do: Thiếu số liệu" in vietnamese.body


def test_deliver_notifications_command(tree, people):
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    out = StringIO()
    call_command("deliver_notifications", stdout=out)
    assert out.getvalue().strip() == "1 sent, 0 to retry later, 0 given up."


# ---- reminders ----------------------------------------------------------------------------------


def test_send_reminders_twice_queues_nothing_new(tree, people, make_user):
    today = timezone.localdate()
    deadlines_set(committee=tree["P-D1"], levels={"commune": today + timedelta(days=3)}, by=None)
    deadlines_set(committee=tree["P-D1"], levels={}, only={"P-D1-C2": today - timedelta(days=1)}, by=None)
    late_secretary = make_user("bithu2", tree["P-D1-C2"], role="secretary", email="b2@example.org")

    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert kinds(people["secretary"]) == ["due_soon"]  # C1: due in 3 days
    assert kinds(late_secretary) == ["overdue"]  # C2: a day late
    digest = Notification.objects.get(recipient=people["approver"], kind="overdue_digest")
    assert digest.params["names"] == ["Đảng bộ P-D1-C2"] and digest.committee == tree["P-D1"]
    count = Notification.objects.count()
    assert f"{count} notifications queued" in out.getvalue()

    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert Notification.objects.count() == count and "0 notifications queued" in out.getvalue()
    # The next day: "due soon" was said once per deadline; the overdue notices come daily.
    call_command("send_reminders", "--on", (today + timedelta(days=1)).isoformat(), stdout=StringIO())
    assert kinds(people["secretary"]) == ["due_soon"]
    assert kinds(late_secretary) == ["overdue", "overdue"]
    # A moved deadline is a new deadline: one reminder for it.
    deadlines_set(committee=tree["P-D1"], levels={"commune": today + timedelta(days=2)}, by=None)
    call_command("send_reminders", stdout=StringIO())
    assert kinds(people["secretary"]) == ["due_soon", "due_soon"]


def test_sent_committees_get_no_reminder(tree, people):
    today = timezone.localdate()
    deadlines_set(committee=tree["P-D1"], levels={"commune": today - timedelta(days=1)}, by=None)
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    call_command("send_reminders", stdout=StringIO())
    assert kinds(people["secretary"]) == []


def test_send_reminders_bad_day(db):
    with pytest.raises(Exception, match="not a date"):
        call_command("send_reminders", "--on", "mai")


# ---- real SMTP ----------------------------------------------------------------------------------


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 -- aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_TIMEOUT = 5
    return port


def test_real_smtp_server_down_then_up(tree, people, smtp_settings):
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    # Down: nothing listens on the port. The e-mail waits, with the reason.
    run = deliver_all()
    assert (run.sent, run.retrying) == (0, 1)
    delivery = EmailDelivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and "Connection refused" in delivery.last_error
    # Up: the next run delivers it, once.
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_settings)
    server.start()
    try:
        assert deliver_all().sent == 1
        assert deliver_all().sent == 0
    finally:
        server.stop()
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.rcpt_tos == ["vanphong@example.org"]
    text = envelope.content.decode()
    assert "multipart/alternative" in text and "text/html" in text


def test_the_worker_delivers_through_smtp(transactional_db, tree, people, smtp_settings):
    """The whole path: the step commits, the task is queued, `db_worker` runs it, SMTP receives."""
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_settings)
    server.start()
    try:
        review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    finally:
        server.stop()
    assert [e.rcpt_tos for e in inbox.messages] == [["vanphong@example.org"]]
    assert EmailDelivery.objects.get().state == DeliveryState.SENT


def test_the_page_does_not_wait_for_a_dead_mail_server(client, tree, people, smtp_settings):
    client.force_login(people["secretary"])
    started = time.monotonic()
    response = client.post(reverse("review_submit", args=["P-D1-C1"]) + "?term=2020-2025", {"confirm": "1"})
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert EmailDelivery.objects.get().state == DeliveryState.PENDING  # queued, not tried in the request
    assert elapsed < 30  # generous: the point is no SMTP timeout inside the request (none is tried)


# ---- the inbox ----------------------------------------------------------------------------------


def test_inbox_and_unread_count_in_the_header(client, tree, people):
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    client.force_login(people["approver"])
    page = client.get(reverse("inbox")).content.decode()
    assert '<span class="unread-count">1 mới</span>' in page
    assert "Đảng bộ P-D1-C1 đã gửi báo cáo sơ kết, chờ duyệt" in page
    note = Notification.objects.get(recipient=people["approver"])
    assert f'action="{reverse("inbox_open", args=[note.pk])}"' in page
    assert client.post(reverse("inbox_read")).status_code == 302
    assert "unread-count" not in client.get(reverse("inbox")).content.decode()
    # Nobody reads another's inbox: marking read only touches one's own.
    client.force_login(people["quiet"])
    client.post(reverse("inbox_read"))
    assert Notification.objects.filter(recipient=people["quiet"], read_at__isnull=False).count() == 1


def test_unread_count_is_the_orms_count(tree, people):
    """The header's count is a plain statement (reviews.notifications.context): it must count what
    the ORM's filter counts, the user's own unread items only."""
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    Notification.objects.filter(recipient=people["approver"]).update(read_at=timezone.now())
    counts = {name: unread_count(user) for name, user in people.items()}
    assert counts == {
        name: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        for name, user in people.items()
    }
    assert counts["approver"] == 0 and counts["quiet"] == 1


@pytest.mark.parametrize("bad", ["²", "1" * 5000, "99999999999999999999", "-1", "abc"])
def test_an_id_that_is_not_one_marks_nothing_and_says_so(client, tree, people, bad):
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    client.force_login(people["approver"])
    mine = Notification.objects.get(recipient=people["approver"])
    response = client.post(reverse("inbox_read"), {"id": [str(mine.pk), bad]}, follow=True)
    assert response.redirect_chain == [(reverse("inbox"), 302)]
    assert "Thông báo không hợp lệ" in response.content.decode()
    assert Notification.objects.get(pk=mine.pk).read_at is None
    client.post(reverse("inbox_read"), {"id": [str(mine.pk)]})
    assert Notification.objects.get(pk=mine.pk).read_at is not None


def test_language_button_is_remembered_for_emails(client, tree, people):
    client.force_login(people["approver"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert UserLanguage.objects.get(user=people["approver"]).language == "en"


def test_opening_an_item_marks_it_read_and_goes_to_the_report(client, tree, people):
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    note = Notification.objects.get(recipient=people["approver"])
    client.force_login(people["approver"])
    # A GET never writes: the inbox page leaves it unread.
    client.get(reverse("inbox"))
    assert Notification.objects.get(pk=note.pk).read_at is None
    response = client.post(reverse("inbox_open", args=[note.pk]))
    assert (
        response.status_code == 302 and response["Location"] == "/committees/P-D1-C1/review/?term=2020-2025"
    )
    assert Notification.objects.get(pk=note.pk).read_at is not None
    # Another's item: not found, and left as it was.
    other = Notification.objects.create(
        recipient=people["secretary"],
        kind="approved",
        committee=tree["P-D1-C1"],
        key="x",
        created_at=timezone.now(),
    )
    assert client.post(reverse("inbox_open", args=[other.pk])).status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert client.get(reverse("inbox_open", args=[note.pk])).status_code == 405


def test_an_item_is_done_once_the_review_is_approved_or_returned(
    client, tree, people, django_assert_num_queries
):
    from reviews.notifications.selectors import inbox_rows

    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    assert [r.done for r in inbox_rows(user=people["approver"])] == [False]
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.RETURN, by=people["approver"], reason="Thiếu")
    assert [r.done for r in inbox_rows(user=people["approver"])] == [True]
    # The return is done for the secretary once she sends the review again; a new "sent" is not.
    assert [r.done for r in inbox_rows(user=people["secretary"])] == [False]
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    assert [r.done for r in inbox_rows(user=people["secretary"])] == [True]
    assert [r.done for r in inbox_rows(user=people["approver"])] == [False, True]
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.APPROVE, by=people["approver"])
    with django_assert_num_queries(2):
        rows = inbox_rows(user=people["approver"])
    assert [r.done for r in rows] == [True, True]
    # Shown done to every approver; still to be read by one who did not act (her own steps read hers).
    client.force_login(people["quiet"])
    page = client.get(reverse("inbox")).content.decode()
    assert page.count("Đã xử lý") == 2 and "Đánh dấu đã đọc" in page


# ---- the end of the term (#28) --------------------------------------------------------------------


@pytest.fixture
def end_open(tree):
    from indicators.models import Stage
    from indicators.services.assessments import stage_open

    stage_open(committee=tree["P"], stage=Stage.END)
    return tree


def test_a_step_at_the_end_names_the_end_review_and_links_to_it(end_open, people):
    from reviews.notifications.messages import message_of
    from tests.conftest import fill_end

    commune = end_open["P-D1-C1"]
    fill_end(commune)
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=people["secretary"], stage="end")
    note = Notification.objects.get(recipient=people["approver"], kind="submitted")
    assert note.params["stage"] == "end"
    message = message_of(note)
    assert message.subject == "Đảng bộ P-D1-C1 đã gửi báo cáo tổng kết, chờ duyệt"
    assert "báo cáo tổng kết nhiệm kỳ" in message.body and message.path.endswith("&stage=end")
    from django.utils import translation

    with translation.override("en"):
        english = message_of(note)
    assert english.subject == "Đảng bộ P-D1-C1 has submitted its end-of-term review for approval"
    assert english.body.startswith("Đảng bộ P-D1-C1 has sent its end-of-term review report")
    review_step(committee=commune, step=ReviewAction.APPROVE, by=people["approver"], stage="end")
    approved = message_of(Notification.objects.get(recipient=people["secretary"], kind="approved"))
    assert "tổng kết nhiệm kỳ" in approved.body and "sơ kết" not in approved.body
    # The mid-term review's messages are as they always were.
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=people["secretary"])
    mid = (
        Notification.objects.filter(recipient=people["approver"], kind="submitted").exclude(pk=note.pk).get()
    )
    assert "stage" not in mid.params
    assert message_of(mid).subject == "Đảng bộ P-D1-C1 đã gửi báo cáo sơ kết, chờ duyệt"
    assert message_of(mid).path.endswith("?term=2020-2025")


def test_reminders_about_the_end_use_the_end_deadline_and_the_end_review(end_open, people, make_user):
    from reviews.notifications.messages import message_of
    from tests.conftest import fill_end

    today = timezone.localdate()
    tree = end_open
    deadlines_set(committee=tree["P-D1"], levels={"commune": today + timedelta(days=30)}, by=None)
    deadlines_set(committee=tree["P-D1"], levels={"commune": today + timedelta(days=2)}, by=None, stage="end")
    call_command("send_reminders", stdout=StringIO())
    # Only the end deadline is near: one reminder, about the end review, with the end date.
    note = Notification.objects.get(recipient=people["secretary"])
    assert (note.kind, note.params) == (
        "due_soon",
        {"deadline": (today + timedelta(days=2)).isoformat(), "days": 2, "stage": "end"},
    )
    assert message_of(note).subject == "Còn 2 ngày đến hạn gửi báo cáo tổng kết"
    from django.utils import translation

    with translation.override("en"):
        assert message_of(note).body.startswith("The end-of-term review of Đảng bộ P-D1-C1 is due on")
    # The mid-term review sent does not answer the end one: the end deadline passes, C1 is late there.
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    deadlines_set(committee=tree["P-D1"], levels={"commune": today - timedelta(days=1)}, by=None, stage="end")
    call_command("send_reminders", stdout=StringIO())
    overdue = Notification.objects.get(recipient=people["secretary"], kind="overdue")
    assert (
        overdue.params["stage"] == "end"
        and "quá hạn gửi báo cáo tổng kết 1 ngày" in message_of(overdue).subject
    )
    digest = Notification.objects.get(recipient=people["approver"], kind="overdue_digest")
    assert digest.params["stage"] == "end" and "báo cáo tổng kết" in message_of(digest).subject
    assert message_of(digest).path.endswith("&stage=end")
    with translation.override("en"):
        late = message_of(overdue)
        assert late.body.startswith("The end-of-term review of Đảng bộ P-D1-C1 was due on")
        assert message_of(digest).body.startswith(
            "Committees under Đảng bộ P-D1 overdue with their end-of-term"
        )
    # Sent at the end too: no more end reminders for C1 the next day (C2 is still late).
    fill_end(tree["P-D1-C1"])
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"], stage="end")
    call_command("send_reminders", "--on", (today + timedelta(days=1)).isoformat(), stdout=StringIO())
    assert kinds(people["secretary"]) == ["due_soon", "overdue"]


def test_the_same_date_at_both_stages_gives_two_reminders(end_open, people):
    today = timezone.localdate()
    for stage in ("mid", "end"):
        deadlines_set(
            committee=end_open["P-D1"], levels={"commune": today + timedelta(days=1)}, by=None, stage=stage
        )
    call_command("send_reminders", stdout=StringIO())
    notes = Notification.objects.filter(recipient=people["secretary"], kind="due_soon")
    assert sorted(n.params.get("stage", "mid") for n in notes) == ["end", "mid"]


def test_an_item_is_done_by_a_step_on_its_own_stages_review_only(end_open, people):
    from reviews.notifications.selectors import inbox_rows
    from tests.conftest import fill_end

    commune = end_open["P-D1-C1"]
    fill_end(commune)
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=people["secretary"], stage="end")
    review_step(committee=commune, step=ReviewAction.SUBMIT, by=people["secretary"])
    rows = inbox_rows(user=people["approver"])  # newest first: the mid-term one, then the end one
    assert [(r.notification.params.get("stage", "mid"), r.done) for r in rows] == [
        ("mid", False),
        ("end", False),
    ]
    # Approving the mid-term review answers the mid-term "sent", not the end one.
    review_step(committee=commune, step=ReviewAction.APPROVE, by=people["approver"])
    rows = inbox_rows(user=people["approver"])
    assert [(r.notification.params.get("stage", "mid"), r.done) for r in rows] == [
        ("mid", True),
        ("end", False),
    ]


def test_the_step_an_approver_takes_reads_the_item_it_answers_in_her_own_inbox(
    client, tree, people, make_user
):
    """Approving from the report page (not through the inbox) leaves no "Mới" beside "Đã xử lý":
    the item she acted on is read in her inbox and no longer counted in the header. Another
    approver's item is only shown done, still unread for him."""
    other = make_user("vanphong2", tree["P-D1"], "viewer")
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.SUBMIT, by=people["secretary"])
    review_step(committee=tree["P-D1-C1"], step=ReviewAction.APPROVE, by=people["approver"])
    assert Notification.objects.get(recipient=people["approver"], kind="submitted").read_at is not None
    assert Notification.objects.get(recipient=other, kind="submitted").read_at is None
    # The secretary's own "approved" item is new to her: the step is not hers.
    assert Notification.objects.get(recipient=people["secretary"], kind="approved").read_at is None
    client.force_login(people["approver"])
    page = client.get(reverse("inbox")).content.decode()
    assert "Đã xử lý" in page and "unread-badge" not in page
