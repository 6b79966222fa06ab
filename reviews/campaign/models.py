"""Deadlines a committee sets for the committees below it, and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.models import Committee, Level, Stage


class Deadline(models.Model):
    """The date by which committees below `set_by` must send their review at `stage` (each stage
    of a term has its own deadlines, set independently: domain.md, "The life of a term").

    Either for every committee of one `level` in set_by's subtree, or for one `committee` (an
    override). A committee's deadline is the earliest that any committee above it set for it
    (see reviews.campaign.selectors.DeadlineBook)."""

    set_by = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="deadlines_set", verbose_name=_("đơn vị đặt hạn")
    )
    stage = models.CharField(_("giai đoạn"), max_length=8, choices=Stage.choices, default=Stage.MID)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices, blank=True)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadline_overrides",
        verbose_name=_("riêng cho đơn vị"),
    )
    due = models.DateField(_("hạn gửi báo cáo"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        ordering = ["set_by", "level", "committee"]
        verbose_name = _("hạn gửi báo cáo")
        verbose_name_plural = _("hạn gửi báo cáo")
        constraints = [
            models.CheckConstraint(
                condition=(Q(committee__isnull=True) & ~Q(level=""))
                | (Q(committee__isnull=False) & Q(level="")),
                name="deadline_level_xor_committee",
            ),
            models.UniqueConstraint(
                fields=["set_by", "stage", "level"],
                condition=Q(committee__isnull=True),
                name="deadline_one_per_level",
            ),
            models.UniqueConstraint(
                fields=["set_by", "stage", "committee"],
                condition=Q(committee__isnull=False),
                name="deadline_one_per_committee",
            ),
        ]

    def __str__(self):
        return f"{self.set_by_id} ({self.stage}): {self.level or self.committee_id} → {self.due}"


class DeadlineChange(models.Model):
    """History: one row per deadline set, moved or cleared, written with the change."""

    set_by = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=8, choices=Stage.choices, default=Stage.MID)
    level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    old_due = models.DateField(null=True, blank=True)
    new_due = models.DateField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("lịch sử hạn gửi báo cáo")
        verbose_name_plural = _("lịch sử hạn gửi báo cáo")

    def __str__(self):
        return f"{self.set_by_id} ({self.stage}): {self.old_due} → {self.new_due}"


class CommitteeDeadline(models.Model):
    """The deadline holding for one committee at one stage (the earliest any committee above set
    for it at that stage), kept by reviews.campaign.services whenever deadlines change, so the
    reporting numbers of a whole country are a few SQL aggregates instead of a walk up the tree for
    every committee. Read through `with_deadline` (reviews.campaign.selectors), which names the
    stage's row `deadline`."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="held_deadlines")
    stage = models.CharField(max_length=8, choices=Stage.choices, default=Stage.MID)
    due = models.DateField(_("hạn gửi báo cáo"))
    # The first moment after the deadline day, in the site's time zone: a review sent before it
    # is on time, and a committee not sent by then is overdue.
    due_end = models.DateTimeField()

    class Meta:
        verbose_name = _("hạn áp dụng")
        verbose_name_plural = _("hạn áp dụng")
        constraints = [
            models.UniqueConstraint(fields=["committee", "stage"], name="committee_deadline_one_per_stage")
        ]

    def __str__(self):
        return f"{self.committee_id} ({self.stage}): {self.due}"
