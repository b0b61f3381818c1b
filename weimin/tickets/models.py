import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weimin.halls.models import Hall, ServiceItem, Window
from weimin.tickets import rules
from weimin.tickets.choices import (
    AppointmentKind,
    AppointmentStatus,
    Priority,
    TicketEventKind,
    TicketSource,
    TicketStatus,
)


def secret_hash(value: str) -> str:
    """Keyed SHA-256 of a secret or personal number: comparable, not reversible, never stored in clear."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()


class TicketCounter(models.Model):
    """The last number issued per hall, business day and prefix; incremented atomically, never reset."""

    hall = models.ForeignKey(Hall, models.CASCADE, related_name="+")
    business_date = models.DateField()
    prefix = models.CharField(max_length=1)
    last = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hall", "business_date", "prefix"], name="one_counter_per_hall_day_prefix")
        ]
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")

    def __str__(self) -> str:
        return f"{self.hall_id} {self.business_date} {self.prefix}{self.last}"


class HallVersion(models.Model):
    """A hall's change counter: bumped by every change the hall's queue, consoles and pads show
    (``tickets.actions.announce``), so that a client asks "anything new?" with one primary-key read —
    or, while the process listens to PostgreSQL's notices, with no query at all (``tickets.changes``)."""

    hall = models.OneToOneField(Hall, models.CASCADE, primary_key=True, related_name="+")
    version = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("hall version")
        verbose_name_plural = _("hall versions")

    def __str__(self) -> str:
        return f"{self.hall_id} v{self.version}"


class Ticket(models.Model):
    """A queue ticket (排队号), e.g. A023: issued at a hall on one business day for one item."""

    hall = models.ForeignKey(Hall, models.PROTECT, related_name="tickets", verbose_name=_("hall"))
    business_date = models.DateField(_("business day"))
    prefix = models.CharField(max_length=1)
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=8)
    item = models.ForeignKey(ServiceItem, models.PROTECT, related_name="tickets", verbose_name=_("item"))
    status = models.CharField(_("status"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    priority = models.CharField(_("priority"), max_length=12, choices=Priority.choices, blank=True, default="")
    source = models.CharField(_("source"), max_length=12, choices=TicketSource.choices, default=TicketSource.KIOSK)
    issued_at = models.DateTimeField(_("issued at"))
    # Position in the queue: the issue instant, or the instant a no-show rejoined.
    queued_at = models.DateTimeField(_("queued at"))
    front = models.BooleanField(_("at the front"), default=False, help_text=_("Placed first by a transfer."))
    target_window = models.ForeignKey(
        Window, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("for window")
    )
    window = models.ForeignKey(
        Window, models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("at window")
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("called by")
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    id_masked = models.CharField(_("ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["business_date", "hall", "queued_at", "id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "business_date", "prefix", "sequence"], name="ticket_number_unique"
            ),
            models.UniqueConstraint(
                fields=["window"], condition=Q(status__in=["called", "serving"]), name="one_ticket_at_a_window"
            ),
        ]
        indexes = [models.Index(fields=["hall", "business_date", "status"], name="ticket_queue_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.hall} {self.business_date}"

    @property
    def is_priority(self) -> bool:
        return bool(self.priority)

    def token_matches(self, token: str) -> bool:
        return bool(token) and secret_hash(token) == self.token_hash


class TicketEvent(models.Model):
    """One change of a ticket, with its instant and actor. Statistics are computed from these alone."""

    ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="events")
    # The ticket's hall and business day, repeated so that displays and statistics read events alone.
    hall = models.ForeignKey(Hall, models.PROTECT, related_name="+")
    business_date = models.DateField()
    kind = models.CharField(max_length=12, choices=TicketEventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    window = models.ForeignKey(Window, models.PROTECT, null=True, blank=True, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [
            models.Index(fields=["ticket", "at"], name="ticket_event_ticket_idx"),
            models.Index(fields=["window", "kind", "at"], name="ticket_event_window_idx"),
            models.Index(fields=["hall", "business_date", "kind", "id"], name="ticket_event_hall_day_idx"),
            # The hall display's feed: the newest calls of a hall's day.
            models.Index(
                fields=["hall", "business_date", "-id"],
                condition=Q(kind__in=[kind.value for kind in rules.CALL_KINDS]),
                name="ticket_event_calls_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket.number} {self.kind} {self.at:%H:%M:%S}"


def new_ticket(
    hall: Hall,
    business_date,
    item: ServiceItem,
    sequence: int,
    now,
    *,
    token_hash: str,
    priority: str = "",
    source: str = TicketSource.KIOSK,
    id_hash: str = "",
    id_masked: str = "",
    phone: str = "",
    target_window: Window | None = None,
) -> Ticket:
    """A ticket as it is issued, unsaved: waiting, queued from ``now``. The one constructor of a new ticket:
    ``tickets.actions.issue_ticket`` and the demo's bulk day both build with it."""
    prefix = item.category.ticket_prefix
    return Ticket(
        hall=hall,
        business_date=business_date,
        prefix=prefix,
        sequence=sequence,
        number=rules.ticket_number(prefix, sequence),
        item=item,
        status=rules.Status.WAITING,
        priority=priority,
        source=source,
        issued_at=now,
        queued_at=now,
        id_hash=id_hash,
        id_masked=id_masked,
        phone=phone,
        token_hash=token_hash,
        target_window=target_window,
        front=target_window is not None,
    )


def issued_event(ticket: Ticket, *, actor=None) -> TicketEvent:
    """The ``issued`` event of a ticket built by ``new_ticket`` (unsaved; the ticket must be saved first)."""
    return TicketEvent(
        ticket=ticket,
        hall_id=ticket.hall_id,
        business_date=ticket.business_date,
        kind=rules.Event.ISSUED,
        at=ticket.issued_at,
        actor=actor,
        detail={"source": ticket.source},
    )


class Appointment(models.Model):
    """A booked slot (预约) for one item at one hall; checked in, it becomes a priority ticket.

    A number taken from the phone (远程取号, ``kind`` remote) is the same booking without a slot: from
    ``slot_start`` (when it was taken) until ``slot_end`` (the day's ticket cut-off). It is not in the
    queue until the citizen scans it at the kiosk; then it becomes a normal ticket queued from that
    instant, so a citizen who never comes blocks no window."""

    hall = models.ForeignKey(Hall, models.PROTECT, related_name="appointments", verbose_name=_("hall"))
    item = models.ForeignKey(ServiceItem, models.PROTECT, related_name="appointments", verbose_name=_("item"))
    kind = models.CharField(_("kind"), max_length=8, choices=AppointmentKind.choices, default=AppointmentKind.SLOT)
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    slot_start = models.DateTimeField(_("slot start"))
    slot_end = models.DateTimeField(_("slot end"))
    name = models.CharField(_("name"), max_length=40)
    id_hash = models.CharField(max_length=64, db_index=True)
    id_masked = models.CharField(_("ID number"), max_length=18)
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(
        _("status"), max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    token_hash = models.CharField(max_length=64, unique=True)
    booked_at = models.DateTimeField(_("booked at"))
    changed_at = models.DateTimeField(_("changed at"))
    ticket = models.OneToOneField(
        Ticket, models.PROTECT, null=True, blank=True, related_name="appointment", verbose_name=_("ticket")
    )

    class Meta:
        ordering = ["slot_start", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [models.Index(fields=["hall", "item", "slot_start"], name="appointment_slot_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.item} {self.slot_start:%Y-%m-%d %H:%M}"

    def token_matches(self, token: str) -> bool:
        return bool(token) and secret_hash(token) == self.token_hash
