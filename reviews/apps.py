"""The review built on the core: workflow, dashboards, PDF report, workbook."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Sơ kết giữa nhiệm kỳ")

    def ready(self):
        from .notifications import signals  # noqa: F401 -- connects the login receiver
