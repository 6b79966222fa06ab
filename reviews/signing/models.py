"""The accepted signed reports: each upload that passed every check, kept byte for byte, for good."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import Committee


class SignedReportImmutable(Exception):
    """A signed report row is written once and never changed or deleted."""


class SignedReport(models.Model):
    """One accepted signed file of a committee's approved report, and its history row at once.

    Append-only: a second accepted upload (a new approval after a return, or a file signed again)
    adds a row; the page shows the latest; none is ever changed or deleted (save and delete refuse,
    the admin shows them read-only), and the committee cannot be deleted while one exists."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="signed_reports")
    stage = models.CharField(_("giai đoạn"), max_length=8, default="mid")
    content = models.BinaryField(_("tệp đã ký"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    filename = models.CharField(_("tên tệp"), max_length=255, blank=True)
    signer = models.CharField(_("người ký"), max_length=255)
    signer_certificate_sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    signatures = models.JSONField(default=list)  # every signature: signer, time, certificate digest
    verification_code = models.CharField(_("mã xác thực"), max_length=16, db_index=True)
    content_digest = models.CharField(max_length=64)  # of the approved report's content it signs
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"))

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("báo cáo đã ký số")
        verbose_name_plural = _("báo cáo đã ký số")
        indexes = [models.Index(fields=["committee", "stage", "-uploaded_at"], name="signed_report_latest")]

    def __str__(self):
        return f"{self.committee_id}: {self.signer} {self.signed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise SignedReportImmutable("a signed report is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedReportImmutable("a signed report is never deleted")
