"""The admin of reviews: documents with their lessons and solutions, and the read-only workflow history.

The state is read-only here: it changes only through the workflow (reviews.services), which
checks each step and records it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from indicators.admin import ReadOnlyAdminMixin

from .models import Lesson, Review, ReviewEvent, SolutionGroup


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 0


class SolutionGroupInline(admin.TabularInline):
    model = SolutionGroup
    extra = 0


class ReviewEventInline(admin.TabularInline):
    model = ReviewEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "actor", "action", "from_state", "to_state", "reason")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["committee", "committee_code", "term", "state", "updated_at"]
    list_filter = ["state", "committee__term", "committee__level"]
    search_fields = ["committee__code", "committee__name", "document_number"]
    list_select_related = ["committee", "committee__term"]
    readonly_fields = ["committee", "state", "return_reason", "updated_at", "version"]
    inlines = [LessonInline, SolutionGroupInline, ReviewEventInline]

    @admin.display(description=_("mã đơn vị"), ordering="committee__code")
    def committee_code(self, obj):
        return obj.committee.code

    @admin.display(description=_("nhiệm kỳ"), ordering="committee__term")
    def term(self, obj):
        return obj.committee.term

    def has_add_permission(self, request):
        # A review comes into being with its committee's first workflow step or edit.
        return False


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
