"""Site-wide form rules: the one field for free text a user types, and the login form built on it."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from indicators.values import without_bidi_controls

# Django's own message for NUL ("Null characters are not allowed.") has no Vietnamese translation.
NUL_MESSAGE = _("Văn bản chứa ký tự không hợp lệ (ký tự NUL); hãy gõ lại hoặc dán lại nội dung.")
MAX_LENGTH_MESSAGE = _("Nội dung dài %(show_value)d ký tự, quá giới hạn %(limit_value)d ký tự.")

# django-axes stores the username in a varchar(255); Django's own user names are at most 150.
USERNAME_MAX_LENGTH = 150
# Checking a password costs a hash of it: nobody's password is longer than this.
PASSWORD_MAX_LENGTH = 1024


class TextField(forms.CharField):
    """Free text typed by a user: always a maximum length, never a NUL, both said in the user's language.

    Every text input of the site goes through this field (or a subclass), so no text reaches a
    service, a log row or the database unbounded; PostgreSQL refuses NUL in text outright. Its
    bidirectional control characters are removed (indicators.values.without_bidi_controls)."""

    default_error_messages = {
        "null_characters_not_allowed": NUL_MESSAGE,
        "max_length": MAX_LENGTH_MESSAGE,
    }

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        # No bidirectional controls: one would reverse the text printed after it in the report.
        text = super().to_python(value)
        return without_bidi_controls(text) if text else text


class LoginNameField(TextField, UsernameField):
    """A user name: free text as above, NFKC-normalised as Django's own login form does."""


class LoginForm(AuthenticationForm):
    """The login form; a name or password it refuses never reaches authenticate(), so django-axes
    records nothing for it (its attempts table is keyed on a username of at most 255 characters)."""

    # Django's form sets only the widget's maxlength (from the user model); the validator of
    # this field is what really refuses a longer name.
    username = LoginNameField(
        max_length=USERNAME_MAX_LENGTH,
        error_messages={
            "required": _("Hãy nhập tên đăng nhập."),
            "max_length": _("Tên đăng nhập dài quá %(limit_value)d ký tự."),
        },
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = TextField(
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        error_messages={
            "required": _("Hãy nhập mật khẩu."),
            "max_length": _("Mật khẩu dài quá %(limit_value)d ký tự."),
        },
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
