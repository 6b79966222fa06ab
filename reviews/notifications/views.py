"""The in-app inbox, marking notifications read, and remembering the language a user picks."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .messages import message_of
from .models import Notification
from .services import notifications_mark_read, user_language_remember

INBOX_SHOWN = 100


@login_required
def inbox(request):
    notifications = list(
        Notification.objects.filter(recipient=request.user).select_related("committee__term")[:INBOX_SHOWN]
    )
    rows = [(n, message_of(n)) for n in notifications]
    return render(request, "reviews/notifications/inbox.html", {"rows": rows})


@login_required
@require_POST
def inbox_read(request):
    ids = [int(pk) for pk in request.POST.getlist("id") if pk.isdigit()] or None
    notifications_mark_read(user=request.user, ids=ids)
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
]
