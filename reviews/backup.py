"""Backup and restore: every row needed to rebuild a set of terms, core and reviews, as Django JSON.

It lives here, not in the core, because it holds both apps' rows and only reviews may import both;
the core gives its own share (indicators.backup). The `backup` and `restore` commands call this."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from indicators.backup import USER_COLUMNS, backup_terms, core_querysets, user_ids_named

from .campaign.models import CommitteeDeadline
from .models import Deadline, DeadlineChange, Lesson, Review, ReviewEvent, SignedReport, SolutionGroup


def backup_querysets(term_codes: list[str] | None = None) -> list[QuerySet]:
    """Querysets in dependency order: groups and users first, then the terms' tree downwards."""
    term_ids = list(backup_terms(term_codes).values_list("pk", flat=True))
    core = core_querysets(term_ids)
    reviews = Review.objects.filter(committee__term_id__in=term_ids)
    events = ReviewEvent.objects.filter(review__in=reviews)
    review_side = [
        reviews.order_by("pk"),
        Lesson.objects.filter(review__in=reviews).order_by("pk"),
        SolutionGroup.objects.filter(review__in=reviews).order_by("pk"),
        events.order_by("pk"),
        # The accepted signed reports, byte for byte (the archive: never rebuilt from anything else).
        SignedReport.objects.filter(committee__term_id__in=term_ids).order_by("pk"),
        # The campaign's deadlines and their history (notifications are messages, not records: not kept).
        Deadline.objects.filter(set_by__term_id__in=term_ids).order_by("pk"),
        DeadlineChange.objects.filter(set_by__term_id__in=term_ids).order_by("pk"),
        CommitteeDeadline.objects.filter(committee__term_id__in=term_ids).order_by("pk"),
    ]
    # Every user a row names, so no reference dangles after the restore...
    user_ids = user_ids_named(
        [*core, *review_side],
        {
            **USER_COLUMNS,
            ReviewEvent: ["actor_id"],
            Deadline: ["updated_by_id"],
            DeadlineChange: ["changed_by_id"],
            SignedReport: ["uploaded_by_id"],
        },
    )
    # ...and the site's administrators, who would otherwise have no way back in.
    users = get_user_model().objects.filter(Q(pk__in=user_ids) | Q(is_staff=True) | Q(is_superuser=True))
    return [
        Group.objects.filter(user__in=users).distinct().order_by("pk"),
        users.order_by("pk"),
        *core,
        *review_side,
    ]


class FullPrecisionSerializer(JSONSerializer):
    """Django's JSON, but datetimes keep their microseconds (the stock encoder cuts them to ms)."""

    def _value_from_field(self, obj, field):
        value = field.value_from_object(obj)
        if isinstance(value, datetime.datetime | datetime.time):
            return value.isoformat()
        return super()._value_from_field(obj, field)  # type: ignore[misc]  # a private hook django-stubs leaves out


def _objects(querysets):
    for queryset in querysets:
        yield from queryset.iterator(chunk_size=2000)


def backup_write(*, path: str, term_codes: list[str] | None = None) -> list[tuple[str, int]]:
    """Write the backup to `path`; (model label, rows) per table. CommandError on a bad term or file."""
    try:
        querysets = backup_querysets(term_codes)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    counts = [(qs.model._meta.label, qs.count()) for qs in querysets]
    try:
        with open(path, "w", encoding="utf-8") as stream:
            # Primary keys kept: references inside the backup stay valid; natural keys only for
            # permissions and content types, whose ids differ between databases.
            FullPrecisionSerializer().serialize(
                _objects(querysets), stream=stream, use_natural_foreign_keys=True
            )
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc}") from exc
    return counts


def non_empty_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    return [
        qs.model._meta.label for qs in backup_querysets() if qs.model._default_manager.using(using).exists()
    ]


def restore(path: str, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Load every object of the backup in one transaction; the counts per model."""
    busy = non_empty_tables(using)
    if busy:
        raise CommandError(
            _(
                "Cơ sở dữ liệu không trống (đã có dữ liệu trong: %(tables)s). Chỉ khôi phục vào một "
                "cơ sở dữ liệu mới, đã chạy migrate và chưa có dữ liệu nào."
            )
            % {"tables": ", ".join(busy)}
        )
    connection = connections[using]
    counts: dict[str, int] = {}
    models = set()
    try:
        with open(path, encoding="utf-8") as stream, transaction.atomic(using=using):
            with connection.constraint_checks_disabled():
                for item in serializers.deserialize(
                    "json", stream, using=using, handle_forward_references=True
                ):
                    item.save(using=using)
                    model = type(item.object)
                    models.add(model)
                    counts[model._meta.label] = counts.get(model._meta.label, 0) + 1
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
            # PostgreSQL: move each id sequence past the restored ids.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
                    cursor.execute(sql)
    except OSError as exc:
        raise CommandError(
            _("Không đọc được tệp %(path)s: %(error)s") % {"path": path, "error": exc}
        ) from exc
    except DeserializationError as exc:
        raise CommandError(
            _("Tệp %(path)s không phải là bản sao lưu hợp lệ: %(error)s") % {"path": path, "error": exc}
        ) from exc
    return counts
