"""Notifications (the in-app inbox), their e-mails (the outbox), and the language a user reads."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import Committee


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Báo cáo gửi lên chờ duyệt")
    RETURNED = "returned", _("Báo cáo bị trả lại")
    APPROVED = "approved", _("Báo cáo được phê duyệt")
    DUE_SOON = "due_soon", _("Sắp đến hạn gửi báo cáo")
    OVERDUE = "overdue", _("Quá hạn gửi báo cáo")
    OVERDUE_DIGEST = "overdue_digest", _("Đơn vị quá hạn")


class Notification(models.Model):
    """One message to one user. Its text is rendered when shown, in the reader's language.

    `key` makes a notification idempotent: a reminder is written once per committee, deadline
    and kind (and day, for the daily overdue notices) however often the job runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=NotificationKind.choices)
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=160)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.recipient_id}: {self.kind} {self.committee_id}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không được")


class EmailDelivery(models.Model):
    """The outbox: the e-mail of a notification, written in the same transaction as it and sent
    later by the worker (reviews.notifications.delivery), with retries and backoff."""

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="email")
    address = models.EmailField(_("địa chỉ"))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("thư điện tử")
        verbose_name_plural = _("thư điện tử")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="email_due")]

    def __str__(self):
        return f"{self.address}: {self.state}"


class UserLanguage(models.Model):
    """The language a user last chose (at login or with the language button): their e-mails' language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    class Meta:
        verbose_name = _("ngôn ngữ")
        verbose_name_plural = _("ngôn ngữ")

    def __str__(self):
        return f"{self.user_id}: {self.language}"
