"""`backup -o FILE [--term T]`: every row needed to rebuild the terms, as Django JSON."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import Serializer as JSONSerializer
from django.db.models import Q

from indicators.models import Assessment, AssessmentChange, Committee, Indicator, Resolution, Role, Term
from indicators.services import term_parse_code
from reviews.models import Lesson, Review, ReviewEvent, SolutionGroup


def backup_querysets(term_codes: list[str] | None = None):
    """(model, queryset) in dependency order: users first, then the term's tree downwards."""
    terms = Term.objects.all()
    if term_codes:
        years = [term_parse_code(code) for code in term_codes]
        condition = Q(pk__in=[])
        for start, end in years:
            condition |= Q(start_year=start, end_year=end)
        terms = terms.filter(condition)
    term_ids = list(terms.values_list("pk", flat=True))
    committees = Committee.objects.filter(term_id__in=term_ids)
    assessments = Assessment.objects.filter(indicator__resolution__committee__term_id__in=term_ids)
    changes = AssessmentChange.objects.filter(assessment__in=assessments)
    roles = Role.objects.filter(committee__term_id__in=term_ids)
    reviews = Review.objects.filter(committee__term_id__in=term_ids)
    events = ReviewEvent.objects.filter(review__in=reviews)
    # Every user a row names, so no reference dangles after the restore.
    user_ids = (
        set(roles.values_list("user_id", flat=True))
        | set(assessments.exclude(updated_by=None).values_list("updated_by_id", flat=True))
        | set(changes.exclude(changed_by=None).values_list("changed_by_id", flat=True))
        | set(events.exclude(actor=None).values_list("actor_id", flat=True))
    )
    # ...and the site's administrators, who would otherwise have no way back in.
    users = get_user_model().objects.filter(Q(pk__in=user_ids) | Q(is_staff=True) | Q(is_superuser=True))
    return [
        Group.objects.filter(user__in=users).distinct().order_by("pk"),
        users.order_by("pk"),
        terms.order_by("pk"),
        committees.order_by("path"),  # parents before children
        Resolution.objects.filter(committee__term_id__in=term_ids).order_by("pk"),
        Indicator.objects.filter(resolution__committee__term_id__in=term_ids).order_by("pk"),
        assessments.order_by("pk"),
        changes.order_by("pk"),
        roles.order_by("pk"),
        reviews.order_by("pk"),
        Lesson.objects.filter(review__in=reviews).order_by("pk"),
        SolutionGroup.objects.filter(review__in=reviews).order_by("pk"),
        events.order_by("pk"),
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


class Command(BaseCommand):
    help = (
        "Writes every term (or --term T) with its committees, resolutions, indicators, assessments, "
        "history, reviews and roles, and the users they name, to FILE (JSON; `restore FILE` reads it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="file to write")
        parser.add_argument("--term", action="append", help="only this term, e.g. 2020-2025 (repeatable)")

    def handle(self, *args, output, term, **options):
        try:
            querysets = backup_querysets(term)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        counts = [(qs.model._meta.label, qs.count()) for qs in querysets]
        try:
            with open(output, "w", encoding="utf-8") as stream:
                # Primary keys kept: references inside the backup stay valid; natural keys only for
                # permissions and content types, whose ids differ between databases.
                FullPrecisionSerializer().serialize(
                    _objects(querysets), stream=stream, use_natural_foreign_keys=True
                )
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc}") from exc
        self.stdout.write(f"Backup written to {output}: " + ", ".join(f"{n} {label}" for label, n in counts))
