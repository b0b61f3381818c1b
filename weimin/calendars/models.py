from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.calendars.choices import CalendarDayKind
from weimin.core import clock


class CalendarYear(models.Model):
    """A year whose holiday schedule (节假日安排) the office has entered itself.

    For such a year weimin no longer asks the ``chinesecalendar`` package: every day without a
    :class:`CalendarDay` row is an ordinary weekday or weekend.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("e.g. the State Council notice"))
    entered_at = models.DateTimeField(_("entered at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["year"]
        verbose_name = _("entered calendar year")
        verbose_name_plural = _("entered calendar years")

    def __str__(self) -> str:
        return str(self.year)

    def clean(self):
        if self.year is not None and not 1990 <= self.year <= 2200:
            raise ValidationError({"year": _("Enter a year between 1990 and 2200.")})


class CalendarDay(models.Model):
    """One national day entered by the office: a statutory holiday or a make-up workday (调休).

    Overrides the package for its date, in any year.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=60, help_text=_("e.g. 春节"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("national calendar day")
        verbose_name_plural = _("national calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def clean(self):
        if self.kind == CalendarDayKind.MAKEUP_WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError({"kind": _("A make-up workday must be a Saturday or a Sunday.")})
