"""`load_demo` with DEBUG off and no password refuses instead of creating accounts nobody can use."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from indicators.models import Committee


def test_refuses_without_a_password_when_debug_is_off(db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="needs --password"):
        call_command("load_demo", "--password", "", stdout=StringIO())
    assert not get_user_model().objects.exists() and not Committee.objects.exists()


def test_the_data_alone_needs_no_password(db, settings):
    settings.DEBUG = False
    call_command("load_demo", "--no-accounts", stdout=StringIO())
    assert Committee.objects.exists() and not get_user_model().objects.exists()


def test_new_accounts_without_a_password_are_not_printed_as_unchanged(db, settings, monkeypatch):
    """Run by hand in development without DEMO_PASSWORD, the table said "(unchanged)" beside
    accounts just created with no usable password; a second run's accounts are unchanged."""
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("load_demo", stdout=out)
    admin_line = next(line for line in out.getvalue().splitlines() if line.startswith("admin "))
    assert "(no password)" in admin_line and "(unchanged)" not in admin_line
    again = StringIO()
    call_command("load_demo", "--password", "x", stdout=again)
    assert "(unchanged)" in next(line for line in again.getvalue().splitlines() if line.startswith("admin "))
