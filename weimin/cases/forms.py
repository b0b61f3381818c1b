from django import forms
from django.utils.translation import gettext_lazy as _

from weimin.cases.choices import ApplicantKind, DecisionChoices, MaterialStateChoices


class DecisionForm(forms.Form):
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
    """One state and one note field per material; returns (material, state field, note field) rows."""
    rows = []
    for material in materials:
        state, note = f"state_{material.pk}", f"note_{material.pk}"
        form.fields[state] = forms.ChoiceField(
            label=material.name,
            choices=MaterialStateChoices.choices,
            widget=forms.RadioSelect,
            initial=(initial or {}).get(material.pk, "present"),
        )
        form.fields[note] = forms.CharField(label=_("note"), max_length=200, required=False)
        rows.append((material, form[state], form[note]))
    return rows


class CaseLookupForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=20)
    id_last4 = forms.CharField(label=_("Last 4 characters of the ID number"), min_length=4, max_length=4)
