from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "weimin.analytics"
    label = "analytics"
    verbose_name = _("Analytics (大数据分析)")
