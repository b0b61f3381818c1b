from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.core.choices import labelled_choices
from weimin.tickets.rules import Event, Status

STATUS_LABELS = {
    Status.WAITING: _("Waiting"),
    Status.CALLED: _("Called"),
    Status.SERVING: _("Being served"),
    Status.COMPLETED: _("Completed"),
    Status.NO_SHOW: _("No-show"),
    Status.CANCELLED: _("Cancelled"),
    Status.CLOSED: _("Closed at end of day"),
}
EVENT_LABELS = {
    Event.ISSUED: _("Issued"),
    Event.CALLED: _("Called"),
    Event.RECALLED: _("Recalled"),
    Event.SERVING: _("Serving"),
    Event.COMPLETED: _("Completed"),
    Event.NO_SHOW: _("No-show"),
    Event.TRANSFERRED: _("Transferred"),
    Event.REJOINED: _("Rejoined"),
    Event.CANCELLED: _("Cancelled"),
    Event.CLOSED: _("Closed"),
}
# The life cycle lives in rules.py (no Django); these are its database choices, one label per member.
TicketStatus = labelled_choices("TicketStatus", STATUS_LABELS)
TicketEventKind = labelled_choices("TicketEventKind", EVENT_LABELS)


class Priority(models.TextChoices):
    """Why a ticket goes in the priority lane (优先窗口); empty for the normal queue."""

    NONE = "", _("Normal")
    ELDERLY = "elderly", _("Elderly (60+)")
    DISABLED = "disabled", _("Disabled")
    PREGNANT = "pregnant", _("Pregnant")
    APPOINTMENT = "appointment", _("Appointment")
    RESUBMISSION = "resubmission", _("Back with supplements")


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    API = "api", _("Phone or API")
    APPOINTMENT = "appointment", _("Appointment check-in")
    RESUBMISSION = "resubmission", _("Case fast lane")
    REMOTE = "remote", _("Taken from the phone")
    SIMULATION = "simulation", _("Demo simulation")


class AppointmentKind(models.TextChoices):
    """A booked slot, or today's number taken from the phone (远程取号): no slot, queued on arrival."""

    SLOT = "slot", _("Booked slot")
    REMOTE = "remote", _("Number taken from the phone")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    CHECKED_IN = "checked_in", _("Checked in")
    MISSED = "missed", _("Missed")
