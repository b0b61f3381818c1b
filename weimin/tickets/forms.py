from django import forms
from django.utils.translation import gettext_lazy as _

from weimin.core.forms import Form
from weimin.core.text import MAX_ID, instant_validator
from weimin.tickets.choices import Priority


class KioskTicketForm(Form):
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


class CheckInForm(Form):
    """Checking in at the kiosk: the booking's QR code scanned (its link: the kiosk's scanner types it
    and presses Enter), or the reference with the applicant's whole ID number typed on the keypad."""

    link = forms.CharField(label=_("Scan the QR code of your booking"), max_length=300, required=False)
    reference = forms.CharField(label=_("Appointment reference"), max_length=32, required=False)
    id_number = forms.CharField(label=_("ID number you booked with"), max_length=40, required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("link") and not (data.get("reference") and data.get("id_number")):
            raise forms.ValidationError(
                _("Scan your booking's QR code, or enter its reference and the ID number you booked with.")
            )
        return data


def token_in_link(scanned: str) -> str:
    """The token in a scanned booking link (…/a/<token>/), or the text itself."""
    text = (scanned or "").strip()
    if "/a/" in text:
        text = text.split("/a/", 1)[1]
    return text.split("/", 1)[0].split("?", 1)[0]


class TransferForm(Form):
    item = forms.CharField(label=_("To item"), max_length=40, required=False)
    window = forms.IntegerField(label=_("To window"), min_value=1, max_value=MAX_ID, required=False)


class BookingForm(Form):
    """A citizen books a slot: who is coming and how to reach them."""

    slot_start = forms.DateTimeField(widget=forms.HiddenInput, validators=[instant_validator])
    name = forms.CharField(label=_("Name"), max_length=40)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)


class RemoteTicketForm(forms.Form):
    """远程取号 on the phone: the matter and the ID number (required: the limit per person counts it)."""

    item = forms.ChoiceField(label=_("Matter"))
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    phone = forms.CharField(label=_("Mobile phone (optional)"), max_length=20, required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.code, f"{i.category.ticket_prefix} {i.name}") for i in items]
