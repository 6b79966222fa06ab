"""The admin of reviews: documents with their lessons and solutions, and the workflow history, read-only.

A review changes only through reviews.services (the editor and the workflow), which lock it, check
its state and version and record an event; an admin form would do none of that, so staff read here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from indicators.admin import ReadOnlyAdminMixin

from .models import Lesson, Review, ReviewEvent, SignedReport, SolutionGroup


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
