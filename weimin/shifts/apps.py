from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShiftsConfig(AppConfig):
    name = "weimin.shifts"
    label = "shifts"
    verbose_name = _("Duty and shifts")
