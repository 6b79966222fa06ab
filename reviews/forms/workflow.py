"""The reason a committee above gives when it returns or reopens a review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import TextField

REASON_MAX_LENGTH = 2000


class ReasonForm(forms.Form):
    """Whether a reason is needed is the workflow service's rule (a return needs one); the form
    only bounds what may be stored: at most REASON_MAX_LENGTH characters, no NUL."""

    reason = TextField(
        label=_("Lý do"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "max_length": _("Lý do dài %(show_value)d ký tự, quá giới hạn %(limit_value)d ký tự.")
        },
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TargetAdjustmentForm(forms.Form):
    """A target adjusted at mid-term and the decision that adjusted it (staff, on the indicator's
    page); both empty clears the adjustment. Whether the two go together is the service's rule."""

    target_adjusted = TextField(label=_("Mục tiêu điều chỉnh"), required=False, max_length=200)
    target_adjusted_by = TextField(
        label=_("Văn bản điều chỉnh"),
        required=False,
        max_length=200,
        help_text=_("Số và ngày của văn bản, ví dụ 15-NQ/TU ngày 10/3/2022"),
    )
