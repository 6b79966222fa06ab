"""The site's own operations app: the worker's heartbeat, the deploy checks, the ops commands."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class ConfigConfig(AppConfig):
    # This module holds more than one AppConfig (TaskQueueConfig below, and the one it imports):
    # Django takes the one marked default for "config", or else none of them (no ready()).
    default = True
    name = "config"
    label = "config"
    verbose_name = _("Vận hành")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from . import checks  # noqa: F401  (registers the deploy-tagged checks)
        from .logs import log_lockout

        user_locked_out.connect(log_lockout, dispatch_uid="soket-lockout-log")


class TaskQueueConfig(TasksAppConfig):
    """django-tasks' database backend under a name staff read in the admin (the library's own is an
    untranslatable "Tasks Database Backend")."""

    default = False
    verbose_name = _("Hàng đợi tác vụ nền")  # type: ignore[assignment]  # lazy, as Django allows


class LoginGuardConfig(AxesAppConfig):
    """django-axes (login attempts and lock-outs) under a name staff read in the admin (the
    library sets none: Django showed its label, "AXES")."""

    default = False
    verbose_name = _("Bảo vệ đăng nhập")  # lazy, as Django allows
