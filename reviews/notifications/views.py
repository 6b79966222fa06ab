"""The in-app inbox, marking notifications read, and remembering the language a user picks."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from indicators.rows import one_or_none

from .messages import message_of
from .models import Notification
from .selectors import inbox_rows
from .services import notifications_mark_read, user_language_remember


@login_required
def inbox(request):
    return render(request, "reviews/notifications/inbox.html", {"rows": inbox_rows(user=request.user)})


@login_required
@require_POST
def inbox_open(request, pk: int):
    """Opening an item is a POST (its subject is the form's button): it marks the item read, then
    goes to the page to act on. A GET never writes, so a plain link could not do both."""
    notification = one_or_none(
        Notification.objects.filter(recipient=request.user, pk=pk).select_related("committee__term")
    )
    if notification is None:
        raise Http404
    notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(message_of(notification).path)


# An id as a database key: ASCII digits ("²".isdigit() is true too), short enough for a bigint.
_ID = re.compile(r"[0-9]{1,18}")


@login_required
@require_POST
def inbox_read(request):
    """Mark the notifications posted as `id` read (none posted: all of them). An id that is not one
    changes nothing and says so, rather than marking everything or failing."""
    raw = request.POST.getlist("id")
    if not all(_ID.fullmatch(pk) for pk in raw):
        messages.error(request, _("Thông báo không hợp lệ; chưa đánh dấu thông báo nào là đã đọc."))
        return redirect(reverse("inbox"))
    notifications_mark_read(user=request.user, ids=[int(pk) for pk in raw] or None)
    return redirect(reverse("inbox"))


@require_POST
def set_language(request):
    """Django's language switch, and the choice kept for the user's e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and translation.check_for_language(language):
        user_language_remember(user=request.user, language=language)
    return response


urlpatterns = [
    path("notifications/", inbox, name="inbox"),
    path("notifications/read/", inbox_read, name="inbox_read"),
    path("notifications/<int:pk>/open/", inbox_open, name="inbox_open"),
]
