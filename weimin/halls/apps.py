from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallsConfig(AppConfig):
    name = "weimin.halls"
    label = "halls"
    verbose_name = _("Halls and service catalogue")
