from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weimin.cases.models import Case
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

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.ticket or self.case}"

    @property
    def bad(self) -> bool:
        return self.level <= Level.DISSATISFIED


class FollowUp(models.Model):
    """Every bad rating is followed up: contact the rater, then rectify or explain, in working days."""

    rating = models.OneToOneField(Rating, models.CASCADE, related_name="follow_up", verbose_name=_("rating"))
    contact_due = models.DateField(_("contact due"))
    resolve_due = models.DateField(_("rectify or explain by"))
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
        return f"{self.rating} → {self.resolve_due}"
