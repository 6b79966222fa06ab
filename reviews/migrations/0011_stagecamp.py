"""Deadlines per stage (domain.md, "The life of a term"): a deadline, its history row and the
deadline holding for a committee each name the stage they are for; everything set before is mid.

CommitteeDeadline was keyed by its committee; it becomes one row per committee and stage. Its
rows are copied (as mid) into the new table rather than the primary key altered in place, which
neither SQLite nor PostgreSQL does cleanly for a one-to-one key."""

import django.db.models.deletion
from django.db import migrations, models


def copy_held(apps, schema_editor):
    old = apps.get_model("reviews", "CommitteeDeadlineMid")
    new = apps.get_model("reviews", "CommitteeDeadline")
    rows = old.objects.values_list("committee_id", "due", "due_end").iterator(chunk_size=2000)
    new.objects.bulk_create(
        (new(committee_id=c, stage="mid", due=d, due_end=e) for c, d, e in rows), batch_size=2000
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("reviews", "CommitteeDeadlineMid")
    new = apps.get_model("reviews", "CommitteeDeadline")
    rows = new.objects.filter(stage="mid").values_list("committee_id", "due", "due_end")
    old.objects.bulk_create([old(committee_id=c, due=d, due_end=e) for c, d, e in rows], batch_size=2000)


def drop_end(apps, schema_editor):
    """Going back to deadlines without a stage keeps the mid-term ones only (the end ones would
    collide with them in the old one-per-level constraints)."""
    apps.get_model("reviews", "Deadline").objects.exclude(stage="mid").delete()
    apps.get_model("reviews", "DeadlineChange").objects.exclude(stage="mid").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("reviews", "0010_bgimport"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="deadline", name="deadline_one_per_level"),
        migrations.RemoveConstraint(model_name="deadline", name="deadline_one_per_committee"),
        migrations.AddField(
            model_name="deadline",
            name="stage",
            field=models.CharField(
                choices=[("mid", "Sơ kết giữa nhiệm kỳ"), ("end", "Tổng kết nhiệm kỳ")],
                default="mid",
                max_length=8,
                verbose_name="giai đoạn",
            ),
        ),
        migrations.AddField(
            model_name="deadlinechange",
            name="stage",
            field=models.CharField(
                choices=[("mid", "Sơ kết giữa nhiệm kỳ"), ("end", "Tổng kết nhiệm kỳ")],
                default="mid",
                max_length=8,
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_end),
        migrations.AddConstraint(
            model_name="deadline",
            constraint=models.UniqueConstraint(
                condition=models.Q(("committee__isnull", True)),
                fields=("set_by", "stage", "level"),
                name="deadline_one_per_level",
            ),
        ),
        migrations.AddConstraint(
            model_name="deadline",
            constraint=models.UniqueConstraint(
                condition=models.Q(("committee__isnull", False)),
                fields=("set_by", "stage", "committee"),
                name="deadline_one_per_committee",
            ),
        ),
        migrations.RenameModel(old_name="CommitteeDeadline", new_name="CommitteeDeadlineMid"),
        migrations.CreateModel(
            name="CommitteeDeadline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        choices=[("mid", "Sơ kết giữa nhiệm kỳ"), ("end", "Tổng kết nhiệm kỳ")],
                        default="mid",
                        max_length=8,
                    ),
                ),
                ("due", models.DateField(verbose_name="hạn gửi báo cáo")),
                ("due_end", models.DateTimeField()),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="held_deadlines",
                        to="indicators.committee",
                    ),
                ),
            ],
            options={
                "verbose_name": "hạn áp dụng",
                "verbose_name_plural": "hạn áp dụng",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("committee", "stage"), name="committee_deadline_one_per_stage"
                    )
                ],
            },
        ),
        migrations.RunPython(copy_held, copy_back),
        migrations.DeleteModel(name="CommitteeDeadlineMid"),
    ]
