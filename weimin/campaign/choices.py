from django.db import models
from django.utils.translation import gettext_lazy as _

from weimin.campaign.rules import Channel, Direction, EventKind, Outcome, Purpose, Status, TaskKind
from weimin.core.choices import labelled_choices

STATUS_LABELS = {
    Status.NOT_CONTACTED: _("Not contacted"),
    Status.NEGOTIATING: _("In negotiation"),
    Status.SIGNED: _("Signed"),
    Status.MOVED_OUT: _("Moved out"),
    Status.DEMOLISHED: _("Demolished"),
    Status.BREACHED: _("Agreement retracted"),
}
EVENT_LABELS = {
    EventKind.REGISTERED: _("Registered"),
    EventKind.CONTACTED: _("Negotiation started"),
    EventKind.SIGNED: _("Agreement signed"),
    EventKind.BREACHED: _("Agreement retracted by the owner"),
    EventKind.RENEGOTIATING: _("Re-negotiation"),
    EventKind.MOVED_OUT: _("Moved out"),
    EventKind.DEMOLISHED: _("Demolished"),
    EventKind.REASSIGNED: _("Reassigned"),
}
HouseholdStatus = labelled_choices("HouseholdStatus", STATUS_LABELS)
HouseholdEventKind = labelled_choices("HouseholdEventKind", EVENT_LABELS)
ContactChannel = labelled_choices(
    "ContactChannel",
    {Channel.PHONE: _("Phone"), Channel.VISIT: _("Visit"), Channel.WECHAT: _("WeChat"), Channel.WALK_IN: _("Walk-in")},
)
ContactDirection = labelled_choices("ContactDirection", {Direction.IN: _("Inbound"), Direction.OUT: _("Outbound")})
ContactOutcome = labelled_choices(
    "ContactOutcome", {Outcome.ANSWERED: _("Answered"), Outcome.MISSED: _("Not answered")}
)
ContactPurpose = labelled_choices(
    "ContactPurpose",
    {
        Purpose.NEGOTIATION: _("Asks to negotiate"),
        Purpose.ENQUIRY: _("Enquiry"),
        Purpose.COMPLAINT: _("Complaint"),
        Purpose.OTHER: _("Other"),
    },
)
TaskKindChoices = labelled_choices("TaskKindChoices", {TaskKind.VISIT: _("Visit"), TaskKind.CALLBACK: _("Call back")})


class PropertyUse(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Shop")
    INDUSTRIAL = "industrial", _("Factory or warehouse")
    OTHER = "other", _("Other")


class OwnerKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class Resettlement(models.TextChoices):
    MONEY = "money", _("Monetary compensation")
    EXCHANGE = "exchange", _("Property exchange")


class OwnerPosition(models.TextChoices):
    AGREES = "agrees", _("Agrees")
    HESITATES = "hesitates", _("Hesitates")
    REFUSES = "refuses", _("Refuses")


class AttachmentKind(models.TextChoices):
    VALUATION = "valuation", _("Valuation report")
    AGREEMENT = "agreement", _("Agreement")
    OTHER = "other", _("Other")


class IncidentKind(models.TextChoices):
    REFUSED_ENTRY = "refused_entry", _("Refused entry")
    VERBAL_ABUSE = "verbal_abuse", _("Verbal abuse")
    THREAT = "threat", _("Threats")
    VIOLENCE = "violence", _("Violence")


class AssistanceKind(models.TextChoices):
    WORK = "work", _("Work")
    SCHOOLING = "schooling", _("Schooling")
    ELDERLY_CARE = "elderly_care", _("Elderly care")
    MOVING = "moving", _("Moving help")
    OTHER = "other", _("Other")
