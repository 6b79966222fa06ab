"""The core app: committee tree, terms, resolutions, indicators, assessments, tally."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Chỉ tiêu")
