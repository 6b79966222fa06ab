"""The review document of a committee for a term, its lists, and its workflow history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import Committee


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi cấp trên")
    APPROVED = "approved", _("Đã phê duyệt")


class Review(models.Model):
    """The mid-term review (báo cáo sơ kết) of one committee; the committee fixes the term."""

    committee = models.OneToOneField(Committee, on_delete=models.CASCADE, related_name="review")
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    # The document's heading.
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    # The narrative, in the order real reports use. Plain text; blank lines separate paragraphs.
    overall = models.TextField(_("đánh giá chung kết quả thực hiện"), blank=True)
    shortcomings = models.TextField(_("tồn tại, hạn chế"), blank=True)
    causes_objective = models.TextField(_("nguyên nhân khách quan"), blank=True)
    causes_subjective = models.TextField(_("nguyên nhân chủ quan"), blank=True)
    tasks = models.TextField(_("nhiệm vụ nửa cuối nhiệm kỳ"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("báo cáo sơ kết")
        verbose_name_plural = _("báo cáo sơ kết")

    def __str__(self):
        return f"{self.committee.code}: {self.get_state_display()}"

    @property
    def is_editable(self) -> bool:
        return self.state == ReviewState.DRAFT


class Lesson(models.Model):
    """A lesson learned (bài học kinh nghiệm); the report counts them, nobody types the count."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung"))

    class Meta:
        ordering = ["review", "position"]
        verbose_name = _("bài học kinh nghiệm")
        verbose_name_plural = _("bài học kinh nghiệm")

    def __str__(self):
        return f"{self.position}. {self.text[:60]}"


class SolutionArea(models.TextChoices):
    SOCIO_ECONOMIC = "socio_economic", _("Phát triển kinh tế – xã hội")
    DEFENCE_SECURITY = "defence_security", _("Quốc phòng – an ninh")
    ADMINISTRATIVE_REFORM = "administrative_reform", _("Cải cách hành chính")
    PARTY_BUILDING = "party_building", _("Xây dựng Đảng và hệ thống chính trị")


class SolutionGroup(models.Model):
    """A group of solutions (nhóm giải pháp), tagged with the area it serves."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="solutions")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    area = models.CharField(_("lĩnh vực"), max_length=32, choices=SolutionArea.choices)
    text = models.TextField(_("nội dung"))

    class Meta:
        ordering = ["review", "position"]
        verbose_name = _("nhóm giải pháp")
        verbose_name_plural = _("nhóm giải pháp")

    def __str__(self):
        return f"{self.position}. {self.text[:60]}"


class ReviewEvent(models.Model):
    """History of the workflow: every step, who took it and why."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"))
    action = models.CharField(_("thao tác"), max_length=16)
    from_state = models.CharField(_("từ trạng thái"), max_length=16, choices=ReviewState.choices)
    to_state = models.CharField(_("sang trạng thái"), max_length=16, choices=ReviewState.choices)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("lịch sử quy trình")
        verbose_name_plural = _("lịch sử quy trình")

    def __str__(self):
        return f"{self.review_id}: {self.from_state} → {self.to_state}"


# The campaign's models live beside the code that uses them; imported here so Django finds them.
from .campaign.models import Deadline, DeadlineChange  # noqa: E402, F401
from .notifications.models import EmailDelivery, Notification, UserLanguage  # noqa: E402, F401
