"""The analytics pages' choices: which hall (or the district), which item, which period; the effect
report's start and weeks."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from weimin.analytics import effect, effect_report, periods
from weimin.core.errors import InvalidInput
from weimin.core.forms import Form
from weimin.core.text import FIRST_DAY, LAST_DAY
from weimin.halls.models import Hall, ServiceItem

DISTRICT = ""  # the hall choice that means every hall of the district
MAX_DAYS = 366  # the demand page reads every half-hour of every day: a year at most


class DemandForm(Form):
    """``?hall=&item=&from=&to=`` of the demand page, bounded: the user's halls only, a known item, a
    period of at most a year."""

    hall = forms.ChoiceField(label=_("Hall"), required=False)
    item = forms.ChoiceField(label=_("Item"), required=False)
    # ``from`` is a Python keyword: ``add_prefix`` gives these two fields their query parameters' names.
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    PARAMETERS = {"start": "from", "end": "to"}

    def __init__(self, data, *, halls: list[Hall], district: bool, default_period: tuple[date, date]):
        super().__init__(data)
        choices = [(DISTRICT, _("Whole district"))] if district else []
        self.fields["hall"].choices = choices + [(hall.code, hall.name) for hall in halls]
        self.fields["hall"].initial = DISTRICT if district else halls[0].code
        items = ServiceItem.objects.order_by("category__code", "code").values_list("code", "name")
        self.fields["item"].choices = [("", _("All items")), *items]
        self.fields["start"].initial, self.fields["end"].initial = default_period
        self.halls = {hall.code: hall for hall in halls}

    def add_prefix(self, field_name):
        return self.PARAMETERS.get(field_name, field_name)

    def _on_calendar(self, name: str):
        # Bounded, so that no date arithmetic runs off the calendar's ends.
        day = self.cleaned_data.get(name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                _("Choose a date from %(earliest)s to %(latest)s.") % {"earliest": FIRST_DAY, "latest": LAST_DAY}
            )
        return day

    def clean_start(self):
        return self._on_calendar("start")

    def clean_end(self):
        return self._on_calendar("end")

    def clean(self):
        data = super().clean()
        for name in self.fields:
            if data.get(name) in (None, "") and not self.has_error(name):
                data[name] = self.fields[name].initial
        if data.get("start") and data.get("end"):
            try:
                periods.checked(data["start"], data["end"], max_days=MAX_DAYS)
            except InvalidInput as error:
                self.add_error("end", error.message)
        return data

    def chosen_halls(self) -> list[Hall]:
        code = self.cleaned_data["hall"]
        return list(self.halls.values()) if code == DISTRICT else [self.halls[code]]

    def chosen_item(self) -> ServiceItem | None:
        code = self.cleaned_data["item"]
        return ServiceItem.objects.filter(code=code).first() if code else None

    def query(self) -> dict[str, str]:
        """The choices as query parameters (the downloads' links repeat them)."""
        data = self.cleaned_data
        return {"hall": data["hall"], "item": data["item"], "from": data["start"].isoformat(),
                "to": data["end"].isoformat()}  # fmt: skip


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
