"""The campaign's page forms: every field bounded, errors naming the field (core.forms.Form)."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from weimin.campaign.choices import (
    AssistanceKind,
    AttachmentKind,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
    ContactPurpose,
    HouseholdStatus,
    IncidentKind,
    OwnerPosition,
    Resettlement,
)
from weimin.core.forms import Form
from weimin.core.text import instant_validator

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0, "required": False}


def new_key() -> str:
    """The idempotency key a rendered form carries: a double tap submits it twice, one record is kept."""
    return secrets.token_urlsafe(16)


class ContactForm(Form):
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    household = forms.CharField(max_length=24, required=False, widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices, initial="phone")
    direction = forms.ChoiceField(label=_("Direction"), choices=ContactDirection.choices, initial="in")
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices, initial="answered")
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ContactPurpose.choices, initial="negotiation")
    companion = forms.ChoiceField(label=_("Second attendee"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companion"].choices = [("", "—"), *((str(p.pk), name) for p, name in people)]
        self.fields["key"].initial = new_key()


class StatusForm(Form):
    status = forms.ChoiceField(label=_("New status"), choices=HouseholdStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    agreement = forms.CharField(label=_("Agreement number"), max_length=60, required=False)


class MeetingForm(Form):
    attendees = forms.MultipleChoiceField(label=_("Team attendees"), required=False,
                                          widget=forms.CheckboxSelectMultiple)  # fmt: skip
    owner_attendees = forms.CharField(label=_("Owner's side"), max_length=120, required=False)
    valuation = forms.DecimalField(label=_("Valuation (yuan)"), **MONEY)
    items = forms.CharField(label=_("Compensation items (one per line: item amount)"), max_length=1000,
                            required=False, widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    resettlement = forms.ChoiceField(label=_("Resettlement"), choices=[("", "—"), *Resettlement.choices],
                                     required=False)  # fmt: skip
    resettlement_amount = forms.DecimalField(label=_("Resettlement money (yuan)"), **MONEY)
    exchange_area_m2 = forms.DecimalField(label=_("Exchange property (m²)"), max_digits=10, decimal_places=2,
                                          min_value=0, required=False)  # fmt: skip
    position = forms.ChoiceField(label=_("Owner's position"), choices=OwnerPosition.choices)
    concerns = forms.CharField(label=_("Concerns"), max_length=500, required=False)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    valuation_report = forms.FileField(label=_("Valuation report"), required=False)
    agreement = forms.FileField(label=_("Agreement"), required=False)
    key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(p.pk), name) for p, name in people]
        self.fields["key"].initial = new_key()


class AttachmentForm(Form):
    kind = forms.ChoiceField(label=_("What it is"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("File"))


class IncidentForm(Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=IncidentKind.choices)
    at = forms.DateTimeField(label=_("When"), validators=[instant_validator],
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip
    place = forms.CharField(label=_("Place"), max_length=120)
    people = forms.CharField(label=_("People involved"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=500)
    follow_up = forms.CharField(label=_("Follow-up"), max_length=300, required=False)


class AssistanceForm(Form):
    kind = forms.ChoiceField(label=_("Kind of help"), choices=AssistanceKind.choices)
    description = forms.CharField(label=_("Difficulty"), max_length=300)


class ResolutionForm(Form):
    resolution = forms.CharField(label=_("Resolution"), max_length=300)


class TaskDoneForm(Form):
    note = forms.CharField(label=_("Result"), max_length=300, required=False)


class ReassignForm(Form):
    cadre = forms.ChoiceField(label=_("Cadre"))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [(str(p.pk), name) for p, name in people]


class UploadForm(Form):
    file = forms.FileField(label=_("File"))
