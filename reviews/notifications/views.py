"""The in-app inbox, marking notifications read, and remembering the language a user picks."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

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
    notification = (
        Notification.objects.filter(recipient=request.user, pk=pk).select_related("committee__term").first()
    )
    if notification is None:
        raise Http404
    notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(message_of(notification).path)


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
    path("notifications/<int:pk>/open/", inbox_open, name="inbox_open"),
]
