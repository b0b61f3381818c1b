from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """What one rollup row totals a hall's day by."""

    HALL = "hall", _("whole hall")
    ITEM = "item", _("item")
    WINDOW = "window", _("window")
    STAFF = "staff", _("clerk")
    SLOT = "slot", _("half-hour")
    ITEM_SLOT = "item_slot", _("item and half-hour")
