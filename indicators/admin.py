"""The admin for staff: terms, the committee tree, resolutions with their indicators, roles, history.

Every write here calls indicators.services, so counters stay exact and history rows are written
whatever staff do here; what no service writes (history, a committee's deletion) is read-only.
History pages show each row's own copy of what it was about, so they read the same after the
resolution or indicator is deleted."""

from typing import TYPE_CHECKING, Any, TypedDict, TypeVar
from urllib.parse import quote

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .changes import ChangeLine, content_lines, results_lines
from .models import (
    AssessmentChange,
    Committee,
    CommitteeChange,
    Direction,
    Indicator,
    IndicatorChange,
    Measure,
    Profile,
    Resolution,
    ResolutionChange,
    Role,
    RoleChange,
    Term,
)
from .people import person_name, person_position
from .services.committees import committee_create, committee_update
from .services.indicators import indicator_create, indicator_delete, indicator_update
from .services.people import role_grant, role_revoke
from .services.resolutions import resolution_create, resolution_delete, resolution_update
from .services.terms import term_get_or_create, term_parse_code, term_update

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


_Content = TypeVar("_Content", ResolutionChange, IndicatorChange)


class _IndicatorCount(TypedDict):
    n_indicators: int


def _staff_user(request: HttpRequest) -> User:
    """The admin's user: the admin site lets only signed-in staff in."""
    assert isinstance(request.user, User)
    return request.user


