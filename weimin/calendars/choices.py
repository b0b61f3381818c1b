from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Statutory holiday")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up workday")
