"""Remember the language a user logs in with: their e-mails are written in it."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import user_language_remember


@receiver(user_logged_in)
def remember_language_at_login(sender, request, user, **kwargs):
    if request is not None:
        user_language_remember(user=user, language=getattr(request, "LANGUAGE_CODE", "") or "")
