"""The review built on the core: workflow, dashboards, PDF report, workbook."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Sơ kết giữa nhiệm kỳ")

    def ready(self):
        from django.contrib import admin

        # Django's defaults read "Trang quản trị cho Django": say whose site it is.
        admin.site.site_header = _("Trang quản trị Sơ kết")
        admin.site.site_title = _("Trang quản trị Sơ kết")
        admin.site.index_title = _("Quản trị hệ thống")

        from .campaign import services  # noqa: F401 -- connects the committees_placed receiver
        from .notifications import signals  # noqa: F401 -- connects the login receiver
        from .tables_signature import install

        install()  # django-tables2's per-cell signature read, kept per function
