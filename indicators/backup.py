"""The core's share of a backup: a set of terms' rows in dependency order, and the users they name.

The core knows nothing of reviews, so the whole backup is put together in reviews.backup, which
adds the review rows to these."""

from typing import Any

from django.db.models import Model, QuerySet

from .models import (
    Assessment,
    AssessmentChange,
    Committee,
    CommitteeChange,
    Indicator,
    Resolution,
    Role,
    RoleChange,
    Term,
)
from .services import term_parse_code


def backup_terms(term_codes: list[str] | None = None) -> QuerySet[Term]:
    """Every term, or those named ("2020-2025", any dash); ValueError for a malformed code."""
    terms = Term.objects.all()
    if term_codes:
        terms = terms.filter(code__in=["{}-{}".format(*term_parse_code(code)) for code in term_codes])
    return terms


def core_querysets(term_ids: list[int]) -> list[QuerySet[Any]]:
    """The terms' rows, each table after the ones it references."""
    assessments = Assessment.objects.filter(indicator__resolution__committee__term_id__in=term_ids)
    return [
        Term.objects.filter(pk__in=term_ids).order_by("pk"),
        Committee.objects.filter(term_id__in=term_ids).order_by("path"),  # parents before children
        Resolution.objects.filter(committee__term_id__in=term_ids).order_by("pk"),
        Indicator.objects.filter(resolution__committee__term_id__in=term_ids).order_by("pk"),
        assessments.order_by("pk"),
        AssessmentChange.objects.filter(assessment__in=assessments).order_by("pk"),
        Role.objects.filter(committee__term_id__in=term_ids).order_by("pk"),
        RoleChange.objects.filter(committee__term_id__in=term_ids).order_by("pk"),
        CommitteeChange.objects.filter(committee__term_id__in=term_ids).order_by("pk"),
    ]


# For each core table, the columns that name a user: every one of them goes into the backup.
USER_COLUMNS = {
    Assessment: ["updated_by_id"],
    AssessmentChange: ["changed_by_id"],
    Role: ["user_id"],
    RoleChange: ["user_id", "changed_by_id"],
    CommitteeChange: ["changed_by_id"],
}


def user_ids_named(querysets: list[QuerySet[Any]], columns: dict[type[Model], list[str]]) -> set[int]:
    """The users the rows of `querysets` name, through the columns listed for their model."""
    ids: set[int] = set()
    for queryset in querysets:
        for column in columns.get(queryset.model, []):
            ids |= set(queryset.exclude(**{column: None}).values_list(column, flat=True))
    return ids
