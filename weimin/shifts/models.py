from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weimin.halls.models import Window


class DutyQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_at__isnull=True)


class Duty(models.Model):
    """A staff member holding a window (在岗) from sign-in to sign-out: the window's duty log.

    One person holds at most one window, and one window is held by at most one person, at any instant.
    """

    window = models.ForeignKey(Window, models.PROTECT, related_name="duties", verbose_name=_("window"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="duties", verbose_name=_("staff"))
    started_at = models.DateTimeField(_("signed in at"))
    ended_at = models.DateTimeField(_("signed out at"), null=True, blank=True)
    simulated = models.BooleanField(
        _("simulated clerk"), default=False, help_text=_("Demo only: yields the window to a person who signs in.")
    )

    objects = DutyQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        constraints = [
            models.UniqueConstraint(
                fields=["window"], condition=Q(ended_at__isnull=True), name="one_holder_per_window"
            ),
            models.UniqueConstraint(fields=["user"], condition=Q(ended_at__isnull=True), name="one_window_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.window}"
