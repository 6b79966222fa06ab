"""Backup and restore: every row of every table that holds data, as Django JSON.

The set of tables is the app registry (`apps.get_models()`) minus NOT_DATA, a short named list of
what is not data; a new model is in every backup unless it is added there. It lives here, not in
the core, because it holds both apps' rows and only reviews may import both. The `backup` and
`restore` commands call this."""

import datetime
import os

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from indicators.backup import backup_terms, derive_after_restore
from indicators.models import CommitteePredecessor, Indicator, Term

# What a backup leaves out, and why. Everything else in the registry is in it.
NOT_DATA = {
    "contenttypes.contenttype": "rebuilt by `migrate`; rows name content types by natural key",
    "auth.permission": "rebuilt by `migrate`; users and groups name permissions by natural key",
    "sessions.session": "sign-ins: after a restore everyone signs in again",
    "axes.accessattempt": "login and lockout log",
    "axes.accessattemptexpiration": "login and lockout log",
    "axes.accessfailurelog": "login and lockout log",
    "axes.accesslog": "login and lockout log",
    "django_tasks_database.dbtaskresult": "task queue and results; unsent e-mails are kept as "
    "their EmailDelivery rows, which `deliver_notifications` (or the worker) sends",
    "reviews.renderedreport": "rendered report files, a cache: rendered again on demand",
    "reviews.checkedworkbook": "scratch uploads: a workbook checked but not yet imported",
    "reviews.workbookimport": "big workbooks being checked or imported by the worker, and their results",
    "config.workerheartbeat": "which workers are alive now: each writes its own row while it runs",
}

# With --term, how each table's rows reach a term (a lookup to the term's id). Tables not here
# hold people, not terms: their rows go with the users a term's rows name (USER_LOOKUP), or whole.
TERM_LOOKUP = {
    "indicators.term": "pk",
    "indicators.committee": "term_id",
    "indicators.resolution": "committee__term_id",
    "indicators.indicator": "resolution__committee__term_id",
    "indicators.assessment": "indicator__resolution__committee__term_id",
    # History rows keep their committee when their object is deleted (committees are never).
    "indicators.assessmentchange": "committee__term_id",
    "indicators.resolutionchange": "committee__term_id",
    "indicators.indicatorchange": "committee__term_id",
    "indicators.role": "committee__term_id",
    "indicators.rolechange": "committee__term_id",
    "indicators.committeechange": "committee__term_id",
    # A new term's links to the term before go with the new term (_refuse_terms_named_across).
    "indicators.committeepredecessor": "committee__term_id",
    "indicators.predecessorchange": "committee__term_id",
    "reviews.review": "committee__term_id",
    "reviews.lesson": "review__committee__term_id",
    "reviews.solutiongroup": "review__committee__term_id",
    "reviews.reviewevent": "review__committee__term_id",
    "reviews.deadline": "set_by__term_id",
    "reviews.deadlinechange": "set_by__term_id",
    "reviews.committeedeadline": "committee__term_id",
    # The accepted signed reports, byte for byte (the archive: never rebuilt from anything else).
    "reviews.signedreport": "committee__term_id",
    "reviews.notification": "committee__term_id",
    "reviews.emaildelivery": "notification__committee__term_id",
}
USER_LOOKUP = {
    "auth.user": "pk",
    "auth.group": "user",
    "indicators.profile": "user",
    "reviews.userlanguage": "user",
    "admin.logentry": "user",
}


def backed_up_models() -> list[type[Model]]:
    """Every model of the registry that holds data, each after the models it names by natural key
    (users: rows name them by username); references by primary key are checked at the end of
    the restore's transaction, so their order is free."""
    data = [m for m in apps.get_models() if m._meta.label_lower not in NOT_DATA]
    by_app: dict[str, list[type[Model]]] = {}
    for model in data:
        by_app.setdefault(model._meta.app_label, []).append(model)
    return serializers.sort_dependencies(
        [(apps.get_app_config(label), models) for label, models in by_app.items()], allow_cycles=True
    )


def _ordered(model: type[Model], queryset: QuerySet) -> QuerySet:
    # Parents before children reads best; primary key order everywhere else.
    return (
        queryset.order_by("path")
        if model._meta.label_lower == "indicators.committee"
        else queryset.order_by("pk")
    )


def backup_querysets(term_codes: list[str] | None = None) -> list[QuerySet]:
    """One queryset per backed-up table: every row, or with `term_codes` the rows of those terms,
    the users they name (and the site's administrators) and those users' own rows."""
    models = backed_up_models()
    if not term_codes:
        return [_ordered(m, m._default_manager.all()) for m in models]
    term_ids = list(backup_terms(term_codes).values_list("pk", flat=True))
    _refuse_terms_named_across(term_ids)
    unscoped = [
        m._meta.label_lower for m in models if m._meta.label_lower not in {**TERM_LOOKUP, **USER_LOOKUP}
    ]
    if unscoped:
        raise ImproperlyConfigured(f"reviews.backup: no --term rule for {', '.join(unscoped)}")
    by_term = {
        m: m._default_manager.filter(**{f"{TERM_LOOKUP[m._meta.label_lower]}__in": term_ids})
        for m in models
        if m._meta.label_lower in TERM_LOOKUP
    }
    # Every user a row names, so no reference dangles after the restore, and the site's
    # administrators, who would otherwise have no way back in.
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    user_ids: set[int] = set()
    for model, queryset in by_term.items():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                user_ids |= set(
                    queryset.exclude(**{field.attname: None}).values_list(field.attname, flat=True)
                )
    users = user_model.objects.filter(Q(pk__in=user_ids) | Q(is_staff=True) | Q(is_superuser=True))
    querysets = []
    for model in models:
        label = model._meta.label_lower
        if label in TERM_LOOKUP:
            queryset = by_term[model]
        else:
            queryset = model._default_manager.filter(**{f"{USER_LOOKUP[label]}__in": users}).distinct()
        querysets.append(_ordered(model, queryset))
    return querysets


def _refuse_terms_named_across(term_ids: list[int]) -> None:
    """A term whose committees or indicators name predecessors in a term left out would restore
    with links to nothing: ValueError naming the term to add (the command says it as one line)."""
    missing = set(
        CommitteePredecessor.objects.filter(committee__term_id__in=term_ids)
        .exclude(predecessor__term_id__in=term_ids)
        .values_list("predecessor__term__code", flat=True)
    ) | set(
        Indicator.objects.filter(resolution__committee__term_id__in=term_ids, predecessor__isnull=False)
        .exclude(predecessor__resolution__committee__term_id__in=term_ids)
        .values_list("predecessor__resolution__committee__term__code", flat=True)
    )
    if missing:
        named = ", ".join(Term.objects.filter(pk__in=term_ids).values_list("code", flat=True))
        raise ValueError(
            _(
                "Nhiệm kỳ %(terms)s có đơn vị hoặc chỉ tiêu tiền thân ở nhiệm kỳ %(missing)s: "
                "hãy sao lưu cả nhiệm kỳ đó (thêm --term %(first)s)."
            )
            % {"terms": named, "missing": ", ".join(sorted(missing)), "first": sorted(missing)[0]}
        )


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
        # Owner only (0600): the file holds every password hash. Created so, never chmod-ed
        # after the fact, and an existing file is narrowed before it is written.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with open(descriptor, "w", encoding="utf-8") as stream:
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
    """Load every object of the backup in one transaction, then fill what newer migrations derive;
    the counts per model."""
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
            # A backup of an older release: fill what newer migrations derive (a committee's kind…).
            derive_after_restore()
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