class ReadOnlyAdminMixin:
    """History is evidence: staff read it in the admin, nobody edits or deletes it there."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TermForm(forms.ModelForm[Term]):
    # Wider than the stored code: "2025 – 2030" as typed is normalised to "2025-2030".
    code = forms.CharField(label=_("mã nhiệm kỳ"), max_length=20, help_text=_("Ví dụ: 2025-2030."))

    class Meta:
        model = Term
        fields = ["code", "midterm_date"]

    def clean_code(self) -> str:
        try:
            start, end = term_parse_code(self.cleaned_data["code"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
        return f"{start}-{end}"


@admin.register(Term)
class TermAdmin(admin.ModelAdmin[Term]):
    form = TermForm
    list_display = ["code", "start_year", "end_year", "midterm_date"]
    search_fields = ["code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Term | None = None) -> list[str]:
        # A term's code names it in every URL, workbook and command; its years follow from the code.
        return ["code"] if obj else []

    def save_model(self, request: HttpRequest, obj: Term, form: ModelForm[Term], change: bool) -> None:
        if change:
            term_update(term=obj, midterm_date=form.cleaned_data["midterm_date"])
        else:
            created, _new = term_get_or_create(code=obj.code, midterm_date=form.cleaned_data["midterm_date"])
            obj.pk, obj.start_year, obj.end_year = created.pk, created.start_year, created.end_year

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin[Committee]):
    list_display = [
        "tree_name",
        "code",
        "level",
        "term_code",
        "achieved",
        "hard",
        "not_achieved",
        "not_assessed",
    ]
    list_display_links = ["tree_name"]
    list_filter = ["term", "level"]
    search_fields = ["code", "name"]
    list_select_related = ["term"]
    autocomplete_fields = ["parent"]
    readonly_fields = [
        "path",
        "depth",
        "n_achieved",
        "n_hard",
        "n_not_achieved",
        "n_not_assessed",
        "n_not_assessable",
        "n_exceeded",
    ]
    ordering = ["term", "path"]
    list_per_page = 200

    class Media:
        css = {"all": ["css/admin_tree.css"]}

    @admin.display(description=_("tên đơn vị"), ordering="path")
    def tree_name(self, obj: Committee) -> SafeString:
        # Indented by depth (a class, not inline style: CSP); in path order the list reads as the tree.
        return format_html('<span class="tree-name tree-depth-{}">{}</span>', min(obj.depth, 8), obj.name)

    @admin.display(description=_("nhiệm kỳ"), ordering="term__start_year")
    def term_code(self, obj: Committee) -> str:
        return obj.term.code

    @admin.display(description=_("đạt và vượt"), ordering="n_achieved")
    def achieved(self, obj: Committee) -> int:
        return obj.n_achieved

    @admin.display(description=_("khó đạt"), ordering="n_hard")
    def hard(self, obj: Committee) -> int:
        return obj.n_hard

    @admin.display(description=_("không đạt"), ordering="n_not_achieved")
    def not_achieved(self, obj: Committee) -> int:
        return obj.n_not_achieved

    @admin.display(description=_("chưa đánh giá"), ordering="n_not_assessed")
    def not_assessed(self, obj: Committee) -> int:
        return obj.n_not_assessed

    def get_readonly_fields(self, request: HttpRequest, obj: Committee | None = None) -> list[str]:
        # The term fixes the tree a committee lives in; moving across terms is not a thing.
        # The code names the committee in URLs and workbooks, so it is fixed once created too.
        return [*self.readonly_fields, "term", "code"] if obj else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Its assessments, review and history go with it: a committee leaves a term's tree by
        # being moved, or with the whole term, never from here.
        return False

    def save_model(
        self, request: HttpRequest, obj: Committee, form: ModelForm[Committee], change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            committee_update(
                committee=obj,
                name=data["name"],
                level=data["level"],
                parent=data.get("parent"),
                by=_staff_user(request),
                kind=data.get("kind", ""),
            )
        else:
            created = committee_create(
                term=data["term"],
                code=data["code"],
                name=data["name"],
                level=data["level"],
                parent=data.get("parent"),
                kind=data.get("kind", ""),
                by=_staff_user(request),
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth


# Measure and direction decide how the yearly values are read (the suggested status).
INDICATOR_FIELDS = ("number", "text", "field", "unit", "target", "measure", "direction")


def _indicator_save(
    request: HttpRequest, *, resolution: Resolution, indicator: Indicator, data: dict[str, Any]
) -> Indicator | None:
    """Create (returns None, filling `indicator`'s key) or change an indicator through the services,
    from the inline of its resolution or its own page alike."""
    content = {
        "number": data["number"],
        "text": data["text"],
        "field": data.get("field", ""),
        "unit": data.get("unit", ""),
        "target": data.get("target", ""),
    }
    if indicator.pk is None:
        created = indicator_create(
            resolution=resolution,
            **content,
            measure=data.get("measure") or Measure.LEVEL,
            direction=data.get("direction") or Direction.UP,
            by=_staff_user(request),
        )
        indicator.pk, indicator.sort_key = created.pk, created.sort_key
        return None
    return indicator_update(
        indicator=indicator,
        **content,
        measure=data.get("measure") or None,
        direction=data.get("direction") or None,
        by=_staff_user(request),
    )


class IndicatorInline(admin.TabularInline[Indicator, Resolution]):
    model = Indicator
    fields = INDICATOR_FIELDS
    extra = 0
    show_change_link = False
    # 66 rows per resolution: keep each one short.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 12})},
    }


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin[Resolution]):
    list_display = ["number", "kind", "committee", "date", "indicator_count"]
    list_filter = ["kind", "committee__term"]
    search_fields = ["number", "title", "committee__code", "committee__name"]
    list_select_related = ["committee"]
    autocomplete_fields = ["committee"]
    inlines = [IndicatorInline]

    class Media:
        css = {"all": ["css/admin_indicators.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Resolution]:
        return super().get_queryset(request).annotate(n_indicators=Count("indicators"))

    @admin.display(description=_("số chỉ tiêu"), ordering="n_indicators")
    def indicator_count(self, obj: "WithAnnotations[Resolution, _IndicatorCount]") -> int:
        return obj.n_indicators

    def get_readonly_fields(self, request: HttpRequest, obj: Resolution | None = None) -> list[str]:
        # Indicators belong to their committee's resolution: they do not move to another committee.
        return ["committee"] if obj else []

    def save_model(
        self, request: HttpRequest, obj: Resolution, form: ModelForm[Resolution], change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            resolution_update(
                resolution=obj,
                number=data["number"],
                kind=data["kind"],
                date=data["date"],
                title=data["title"],
                by=_staff_user(request),
            )
        else:
            created = resolution_create(
                committee=data["committee"],
                number=data["number"],
                kind=data["kind"],
                date=data["date"],
                title=data["title"],
                by=_staff_user(request),
            )
            obj.pk = created.pk

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Resolution],
        formset: BaseModelFormSet[Any, Any],
        change: bool,
    ) -> None:
        if formset.model is not Indicator:
            return super().save_formset(request, form, formset, change)
        # The admin's change message reads these three lists, as BaseModelFormSet.save() fills them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        with transaction.atomic():
            for inline_form in formset.deleted_forms:
                if inline_form.instance.pk:
                    indicator_delete(indicator=inline_form.instance, by=_staff_user(request))
                    formset.deleted_objects.append(inline_form.instance)
            for inline_form in formset.forms:
                if inline_form in formset.deleted_forms or not inline_form.has_changed():
                    continue
                saved = _indicator_save(
                    request,
                    resolution=form.instance,
                    indicator=inline_form.instance,
                    data=inline_form.cleaned_data,
                )
                if saved is None:
                    formset.new_objects.append(inline_form.instance)
                else:
                    formset.changed_objects.append((inline_form.instance, inline_form.changed_data))

    # History outlives what it records (SET_NULL, with a copy of what it was): deleting a resolution
    # deletes no history row, so it needs no permission on history; resolution_delete writes the
    # "deleted" rows.
    def delete_model(self, request: HttpRequest, obj: Resolution) -> None:
        resolution_delete(resolution=obj, by=_staff_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Resolution]) -> None:
        with transaction.atomic():
            for resolution in queryset.select_related("committee"):
                resolution_delete(resolution=resolution, by=_staff_user(request))


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    """An indicator on its own page: found by its text or committee without opening a resolution
    of 66 rows; every write goes through the same services as the resolution's inline."""

    list_display = ["number", "text_short", "target", "unit", "resolution", "committee"]
    list_filter = ["resolution__committee__term", "field", "resolution__kind"]
    search_fields = ["text", "number", "resolution__number", "resolution__committee__code"]
    list_select_related = ["resolution__committee"]
    autocomplete_fields = ["resolution"]
    fields = ("resolution", *INDICATOR_FIELDS)
    ordering = ["resolution__committee__path", "resolution__kind", "resolution__number", "sort_key"]

    @admin.display(description=_("chỉ tiêu"), ordering="text")
    def text_short(self, obj: Indicator) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"

    @admin.display(description=_("đơn vị"), ordering="resolution__committee__code")
    def committee(self, obj: Indicator) -> str:
        return obj.resolution.committee.code

    def get_readonly_fields(self, request: HttpRequest, obj: Indicator | None = None) -> list[str]:
        return ["resolution"] if obj else []  # an indicator does not move to another resolution

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The admin's "history" is its own log, empty for indicators written through the services
        ("no history" for one whose status and target have changed): its button leads to the
        indicator's page, where every assessment and content change reads as lines."""
        indicator = self.get_object(request, object_id)
        if indicator is None:
            return super().history_view(request, object_id, extra_context)
        committee = indicator.resolution.committee
        url = reverse("indicator_detail", args=[committee.code, indicator.pk])
        return HttpResponseRedirect(f"{url}?term={quote(committee.term.code)}#history")

    def save_model(
        self, request: HttpRequest, obj: Indicator, form: ModelForm[Indicator], change: bool
    ) -> None:
        resolution = obj.resolution if change else form.cleaned_data["resolution"]
        _indicator_save(request, resolution=resolution, indicator=obj, data=form.cleaned_data)

    def delete_model(self, request: HttpRequest, obj: Indicator) -> None:
        indicator_delete(indicator=obj, by=_staff_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Indicator]) -> None:
        with transaction.atomic():
            for indicator in queryset.select_related("resolution__committee"):
                indicator_delete(indicator=indicator, by=_staff_user(request))


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin[Role]):
    list_display = ["user", "role", "committee", "term"]
    list_filter = ["role", "committee__term"]
    search_fields = ["user__username", "committee__code", "committee__name"]
    list_select_related = ["user", "committee", "committee__term"]
    autocomplete_fields = ["user", "committee"]

    @admin.display(description=_("nhiệm kỳ"), ordering="committee__term")
    def term(self, obj: Role) -> Term:
        return obj.committee.term

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A role is granted or revoked (each with its history row), never edited into another one.
        return False

    def save_model(self, request: HttpRequest, obj: Role, form: ModelForm[Role], change: bool) -> None:
        data = form.cleaned_data
        grant = role_grant(
            username=data["user"].get_username(),
            committee=data["committee"],
            role=data["role"],
            by=_staff_user(request),
        )
        obj.pk = grant.role.pk

    def delete_model(self, request: HttpRequest, obj: Role) -> None:
        role_revoke(role=obj, by=_staff_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Role]) -> None:
        with transaction.atomic():
            for role in queryset.select_related("user", "committee"):
                role_revoke(role=role, by=_staff_user(request))


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[RoleChange]):
    list_display = ["changed_at", "changed_by", "action", "username", "role", "committee_code"]
    list_filter = ["action", "role"]
    search_fields = ["username", "committee_code", "changed_by__username"]
    list_select_related = ["changed_by"]
    date_hierarchy = "changed_at"


