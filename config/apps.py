"""The site's own operations app: the worker's heartbeat, the deploy checks, the ops commands."""

from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    label = "config"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from . import checks  # noqa: F401  (registers the deploy-tagged checks)
        from .logs import log_lockout

        user_locked_out.connect(log_lockout, dispatch_uid="soket-lockout-log")
