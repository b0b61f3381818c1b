from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weimin.calendars.rules import CalendarUnknown
from weimin.cases.models import Case
from weimin.core.inputs import mask_phone
from weimin.halls.hours import add_working_days
from weimin.halls.models import Hall, Window
from weimin.ratings.choices import Level, Resolution
from weimin.tickets.models import Ticket


class Rating(models.Model):
    """A visitor's 好差评 of one served ticket or one case, or the default when none was given in time."""

    hall = models.ForeignKey(Hall, models.PROTECT, related_name="ratings", verbose_name=_("hall"))
    ticket = models.OneToOneField(
        Ticket, models.PROTECT, null=True, blank=True, related_name="rating", verbose_name=_("ticket")
    )
    case = models.OneToOneField(
        Case, models.PROTECT, null=True, blank=True, related_name="rating", verbose_name=_("case")
    )
    window = models.ForeignKey(
        Window, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("window")
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("clerk")
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"))
    by_default = models.BooleanField(_("default (no rating given)"), default=False)

    class Meta:
        ordering = ["-rated_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket__isnull=False) | Q(case__isnull=False), name="rating_of_something"
            )
        ]
        # Statistics read a hall's ratings day by day (analytics).
        indexes = [models.Index(fields=["hall", "rated_at"], name="rating_hall_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.ticket or self.case}"

    @property
    def bad(self) -> bool:
        return self.level <= Level.DISSATISFIED


def working_days_after(day: date, days: int, hall: Hall) -> date | None:
    """``days`` working days after ``day`` at the hall, or None while a year it reaches has no published
    national calendar (pending, never guessed)."""
    try:
        return add_working_days(day, days, hall)
    except CalendarUnknown:
        return None


class FollowUp(models.Model):
    """Every bad rating is followed up: contact the rater, then rectify or explain, in working days."""

    rating = models.OneToOneField(Rating, models.CASCADE, related_name="follow_up", verbose_name=_("rating"))
    # Empty while the due date reaches a year whose national calendar is unpublished: ``contact_by`` and
    # ``resolve_by`` count it as soon as the office enters that year.
    contact_due = models.DateField(_("contact due"), null=True, blank=True)
    resolve_due = models.DateField(_("rectify or explain by"), null=True, blank=True)
    # The mobile number a bad rater chose to leave for the call-back: used for this follow-up only, shown
    # masked (``contact_phone_masked``), never in an address or a log.
    contact_phone = models.CharField(_("rater's mobile number"), max_length=11, blank=True)
    contacted_at = models.DateTimeField(_("rater contacted at"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=12, choices=Resolution.choices, blank=True)
    resolution_note = models.CharField(_("what was done"), max_length=500, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    rater_answer = models.CharField(_("the rater's answer"), max_length=300, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("handled by")
    )

    class Meta:
        ordering = ["resolve_due"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.rating} → {self.resolve_by or '…'}"

    def _due(self, stored: date | None, days: int) -> date | None:
        return stored or working_days_after(self.rating.hall.local_date(self.rating.rated_at), days, self.rating.hall)

    @property
    def contact_by(self) -> date | None:
        """When the rater must have been contacted; None while pending the national calendar."""
        return self._due(self.contact_due, settings.WEIMIN_FOLLOW_UP_CONTACT_DAYS)

    @property
    def resolve_by(self) -> date | None:
        """When the problem must be rectified or explained; None while pending the national calendar."""
        return self._due(self.resolve_due, settings.WEIMIN_FOLLOW_UP_RESOLVE_DAYS)

    def late_on(self, today: date) -> bool:
        contact, resolve = self.contact_by, self.resolve_by
        return bool(
            (self.contacted_at is None and contact and contact < today)
            or (self.resolved_at is None and resolve and resolve < today)
        )

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)
