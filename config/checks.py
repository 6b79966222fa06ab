"""Deploy checks (`manage.py check --deploy`): development defaults that would pass silently.

Each is a warning tagged "deploy", so the README's `check --deploy --fail-level WARNING` fails on
it with the message below. Without --deploy (every manage.py command, the tests) they stay quiet."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0"}  # noqa: S104 (names, not binds)
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    host = urlsplit(settings.SITE_URL).hostname or ""
    if host in LOOPBACK_HOSTS or not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: the links in e-mails would point there.",
                hint="Set SITE_URL to the site's public address, e.g. https://soket.example.org.",
                id="soket.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_mail(app_configs, **kwargs):
    found = []
    if (
        settings.EMAIL_BACKEND == SMTP_BACKEND
        and settings.EMAIL_HOST in LOOPBACK_HOSTS
        and not settings.EMAIL_LOCAL_RELAY
    ):
        found.append(
            Warning(
                "E-mail goes to an SMTP server on this machine "
                f"({settings.EMAIL_HOST}:{settings.EMAIL_PORT}): without a mail server there, "
                "every notification fails.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
                "EMAIL_USE_TLS or EMAIL_USE_SSL), or EMAIL_HOST=localhost on purpose with "
                "EMAIL_LOCAL_RELAY=1 when a relay really listens there.",
                id="soket.W002",
            )
        )
    if settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL:
        found.append(
            Warning(
                "EMAIL_USE_TLS and EMAIL_USE_SSL are both on; Django refuses to send.",
                hint="EMAIL_USE_SSL=1 for port 465 (TLS from the start), EMAIL_USE_TLS=1 for "
                "STARTTLS (port 587); not both.",
                id="soket.W003",
            )
        )
    return found
