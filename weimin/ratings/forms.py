"""The manager's answer to a bad rating's follow-up (回访), entered on the hall's evening page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from weimin.core.forms import Form
from weimin.ratings.choices import Resolution


class ResolutionForm(Form):
    resolution = forms.ChoiceField(label=_("resolution"), choices=Resolution.choices)
    note = forms.CharField(label=_("what was done"), max_length=500)
    rater_answer = forms.CharField(label=_("the rater's answer"), max_length=300, required=False)
