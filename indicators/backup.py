"""The core's share of a backup: which terms, and what a restore derives again.

The core knows nothing of reviews, so the whole backup is put together in reviews.backup."""

from importlib import import_module

from django.apps import apps
from django.db.models import QuerySet

from .models import Term
from .services.terms import term_parse_code


def backup_terms(term_codes: list[str] | None = None) -> QuerySet[Term]:
    """Every term, or those named ("2020-2025", any dash); ValueError for a malformed code."""
    terms = Term.objects.all()
    if term_codes:
        terms = terms.filter(code__in=["{}-{}".format(*term_parse_code(code)) for code in term_codes])
    return terms


# The data steps of the core's migrations that fill a column from other columns. A backup written
# by an older release lacks these columns (the committee's kind, the history rows' copies); a
# restore runs the same steps on what it loaded, as `migrate` ran them on the older database.
# Each one fills only what is blank, so running it on a current backup changes nothing.
DERIVED = [
    ("indicators.migrations.0005_committee_kind", "kinds_from_names"),
    ("indicators.migrations.0007_history", "copies_of_subjects"),
]


def derive_after_restore() -> None:
    """Fill what newer migrations derive, on rows a backup of an older release brought back."""
    for module, function in DERIVED:
        getattr(import_module(module), function)(apps, None)
