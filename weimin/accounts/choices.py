from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles are Django groups; the value is the group's name."""

    WINDOW_STAFF = "window_staff", _("Window staff")
    HALL_MANAGER = "hall_manager", _("Hall manager")
    DISTRICT_OFFICE = "district_office", _("District office")
    APPROVER = "approver", _("Back-office approver")
    CAMPAIGN_TEAM = "campaign_team", _("Expropriation team")
    RIVER_OFFICE = "river_office", _("River office")


class DeviceKind(models.TextChoices):
    """What a hall's enrolled device is for."""

    KIOSK = "kiosk", _("Kiosk (取号机)")
    PAD = "pad", _("Rating pad (好差评) beside a window")
