"""The admin of reviews: documents with their lessons and solutions, and the workflow history, read-only.

A review changes only through reviews.services (the editor and the workflow), which lock it, check
its state and version and record an event; an admin form would do none of that, so staff read here."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from indicators.admin import ReadOnlyAdminMixin

from .models import Lesson, Review, ReviewEvent, SignedReport, SolutionGroup
from .notifications.models import EmailDelivery
from .notifications.services import MayNotRetry, email_delivery_retry


class ReadOnlyInlineMixin:
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LessonInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Lesson
    fields = readonly_fields = ("position", "text")


class SolutionGroupInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = SolutionGroup
    fields = readonly_fields = ("position", "area", "text")


class ReviewEventInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ReviewEvent
    fields = readonly_fields = ("at", "actor", "action", "from_state", "to_state", "reason")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["committee", "committee_code", "term", "state", "updated_at"]
    list_filter = ["state", "committee__term", "committee__level"]
    search_fields = ["committee__code", "committee__name", "document_number"]
    list_select_related = ["committee", "committee__term"]
    inlines = [LessonInline, SolutionGroupInline, ReviewEventInline]

    @admin.display(description=_("mã đơn vị"), ordering="committee__code")
    def committee_code(self, obj):
        return obj.committee.code

    @admin.display(description=_("nhiệm kỳ"), ordering="committee__term")
    def term(self, obj):
        return obj.committee.term


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "committee", "action", "from_state", "to_state", "actor", "reason"]
    list_filter = ["action", "to_state"]
    search_fields = ["review__committee__code", "review__committee__name", "actor__username", "reason"]
    list_select_related = ["review__committee", "actor"]
    date_hierarchy = "at"

    @admin.display(description=_("đơn vị"), ordering="review__committee__code")
    def committee(self, obj):
        return obj.review.committee.code


@admin.register(SignedReport)
class SignedReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The archive of signed reports, read-only: rows are written once by the upload and never changed."""

    list_display = ["uploaded_at", "committee", "signer", "signed_at", "verification_code", "sha256"]
    search_fields = ["committee__code", "committee__name", "signer", "verification_code", "sha256"]
    list_select_related = ["committee"]
    exclude = ["content"]
    date_hierarchy = "uploaded_at"


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The outbox: e-mails that could not be sent are found here (filter "Gửi không được", with the
    mail server's last answer) and put back in the outbox by the action, through the service."""

    list_display = ["address", "state", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["state"]
    search_fields = ["address"]
    date_hierarchy = "next_attempt_at"
    actions = ["retry"]

    def get_actions(self, request):
        # Django offers actions only to those who may change; this one is the outbox's one change.
        actions = super().get_actions(request)
        if not request.user.has_perm("reviews.change_emaildelivery"):
            actions.pop("retry", None)
        return actions

    @admin.action(description=_("Gửi lại các thư không gửi được"))
    def retry(self, request, queryset):
        try:
            queued = email_delivery_retry(ids=list(queryset.values_list("pk", flat=True)), by=request.user)
        except MayNotRetry:
            self.message_user(request, _("Bạn không có quyền gửi lại thư."), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext(
                "Đã đưa %(n)d thư trở lại hàng đợi gửi.",
                "Đã đưa %(n)d thư trở lại hàng đợi gửi.",
                len(queued),
            )
            % {"n": len(queued)},
            messages.SUCCESS,
        )
