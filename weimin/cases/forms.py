from django import forms
from django.utils.translation import gettext_lazy as _

from weimin.cases.choices import ApplicantKind, DecisionChoices, MaterialStateChoices
from weimin.core.forms import Form


class DecisionForm(Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DecisionChoices.choices, widget=forms.RadioSelect)
    promise_signed = forms.BooleanField(label=_("The applicant signed the written promise (容缺)"), required=False)
    reason = forms.CharField(label=_("Reason (for a refusal)"), max_length=300, required=False)
    competent_agency = forms.CharField(label=_("Competent agency, if another"), max_length=120, required=False)


class IntakeForm(DecisionForm):
    kind = forms.ChoiceField(label=_("Applicant"), choices=ApplicantKind.choices, initial=ApplicantKind.PERSON)
    name = forms.CharField(label=_("Name (company name for a company)"), max_length=80)
    id_number = forms.CharField(label=_("ID number (the agent's, for a company)"), max_length=18)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    credit_code_override = forms.CharField(label=_("Reason to accept a legacy code"), max_length=200, required=False)
    agent_name = forms.CharField(label=_("Agent"), max_length=40, required=False)
    phone = forms.CharField(label=_("Phone (for the result)"), max_length=20, required=False)


def add_checklist(form: forms.Form, materials, initial: dict | None = None) -> list[tuple]:
    """One state and one note field per material; returns (material, state field, note field) rows.
    Each starts 未核验 (not checked): the clerk checks every line, nothing is accepted by default."""
    rows = []
    for material in materials:
        state, note = f"state_{material.pk}", f"note_{material.pk}"
        form.fields[state] = forms.ChoiceField(
            label=material.name,
            choices=[("", _("Not checked")), *MaterialStateChoices.choices],
            widget=forms.RadioSelect,
            initial=(initial or {}).get(material.pk, ""),
            error_messages={"required": _("Check this material: present, missing or non-compliant.")},
        )
        form.fields[note] = forms.CharField(label=_("note"), max_length=200, required=False)
        rows.append((material, form[state], form[note]))
    return rows


class CaseLookupForm(Form):
    """The applicant's typed lookup: the case number and their whole ID number (posted, never in the
    address). Room for spaces and full-width digits: core.inputs normalizes them."""

    number = forms.CharField(label=_("Case number"), max_length=40)
    id_number = forms.CharField(
        label=_("ID number (all 18 characters)"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class KioskResubmitForm(Form):
    """The kiosk's fast lane: scan the notice's QR code (its link) or type the number and ID number."""

    link = forms.CharField(label=_("Scan the QR code of your notice"), max_length=300, required=False)
    number = forms.CharField(label=_("Case number"), max_length=40, required=False)
    id_number = forms.CharField(label=_("ID number (all 18 characters)"), max_length=40, required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("link") and not (data.get("number") and data.get("id_number")):
            raise forms.ValidationError(_("Scan your notice's QR code, or enter the case number and your ID number."))
        return data


def token_in(scanned: str) -> str:
    """The token in a scanned notice link (…/cases/s/<token>/), or the text itself."""
    text = scanned.strip()
    if "/cases/s/" in text:
        text = text.split("/cases/s/", 1)[1]
    return text.split("/", 1)[0].split("?", 1)[0]
