"""The shared free-text field and the login form: bounded, no NUL, messages in the user's language."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.test import Client

from config.forms import NUL_MESSAGE, USERNAME_MAX_LENGTH, TextField


class NoteForm(forms.Form):
    note = TextField(max_length=10, required=False)


def test_text_field_refuses_nul_in_vietnamese_and_english():
    form = NoteForm({"note": "a\x00b"})
    assert not form.is_valid()
    assert form.errors["note"] == [
        "Văn bản chứa ký tự không hợp lệ (ký tự NUL); hãy gõ lại hoặc dán lại nội dung."
    ]
    from django.utils import translation

    with translation.override("en"):
        form = NoteForm({"note": "a\x00b"})
        assert not form.is_valid()
        assert form.errors["note"] == [str(NUL_MESSAGE)]
        assert "NUL" in form.errors["note"][0] and "Văn bản" not in form.errors["note"][0]


def test_text_field_says_how_long_the_text_is_and_the_limit():
    form = NoteForm({"note": "x" * 12})
    assert not form.is_valid()
    assert form.errors["note"] == ["Nội dung dài 12 ký tự, quá giới hạn 10 ký tự."]


def test_text_field_needs_a_maximum_length():
    with pytest.raises(TypeError):
        TextField()


def _records() -> int:
    return AccessAttempt.objects.count() + AccessFailureLog.objects.count() + AccessLog.objects.count()


def login(username, password="wrong-password"):  # noqa: S107
    return Client().post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.parametrize("length", [USERNAME_MAX_LENGTH + 1, 256, 1024 * 1024])
def test_long_username_is_refused_before_axes_records_anything(db, length):
    response = login("a" * length)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Tên đăng nhập dài quá {USERNAME_MAX_LENGTH} ký tự." in text
    assert "a" * 200 not in text  # the name is not echoed back
    assert _records() == 0


def test_username_with_nul_is_refused_in_vietnamese_before_axes_records_anything(db):
    response = login("bithu\x00nongha")
    assert response.status_code == 200
    text = response.content.decode()
    assert "ký tự NUL" in text
    assert "Null characters" not in text
    assert "\x00" not in text
    assert _records() == 0


def test_password_with_nul_or_too_long_is_refused_without_a_record(db):
    assert "ký tự NUL" in login("bithu", "pw\x00").content.decode()
    assert "Mật khẩu dài quá 1024 ký tự." in login("bithu", "p" * 1025).content.decode()
    assert _records() == 0


def test_a_username_at_the_limit_is_an_ordinary_failed_attempt(db):
    response = login("a" * USERNAME_MAX_LENGTH)
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "a" * USERNAME_MAX_LENGTH


def test_empty_fields_say_what_is_missing(db):
    text = login("", "").content.decode()
    assert "Hãy nhập tên đăng nhập." in text and "Hãy nhập mật khẩu." in text
    assert _records() == 0


def test_the_right_password_still_logs_in(make_user):
    make_user("bithu.nongha")
    client = Client()
    response = client.post("/accounts/login/", {"username": "bithu.nongha", "password": "pw-Secret-123"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_text_field_removes_bidirectional_controls():
    """An RTL override at the end of the place reversed the date printed after it in the report."""
    form = NoteForm({"note": "Bắc Kạn\u202e"})
    assert form.is_valid() and form.cleaned_data["note"] == "Bắc Kạn"
    form = NoteForm({"note": "\u2067x\u2069\u200fy\u202a"})
    assert form.is_valid() and form.cleaned_data["note"] == "xy"
