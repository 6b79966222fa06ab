"""The header's unread count: one small indexed count per page, for logged-in users only."""

from django.utils.functional import SimpleLazyObject

from .models import Notification


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: counted only where a template shows it (the header), never for a JSON or file response.
    return {
        "inbox_unread": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        )
    }