@admin.register(CommitteeChange)
class CommitteeChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[CommitteeChange]):
    list_display = [
        "changed_at",
        "changed_by",
        "action",
        "committee_code",
        "old_parent",
        "new_parent",
        "old_name",
        "new_name",
    ]
    list_filter = ["action"]
    search_fields = ["committee_code", "old_name", "new_name", "changed_by__username"]
    list_select_related = ["changed_by", "old_parent", "new_parent"]
    date_hierarchy = "changed_at"


@admin.register(AssessmentChange)
class AssessmentChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[AssessmentChange]):
    """The history is evidence: nobody edits or deletes it here."""

    list_display = [
        "changed_at",
        "changed_by",
        "source",
        "committee_code",
        "subject",
        "old_status",
        "new_status",
    ]
    list_filter = ["source", "new_status"]
    exclude = ["old_results", "new_results"]
    readonly_fields = ["results_changed"]

    @admin.display(description=_("Kết quả từng năm"))
    def results_changed(self, obj: AssessmentChange) -> SafeString:
        return _lines_html(results_lines(obj.old_results, obj.new_results))

    # The copies, not the objects: a row outlives its indicator.
    search_fields = ["changed_by__username", "committee_code", "subject"]
    list_select_related = ["changed_by"]
    date_hierarchy = "changed_at"


