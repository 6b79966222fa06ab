"""Terms: a term's code, its creation, its mid-term date, and the term before it."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Term


def term_parse_code(code: str) -> tuple[int, int]:
    """'2020-2025' (any dash) -> (2020, 2025); ValueError with a readable message otherwise."""
    normalised = code.strip().replace("–", "-").replace("—", "-")
    parts = normalised.split("-")
    if len(parts) != 2 or not all(p.strip().isdigit() and len(p.strip()) == 4 for p in parts):
        raise ValueError(_("Nhiệm kỳ “%(code)s” không hợp lệ; hãy viết dạng 2020-2025.") % {"code": code})
    start, end = (int(p) for p in parts)
    if end <= start:
        raise ValueError(_("Nhiệm kỳ “%(code)s”: năm kết thúc phải sau năm bắt đầu.") % {"code": code})
    return start, end


@transaction.atomic
def term_get_or_create(*, code: str, midterm_date: date | None = None) -> tuple[Term, bool]:
    start, end = term_parse_code(code)
    term, created = Term.objects.get_or_create(
        code=f"{start}-{end}",
        defaults={
            "start_year": start,
            "end_year": end,
            "midterm_date": midterm_date or date(start + (end - start) // 2, 6, 30),
        },
    )
    return term, created


@transaction.atomic
def term_update(*, term: Term, midterm_date: date | None) -> Term:
    """The only thing of a term that changes: its mid-term date (the code names it everywhere)."""
    term.midterm_date = midterm_date
    term.full_clean()
    term.save(update_fields=["midterm_date"])
    return term


def term_before(term: Term) -> Term | None:
    """The term just before `term` (the newest that starts earlier), or None."""
    return Term.objects.filter(start_year__lt=term.start_year).order_by("-start_year").first()
