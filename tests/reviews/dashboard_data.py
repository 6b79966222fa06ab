"""Test data for the dashboard tests: the demo loaded once per class, and synthetic trees of any size."""

import pytest
from django.core.management import call_command
from django.db import transaction

from indicators.models import Committee, Level, Status
from indicators.services.committees import committees_bulk_create
from indicators.services.indicators import indicators_bulk_create
from indicators.services.resolutions import resolution_create

STATUS_CYCLE = [Status.ACHIEVED, Status.ACHIEVED, Status.HARD, Status.NOT_ACHIEVED, Status.NOT_ASSESSED]
FIELDS = ["economy", "culture_society", "environment"]


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The Bắc Kạn demo (BK 54/66, BK-CD 17/31), loaded once for a test class and removed after it."""
    with django_db_blocker.unblock():
        call_command("load_demo", "--no-accounts", verbosity=0)
        yield
        call_command("flush", interactive=False, verbosity=0)


def build_tree(term, *, code="T", districts=2, communes=2, indicators=3, two_level=False) -> Committee:
    """A province with `districts` districts of `communes` communes each (or, two-level, the
    province's communes directly under it); every committee gets `indicators` indicators."""
    rows = [{"code": code, "name": f"Đảng bộ tỉnh {code}", "level": Level.PROVINCE}]
    if two_level:
        rows += [
            {
                "code": f"{code}-X{c}",
                "name": f"Đảng bộ xã Xuân {c}",
                "level": Level.COMMUNE,
                "parent_code": code,
            }
            for c in range(districts * communes)
        ]
    else:
        for d in range(districts):
            rows.append(
                {
                    "code": f"{code}-D{d}",
                    "name": f"Đảng bộ huyện Đồng {d}",
                    "level": Level.DISTRICT,
                    "parent_code": code,
                }
            )
            rows += [
                {
                    "code": f"{code}-D{d}-X{c}",
                    "name": f"Đảng bộ xã Xuân {d}.{c}",
                    "level": Level.COMMUNE,
                    "parent_code": f"{code}-D{d}",
                }
                for c in range(communes)
            ]
    with transaction.atomic():
        committees = committees_bulk_create(term=term, rows=rows)
        data = []
        for i, committee in enumerate(committees):
            resolution = resolution_create(committee=committee, number="01-NQ/ĐH")
            data += [
                (
                    resolution,
                    {
                        "number": str(n + 1),
                        "text": f"Chỉ tiêu {n + 1}",
                        "field": FIELDS[n % len(FIELDS)],
                        "status": STATUS_CYCLE[(i + n) % len(STATUS_CYCLE)],
                        "note": "Lý do",
                    },
                )
                for n in range(indicators)
            ]
        indicators_bulk_create(rows=data)
    return committees[0]