def _lines_html(lines: list[ChangeLine]) -> SafeString:
    """One "label: old → new" per line, escaped; never the stored JSON."""
    if not lines:
        return format_html("{}", "—")
    return format_html_join(
        mark_safe("<br>"), "{}: {} → {}", ((line.label, line.old or "—", line.new or "—") for line in lines)
    )


class ContentChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[_Content]):
    """What a resolution or an indicator said before and after."""

    list_filter = ["source", "action"]
    date_hierarchy = "changed_at"
    list_display = [
        "changed_at",
        "changed_by",
        "source",
        "action",
        "committee_code",
        "subject",
        "what_changed",
    ]
    search_fields = ["subject", "committee_code", "changed_by__username"]
    list_select_related = ["changed_by"]
    # The detail page too: the lines, not the two JSON documents.
    exclude = ["old", "new"]
    readonly_fields = ["what_changed"]

    @admin.display(description=_("Nội dung thay đổi"))
    def what_changed(self, obj: _Content) -> SafeString:
        model = Resolution if isinstance(obj, ResolutionChange) else Indicator
        return _lines_html(content_lines(model, obj.old, obj.new))


@admin.register(ResolutionChange)
class ResolutionChangeAdmin(ContentChangeAdmin[ResolutionChange]):
    pass


@admin.register(IndicatorChange)
class IndicatorChangeAdmin(ContentChangeAdmin[IndicatorChange]):
    pass


class ProfileInline(admin.StackedInline[Profile, User]):
    model = Profile
    can_delete = False
    extra = 1
    max_num = 1


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PersonAdmin(UserAdmin[User]):
    """Users with their position: pages name people by "Họ" + "Tên" and position, never the username."""

    inlines = [ProfileInline]
    list_display = ["username", "full_name", "position", "is_staff", "is_active"]
    list_select_related = ["profile"]

    @admin.display(description=_("họ và tên"), ordering="last_name")
    def full_name(self, obj: User) -> str:
        return person_name(obj)

    @admin.display(description=_("chức vụ"))
    def position(self, obj: User) -> str:
        return person_position(obj)
