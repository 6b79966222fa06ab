"""`manage.py grant USERNAME CODE --term T --role secretary|viewer`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from indicators.models import Role


def grant(*args, **env):
    from io import StringIO

    out = StringIO()
    call_command("grant", *args, stdout=out)
    return out.getvalue()


def test_creates_user_with_password_from_environment(tree, monkeypatch):
    monkeypatch.setenv("GRANT_PASSWORD", "Nong-Ha-2023!")
    out = grant("bithu.moi", "P-D1-C1", "--term", "2020-2025", "--role", "secretary")
    user = get_user_model().objects.get(username="bithu.moi")
    assert user.check_password("Nong-Ha-2023!")
    assert Role.objects.filter(user=user, committee=tree["P-D1-C1"], role="secretary").exists()
    assert "Created user bithu.moi" in out and "Granted bithu.moi: secretary of P-D1-C1" in out


def test_existing_user_keeps_password_and_gets_another_role(tree, make_user, monkeypatch):
    user = make_user("vp", tree["P-D1"], "viewer")
    monkeypatch.setenv("GRANT_PASSWORD", "other-password-1")
    out = grant("vp", "P-D2", "--term", "2020-2025", "--role", "viewer")
    user.refresh_from_db()
    assert user.check_password("pw-Secret-123")
    assert Role.objects.filter(user=user).count() == 2
    assert "Created" not in out
    assert "nothing changed" in grant("vp", "P-D2", "--term", "2020-2025", "--role", "viewer")


def test_without_grant_password_the_new_account_cannot_log_in(tree, monkeypatch):
    monkeypatch.delenv("GRANT_PASSWORD", raising=False)
    out = grant("new", "P", "--term", "2020-2025", "--role", "viewer")
    assert not get_user_model().objects.get(username="new").has_usable_password()
    assert "no usable password" in out


@pytest.mark.parametrize(
    ("code", "term_code", "message"),
    [("NOPE", "2020-2025", "NOPE"), ("P", "2030-2035", "2030-2035"), ("P", "x", "x")],
)
def test_unknown_code_or_term_is_a_one_line_command_error(tree, code, term_code, message):
    # manage.py prints a CommandError as one line on stderr and exits 1, without a traceback.
    with pytest.raises(CommandError, match=message) as exc:
        grant("u", code, "--term", term_code, "--role", "viewer")
    assert "\n" not in str(exc.value)
    assert not get_user_model().objects.filter(username="u").exists()


def test_email_is_set_and_checked(tree, make_user):
    grant("vp", "P-D1", "--term", "2020-2025", "--role", "viewer", "--email", "vp@example.org")
    assert get_user_model().objects.get(username="vp").email == "vp@example.org"
    with pytest.raises(CommandError, match="email"):
        grant("vp", "P-D1", "--term", "2020-2025", "--role", "viewer", "--email", "not-an-address")
    assert get_user_model().objects.get(username="vp").email == "vp@example.org"


def test_a_grant_writes_its_history_once(tree, monkeypatch):
    from indicators.models import RoleChange

    monkeypatch.delenv("GRANT_PASSWORD", raising=False)
    grant("hist", "P-D1", "--term", "2020-2025", "--role", "viewer")
    grant("hist", "P-D1", "--term", "2020-2025", "--role", "viewer")  # nothing changes: no second row
    assert list(RoleChange.objects.values_list("action", "username", "role", "committee__code")) == [
        ("granted", "hist", "viewer", "P-D1")
    ]


def test_load_demo_follows_the_grant_password_policy(db):
    """New demo accounts get the password; running it again with another keeps each account's own."""
    from io import StringIO

    call_command("load_demo", password="first-Secret-2023", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", password="second-Secret-2023", stdout=out)
    users = get_user_model().objects.filter(username__in=["admin", "bithu.nongha"])
    assert all(u.check_password("first-Secret-2023") for u in users) and len(users) == 2
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "second-Secret-2023" not in out.getvalue() and "(unchanged)" in out.getvalue()
