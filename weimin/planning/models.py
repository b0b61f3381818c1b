from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.halls.models import Hall


class ShiftPattern(models.Model):
    """A shift the hall's manager defines (班次), e.g. weekday early 09:00–17:30 with an hour's break from
    12:00: the shapes the roster solver may give people."""

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="shift_patterns", verbose_name=_("hall"))
    name = models.CharField(_("name"), max_length=40)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    break_minutes = models.PositiveSmallIntegerField(
        _("break (minutes)"), default=0, validators=[MaxValueValidator(180)]
    )
    break_start = models.TimeField(_("break starts"), null=True, blank=True)
    # Days of the week it is worked, Monday 0 … Sunday 6, as digits ("01234": Monday to Friday).
    weekdays = models.CharField(_("weekdays (0 = Monday … 6 = Sunday)"), max_length=7, default="01234")

    class Meta:
        verbose_name = _("shift pattern")
        verbose_name_plural = _("shift patterns")
        ordering = ["hall", "start", "name"]
        constraints = [models.UniqueConstraint(fields=["hall", "name"], name="one_shift_pattern_name_per_hall")]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    UNAVAILABLE = "unavailable", _("Unavailable")


class Absence(models.Model):
    """Leave (休假: whole days off) or a time a staff member cannot work (a training, a meeting): the roster
    gives them no shift then."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("staff"))
    kind = models.CharField(_("kind"), max_length=12, choices=AbsenceKind.choices, default=AbsenceKind.LEAVE)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.starts_at:%Y-%m-%d}"


class ShiftPreference(models.Model):
    """A staff member's wish the roster weighs (a soft goal, never above coverage or the labour rules): a
    shift wanted or not on a weekday, and/or of a named shift pattern ("no evenings on Wednesdays")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("staff"))
    wanted = models.BooleanField(_("wanted"), default=False, help_text=_("Unticked: the person would rather not."))
    weekday = models.PositiveSmallIntegerField(
        _("weekday (0 = Monday … 6 = Sunday)"), null=True, blank=True, validators=[MaxValueValidator(6)]
    )
    pattern = models.CharField(_("shift pattern"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("shift preference")
        verbose_name_plural = _("shift preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__isnull=False) | ~models.Q(pattern=""), name="preference_names_something"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {'+' if self.wanted else '-'} {self.weekday} {self.pattern}"


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved roster")
    SUPERSEDED = "superseded", _("Superseded")  # approved once, replaced by a later approval


class Roster(models.Model):
    """A hall's week planned (排班): the forecast, the windows each half-hour needs, who works when, the
    predicted service level and the solver's figures. Approved, it is the week's duty plan."""

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="rosters", verbose_name=_("hall"))
    week_start = models.DateField(_("week (Monday)"))
    status = models.CharField(_("status"), max_length=10, choices=RosterStatus.choices, default=RosterStatus.DRAFT)
    planned_at = models.DateTimeField(_("planned at"))
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("planned by")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    # What the plan computed (``planning.plan.WeekPlan.as_json``): the page, the export and the command read it.
    plan = models.JSONField(_("plan"), default=dict)

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        ordering = ["-week_start", "-planned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "week_start"],
                condition=models.Q(status="approved"),
                name="one_approved_roster_per_hall_week",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hall_id} {self.week_start} {self.status}"

    def is_stale(self, now: datetime) -> bool:
        """Running, yet silent for ``WEIMIN_PLANNING_STALE_SECONDS``: its process died (a restart, kill -9)."""
        last = self.heartbeat_at or self.started_at
        stale = timedelta(seconds=settings.WEIMIN_PLANNING_STALE_SECONDS)
        return self.status == RunStatus.RUNNING and now - last > stale


class RosterShift(models.Model):
    """One person's shift on one day of a roster."""

    roster = models.ForeignKey(Roster, models.CASCADE, related_name="shifts", verbose_name=_("roster"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("staff"))
    day = models.DateField(_("day"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    break_minutes = models.PositiveSmallIntegerField(
        _("break (minutes)"), default=0, validators=[MaxValueValidator(180)]
    )
    break_start = models.TimeField(_("break starts"), null=True, blank=True)  # none: the middle of the shift
    pattern = models.CharField(_("shift pattern"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("rostered shift")
        verbose_name_plural = _("rostered shifts")
        ordering = ["day", "start", "user_id"]
        constraints = [models.UniqueConstraint(fields=["roster", "user", "day"], name="one_shift_a_day_per_roster")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day} {self.start:%H:%M}–{self.end:%H:%M}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PlanningRun(models.Model):
    """A week being planned in the background (the solver may take a minute): its live status for the page,
    and the manager's request to stop it, keeping the best roster found so far."""

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="+", verbose_name=_("hall"))
    week_start = models.DateField(_("week (Monday)"))
    free_starts = models.BooleanField(_("free shift starts"), default=False)
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("started by")
    )
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    progress = models.CharField(_("progress"), max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    stop_requested = models.BooleanField(_("stop requested"), default=False)
    roster = models.ForeignKey(
        Roster, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("roster")
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.hall_id} {self.week_start} {self.status}"

    def is_stale(self, now: datetime) -> bool:
        """Running, yet silent for ``WEIMIN_PLANNING_STALE_SECONDS``: its process died (a restart, kill -9)."""
        last = self.heartbeat_at or self.started_at
        stale = timedelta(seconds=settings.WEIMIN_PLANNING_STALE_SECONDS)
        return self.status == RunStatus.RUNNING and now - last > stale
