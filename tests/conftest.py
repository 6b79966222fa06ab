"""Shared fixtures: small trees built through the services, users with roles."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from indicators.models import AssessmentChange, Level, Role, Status
from indicators.services.committees import committee_create
from indicators.services.indicators import indicator_create
from indicators.services.resolutions import resolution_create
from indicators.services.terms import term_get_or_create


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(autouse=True, scope="session")
def _plain_http():
    """The test run talks plain http (the test client, live servers) with DEBUG off, i.e. with the
    production settings, whose HTTPS switch would redirect every request: the switch's settings go
    off here, not in config/settings.py. For the whole session, before any live server starts:
    Django's SecurityMiddleware reads them once, when a server builds its middleware. Static files
    are served from the finders (nothing is collected, so the production storage has no manifest)."""
    from django.conf import settings

    plain_http = override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        LANGUAGE_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with plain_http:
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Passwords hashed with a fast hasher for the whole session: the demo's sixteen accounts cost
    5 s of PBKDF2 per load, and the suite loads the demo some sixty times on each database. No
    test here is about hashing; production's hashers are config/settings.py's, untouched."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def term(db):
    return term_get_or_create(code="2020-2025")[0]


@pytest.fixture
def make_committee(term):
    def make(code, parent=None, level=None, name=None, term_=None):
        level = level or {None: Level.PROVINCE, 1: Level.DISTRICT, 2: Level.COMMUNE}.get(
            parent.depth if parent else None, Level.CELL
        )
        return committee_create(
            term=term_ or term, code=code, name=name or f"Đảng bộ {code}", level=level, parent=parent
        )

    return make


@pytest.fixture
def make_indicators():
    def make(committee, statuses, number="01-NQ/ĐH", kind="congress"):
        resolution = resolution_create(committee=committee, number=number, kind=kind)
        return [
            indicator_create(
                resolution=resolution,
                number=str(i + 1),
                text=f"Chỉ tiêu {i + 1}",
                field="economy",
                status=status,
                note="" if status in (Status.ACHIEVED, Status.NOT_ASSESSED) else "Lý do",
            )
            for i, status in enumerate(statuses)
        ]

    return make


@pytest.fixture
def tree(make_committee, make_indicators):
    """A province with two districts, each with two communes; each committee has indicators."""
    bk = make_committee("P")
    d1, d2 = make_committee("P-D1", bk), make_committee("P-D2", bk)
    c11, c12 = make_committee("P-D1-C1", d1), make_committee("P-D1-C2", d1)
    c21, c22 = make_committee("P-D2-C1", d2), make_committee("P-D2-C2", d2)
    make_indicators(bk, ["achieved", "achieved", "hard", "not_achieved"])
    make_indicators(d1, ["achieved", "hard"])
    make_indicators(d2, ["achieved", "not_assessed"])
    for c in (c11, c12, c21, c22):
        make_indicators(c, ["achieved", "achieved", "hard"])
    # The tree stands as if set up long ago: a test of a change sees only that change's assessment
    # history (the rows creation writes are tested in tests/indicators/test_services.py).
    AssessmentChange.objects.all().delete()
    return {"P": bk, "P-D1": d1, "P-D2": d2, "P-D1-C1": c11, "P-D1-C2": c12, "P-D2-C1": c21, "P-D2-C2": c22}


def fill_document(committee, *, stage="mid"):
    """Give a committee's review of `stage` what a report needs before it may be sent: the heading
    (number, date, signer), every narrative section, a lesson and a solution group. The end's
    words and date differ from the mid-term's, so a test can tell the two documents apart."""
    from datetime import date

    from reviews.selectors import REQUIRED_NARRATIVE_FIELDS
    from reviews.services import SolutionItem, review_document_seed

    mid = stage == "mid"
    review_document_seed(
        committee=committee,
        fields={
            "document_number": "12-BC/ĐU" if mid else "70-BC/ĐU",
            "document_date": date(2023, 6, 1) if mid else date(2025, 6, 1),
            "signer_name": "Nguyễn Văn An",
            **{name: f"{'Nội dung' if mid else 'Cuối kỳ'} {name}." for name in REQUIRED_NARRATIVE_FIELDS},
        },
        lessons=["Bám sát cơ sở." if mid else "Đoàn kết."],
        solutions=[
            SolutionItem(
                area="socio_economic", text="Tập trung phát triển kinh tế." if mid else "Phát triển kinh tế."
            )
        ],
        stage=stage,
    )
    return committee


def fill_end(committee):
    """Make a committee's end-of-term review ready to be sent (its end stage must be open): every
    end assessment judged achieved and the end document filled."""
    from indicators.models import Assessment, Stage

    for a in Assessment.objects.filter(indicator__resolution__committee=committee, stage=Stage.END):
        assess_one(assessment=a, status="achieved")
    return fill_document(committee, stage=Stage.END)


@pytest.fixture
def make_user(db):
    def make(username, committee=None, role="viewer", **extra):
        user = get_user_model().objects.create_user(username=username, password="pw-Secret-123", **extra)
        if committee is not None:
            Role.objects.create(user=user, committee=committee, role=role)
        return user

    return make


def assess_one(*, assessment, status, value="", note="", by=None, expected_version=None, exceeded=None):
    """One assessment changed through the one write (assessments_update), as the form saves it;
    the row as stored afterwards. `exceeded` None keeps the stored "vượt" mark while achieved."""
    from indicators.models import Assessment
    from indicators.services.assessments import AssessmentEdit, assessments_update

    edit = AssessmentEdit(
        assessment.pk, status, value=value, note=note, expected_version=expected_version, exceeded=exceeded
    )
    assessments_update(edits=[edit], by=by)
    return Assessment.objects.get(pk=assessment.pk)
