"""`restore FILE`: brings a `backup` file back into an empty, migrated database."""

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _

from reviews.management.commands.backup import backup_querysets


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


class Command(BaseCommand):
    help = "Restores a file written by `backup` into an EMPTY database (refuses a non-empty one)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        counts = restore(file)
        self.stdout.write(
            f"Restored from {file}: " + ", ".join(f"{n} {label}" for label, n in counts.items())
        )
