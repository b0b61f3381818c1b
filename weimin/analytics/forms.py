from django import forms
from django.utils.translation import gettext_lazy as _

from weimin.analytics import effect, effect_report
from weimin.core.errors import InvalidInput
from weimin.core.forms import Form


class EffectForm(Form):
    """What the effect report compares: a hall the person may see (or the whole district, for the office),
    a start (a Monday) and the weeks on each side."""

    hall = forms.ChoiceField(label=_("Hall"), required=False)
    start = forms.DateField(label=_("Start (a Monday)"), widget=forms.DateInput(attrs={"type": "date"}))
    weeks = forms.IntegerField(label=_("Weeks on each side"), min_value=1, max_value=effect.MAX_WEEKS)

    def __init__(self, data, *, halls, district: bool):
        super().__init__(data)
        whole = [("", _("The whole district"))] if district else []
        self.fields["hall"].choices = whole + [(hall.code, hall.name) for hall in halls]
        self.fields["hall"].required = not district

    def clean_start(self):
        start = self.cleaned_data["start"]
        try:
            effect_report.check_start(start)
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from None
        return start
