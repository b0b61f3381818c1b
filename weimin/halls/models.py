from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weimin.halls.choices import HallKind, Weekday

code_validator = RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("Use lower-case letters, digits and hyphens."))


class District(models.Model):
    """The district (区) one install serves."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Hall(models.Model):
    """An administrative service hall (行政服务大厅): the district's own or a subdistrict's."""

    district = models.ForeignKey(District, models.PROTECT, related_name="halls", verbose_name=_("district"))
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=HallKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    timezone = models.CharField(_("time zone"), max_length=40, default=settings.TIME_ZONE)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    ticket_cutoff_minutes = models.PositiveSmallIntegerField(
        _("ticket cut-off (minutes before closing)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(240)],
        help_text=_("Empty: the district-wide setting."),
    )
    remote_tickets = models.BooleanField(
        _("numbers taken from the phone"),
        default=False,
        help_text=_("Citizens may take today's number on their phone (远程取号) and join the queue when they "
                    "scan it at the kiosk on arrival."),
    )  # fmt: skip

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local_date(self, instant: datetime) -> date:
        """The hall's business day at ``instant``: the date in its own time zone."""
        return instant.astimezone(self.tz).date()

    @property
    def cutoff_minutes(self) -> int:
        if self.ticket_cutoff_minutes is None:
            return settings.WEIMIN_TICKET_CUTOFF_MINUTES
        return self.ticket_cutoff_minutes

    def clean(self):
        from zoneinfo import available_timezones

        if self.timezone not in available_timezones():
            raise ValidationError({"timezone": _("Unknown time zone.")})

    def service_items(self):
        """The items this hall handles: those served by at least one of its active windows."""
        return (
            ServiceItem.objects.filter(active=True, windows__hall=self, windows__active=True)
            .distinct()
            .select_related("category", "department")
            .order_by("category__ticket_prefix", "code")
        )


class Department(models.Model):
    """The agency that owns a service item (e.g. 市场监督管理局)."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class ItemCategory(models.Model):
    """A business category (业务类别) whose tickets share a prefix letter, e.g. A for business registration."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=60)
    ticket_prefix = models.CharField(
        _("ticket prefix"),
        max_length=1,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]$", _("One capital letter A–Z."))],
    )

    class Meta:
        ordering = ["ticket_prefix"]
        verbose_name = _("item category")
        verbose_name_plural = _("item categories")

    def __str__(self) -> str:
        return f"{self.ticket_prefix} {self.name}"


class ServiceItem(models.Model):
    """A government service item (事项) a citizen or company applies for."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(Department, models.PROTECT, related_name="items", verbose_name=_("department"))
    category = models.ForeignKey(ItemCategory, models.PROTECT, related_name="items", verbose_name=_("category"))
    description = models.TextField(_("description"), blank=True)
    handling_minutes = models.PositiveSmallIntegerField(
        _("average handling minutes"), validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    promised_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"), help_text=_("承诺时限; 0 = decided on the spot.")
    )
    statutory_days = models.PositiveSmallIntegerField(
        _("statutory time limit (working days)"), help_text=_("法定时限, e.g. 20 under 行政许可法 Art. 42.")
    )
    appointment_allowed = models.BooleanField(_("appointments allowed"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_days__lte=models.F("statutory_days")),
                name="item_promise_within_statutory_limit",
                violation_error_message=_("The promised time limit cannot exceed the statutory one."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Material(models.Model):
    """One document on a service item's checklist (申请材料)."""

    item = models.ForeignKey(ServiceItem, models.CASCADE, related_name="materials", verbose_name=_("item"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    tolerance_eligible = models.BooleanField(
        _("may be supplied later (容缺)"),
        default=False,
        help_text=_("A missing material of this kind allows acceptance on a written promise."),
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [models.UniqueConstraint(fields=["item", "name"], name="material_name_unique_per_item")]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """A service window (窗口) in a hall and the items it may handle."""

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="windows", verbose_name=_("hall"))
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    label = models.CharField(_("label"), max_length=60, blank=True, help_text=_("e.g. 综合出件"))
    items = models.ManyToManyField(ServiceItem, related_name="windows", blank=True, verbose_name=_("items"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hall", "number"]
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="window_number_unique_per_hall")]

    def __str__(self) -> str:
        return f"{self.hall} {self.number}"


class OpeningSchedule(models.Model):
    """A hall's weekly opening hours in force over a date range (e.g. the extended service from 2017-10-23)."""

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="schedules", verbose_name=_("hall"))
    name = models.CharField(_("name"), max_length=80, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Inclusive; empty: open-ended.")
    )

    class Meta:
        ordering = ["hall", "valid_from"]
        verbose_name = _("opening schedule")
        verbose_name_plural = _("opening schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="schedule_range_ordered",
                violation_error_message=_("A schedule cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.hall} {self.valid_from}–{self.valid_until or ''} {self.name}".strip()

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def clean(self):
        if self.hall_id is None or self.valid_from is None:
            return
        others = OpeningSchedule.objects.filter(hall_id=self.hall_id).exclude(pk=self.pk)
        if self.valid_until is not None:
            others = others.filter(valid_from__lte=self.valid_until)
        clash = others.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from)).first()
        if clash is not None:
            raise ValidationError({"valid_from": _("Overlaps the schedule %(other)s of this hall.") % {"other": clash}})


class TimeRange(models.Model):
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        abstract = True

    def clean(self):
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValidationError({"end": _("The end must be after the start.")})


class OpeningSession(TimeRange):
    """One weekly session of a schedule, e.g. Monday 14:00–19:30."""

    schedule = models.ForeignKey(OpeningSchedule, models.CASCADE, related_name="sessions", verbose_name=_("schedule"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)

    class Meta:
        ordering = ["schedule", "weekday", "start"]
        verbose_name = _("opening session")
        verbose_name_plural = _("opening sessions")
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="opening_session_ordered")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class SpecialDay(models.Model):
    """A date on which a hall departs from its schedule: closed, or open with its own hours."""

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="special_days", verbose_name=_("hall"))
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=False)
    reason = models.CharField(_("reason"), max_length=120)

    class Meta:
        ordering = ["hall", "date"]
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        constraints = [models.UniqueConstraint(fields=["hall", "date"], name="special_day_unique_per_hall")]

    def __str__(self) -> str:
        return f"{self.hall} {self.date} {self.reason}"


class SpecialDaySession(TimeRange):
    special_day = models.ForeignKey(SpecialDay, models.CASCADE, related_name="sessions", verbose_name=_("special day"))

    class Meta:
        ordering = ["special_day", "start"]
        verbose_name = _("special session")
        verbose_name_plural = _("special sessions")
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="special_session_ordered")]

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"
