from django import forms
from django.utils.translation import gettext_lazy as _

from weimin.tickets.choices import Priority


class KioskTicketForm(forms.Form):
    """What the kiosk asks before printing a number; everything optional."""

    id_number = forms.CharField(label=_("ID number (optional)"), max_length=18, required=False)
    phone = forms.CharField(label=_("Mobile phone (optional)"), max_length=20, required=False)
    priority = forms.ChoiceField(
        label=_("Priority lane"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (Priority.NONE, _("No")),
            (Priority.DISABLED, Priority.DISABLED.label),
            (Priority.PREGNANT, Priority.PREGNANT.label),
        ],
        help_text=_("Visitors aged 60 or over are put in the priority lane from their ID number."),
    )


class CheckInForm(forms.Form):
    reference = forms.CharField(label=_("Appointment reference"), max_length=16)


class TransferForm(forms.Form):
    item = forms.CharField(label=_("To item"), required=False)
    window = forms.IntegerField(label=_("To window"), required=False)


class BookingForm(forms.Form):
    """A citizen books a slot: who is coming and how to reach them."""

    slot_start = forms.DateTimeField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=40)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
