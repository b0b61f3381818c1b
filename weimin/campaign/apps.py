from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "weimin.campaign"
    label = "campaign"
    verbose_name = _("Expropriation campaign")
