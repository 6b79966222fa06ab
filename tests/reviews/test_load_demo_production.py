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
