from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from weimin.core.prepared import PreparedQuery
from weimin.halls.models import Hall, Window
from weimin.shifts.signals import holder_yields


class DutyQuerySet(models.QuerySet):
    """Who holds which window now: the one read tickets, cases, the console and the demo share."""

    def open(self):
        return self.filter(ended_at__isnull=True)

    def held_by(self, user):
        """The open duty of ``user`` (at most one, by constraint), as a queryset."""
        return self.open().filter(user=user)

    def duty_of(self, user) -> Duty | None:
        return self.held_by(user).select_related("window__hall").first()

    def holder_of(self, window) -> Duty | None:
        """The open duty at ``window``, if someone holds it (asked on every poll of its console: prepared;
        ``duty.user`` is read only when asked for)."""
        found = _HOLDER_OF.objects(using=self.db, window_id=window.pk)
        return found[0] if found else None

    def holds(self, user, window) -> bool:
        """Whether ``user`` holds ``window`` now (asked on every call of a clerk's: a prepared query)."""
        return bool(_HOLDS.rows(using=self.db, user_id=user.pk, window_id=window.pk))

    def holders_of(self, windows) -> dict[int, Duty]:
        """The open duty of each of these windows that someone holds, by window id."""
        return {d.window_id: d for d in self.open().filter(window__in=windows).select_related("user", "window__hall")}

    def window_held_by(self, user_id, hall) -> Window | None:
        """The window ``user_id`` holds at ``hall`` now, if any."""
        duty = self.open().filter(user_id=user_id, window__hall=hall).select_related("window").first()
        return duty.window if duty else None

    def idle(self, now):
        """Open duties whose console has not been seen for WEIMIN_DUTY_IDLE_MINUTES: their clerk has gone."""
        cutoff = now - timedelta(minutes=settings.WEIMIN_DUTY_IDLE_MINUTES)
        return self.open().filter(Q(last_seen_at__lt=cutoff) | Q(last_seen_at__isnull=True, started_at__lt=cutoff))

    def staffed_window_ids(self, hall_id: int):
        return self.open().filter(window__hall_id=hall_id).values_list("window_id", flat=True)


class Duty(models.Model):
    """A staff member holding a window (在岗) from sign-in to sign-out: the window's duty log.

    One person holds at most one window, and one window is held by at most one person, at any instant.
    """

    window = models.ForeignKey(Window, models.PROTECT, related_name="duties", verbose_name=_("window"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="duties", verbose_name=_("staff"))
    started_at = models.DateTimeField(_("signed in at"))
    ended_at = models.DateTimeField(_("sign-out time"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

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
        # Statistics read a day's duties (time held) and those ended since the last refresh (analytics).
        indexes = [
            models.Index(fields=["started_at"], name="duty_started_idx"),
            models.Index(fields=["ended_at"], name="duty_ended_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.window}"

    @cached_property
    def yields(self) -> bool:
        """Whether a person signing in here would be given the window (an app answering
        ``signals.holder_yields``, e.g. the demo for its simulated clerks, would free it)."""
        return any(answer for _receiver, answer in holder_yields.send(sender=Duty, duty=self))


class HandoverReason(models.TextChoices):
    SIGN_OUT = "sign_out", _("Sign-out")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    END_OF_DAY = "end_of_day", _("End of day")


class Handover(models.Model):
    """交接: what a clerk had in hand when leaving a window, and who took it over."""

    hall = models.ForeignKey(Hall, models.PROTECT, related_name="handovers", verbose_name=_("hall"))
    window = models.ForeignKey(Window, models.PROTECT, related_name="+", verbose_name=_("window"))
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="handovers_given", verbose_name=_("from")
    )
    successor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_taken",
        verbose_name=_("successor"),
        help_text=_("Empty: nobody was on duty; the items went back to the hall."),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=HandoverReason.choices)
    created_at = models.DateTimeField(_("handed over at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.from_user} → {self.successor or '—'} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def open(self) -> bool:
        """Waiting for the named successor's acknowledgement (items to the hall: ``queries.open_hall_handovers``)."""
        return self.successor_id is not None and self.acknowledged_at is None


class HandoverItemKind(models.TextChoices):
    TICKET = "ticket", _("Ticket at the window")
    FAST_LANE_TICKET = "fast_lane_ticket", _("Fast-lane ticket")
    CASE = "case", _("Case")


class HandoverItem(models.Model):
    """One thing handed over: a ticket at the window, a fast-lane ticket, a case."""

    handover = models.ForeignKey(Handover, models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=HandoverItemKind.choices)
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=40)  # the ticket or case number, as people say it
    to_hall = models.BooleanField(
        _("to the hall"),
        default=False,
        help_text=_("Nobody named could take it: the ticket waits at the front of the queue, the case in the pool."),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")

    def __str__(self) -> str:
        return f"{self.kind} {self.label}"


class LogisticsTemplate(models.Model):
    """后勤保障: what an extended (evening or Saturday) session needs, per hall."""

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="logistics_templates", verbose_name=_("hall"))
    name = models.CharField(_("name"), max_length=80)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("logistics checklist template")
        verbose_name_plural = _("logistics checklist templates")

    def __str__(self) -> str:
        return f"{self.hall} {self.name}"


class LogisticsTemplateItem(models.Model):
    template = models.ForeignKey(LogisticsTemplate, models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("task"), max_length=120, help_text=_("e.g. 安保人员到岗, 空调延时至20:00"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("usually")
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("logistics task")
        verbose_name_plural = _("logistics tasks")

    def __str__(self) -> str:
        return self.text


class EveningChecklist(models.Model):
    """The logistics checklist of one extended session."""

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="evening_checklists")
    session_start = models.DateTimeField(_("session start"))
    session_end = models.DateTimeField(_("session end"))
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["-session_start"]
        verbose_name = _("evening checklist")
        verbose_name_plural = _("evening checklists")
        constraints = [models.UniqueConstraint(fields=["hall", "session_start"], name="one_checklist_per_session")]

    def __str__(self) -> str:
        return f"{self.hall} {self.session_start:%Y-%m-%d %H:%M}"


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(EveningChecklist, models.CASCADE, related_name="items")
    text = models.CharField(_("task"), max_length=120)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("checklist task")
        verbose_name_plural = _("checklist tasks")

    def __str__(self) -> str:
        return self.text


class CompTimeEntry(models.Model):
    """补休 ledger: minutes credited for time worked beyond the contract, debited for time off taken."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="comp_time", verbose_name=_("staff")
    )
    day = models.DateField(_("day"), help_text=_("For a credit, the Monday of the week it is for."))
    minutes = models.IntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=120, blank=True)
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["day", "id"]
        verbose_name = _("compensatory time entry")
        verbose_name_plural = _("compensatory time entries")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], condition=Q(minutes__gt=0), name="one_credit_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day} {self.minutes:+d}"


_HOLDER_OF = PreparedQuery(
    lambda window_id: Duty.objects.open().filter(window_id=window_id).order_by("-started_at")[:1],
    window_id=Duty._meta.get_field("window"),
)
_HOLDS = PreparedQuery(
    lambda user_id, window_id: Duty.objects.held_by(user_id).filter(window_id=window_id).values_list("pk")[:1],
    user_id=Duty._meta.get_field("user"),
    window_id=Duty._meta.get_field("window"),
)
