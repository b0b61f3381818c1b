from django.db import models
from django.utils.translation import gettext_lazy as _


class HallKind(models.TextChoices):
    DISTRICT = "district", _("District hall")
    SUBDISTRICT = "subdistrict", _("Subdistrict hall")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DayReason(models.TextChoices):
    """Why a hall keeps the hours it keeps on a date."""

    WORKDAY = "workday", _("Working day")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up workday")
    WEEKEND = "weekend", _("Weekend")
    HOLIDAY = "holiday", _("Statutory holiday")
    CLOSURE = "closure", _("Hall closed")
    SPECIAL_HOURS = "special_hours", _("Special opening hours")
    NO_SCHEDULE = "no_schedule", _("No opening schedule in force")
