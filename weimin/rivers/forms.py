"""The river office's page forms: a sample, an Excel/CSV import, a satisfaction survey, a period. Every
error names its field; measurements are checked by the rule module's physical ranges (the action checks
them again), so the form and the API refuse the same values with the same words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from weimin.core.forms import Form
from weimin.core.text import FIRST_DAY, LAST_DAY
from weimin.rivers.choices import FIELD_LABELS, problem_text
from weimin.rivers.models import MonitoringPoint
from weimin.rivers.rules import MEASUREMENTS, parse_reading

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _day(label, **kwargs):
    return forms.DateField(label=label, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), **kwargs)


def in_calendar(day):
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(_("must be between the years 1900 and 2999"))
    return day


class SampleForm(Form):
    point = forms.ChoiceField(label=FIELD_LABELS["point"])
    date = _day(FIELD_LABELS["date"], validators=[in_calendar])
    depth_cm = forms.CharField(label=FIELD_LABELS["depth_cm"], max_length=20)
    transparency_cm = forms.CharField(label=FIELD_LABELS["transparency_cm"], max_length=20)
    do_mg_l = forms.CharField(label=FIELD_LABELS["do_mg_l"], max_length=20)
    orp_mv = forms.CharField(label=FIELD_LABELS["orp_mv"], max_length=20)
    nh3n_mg_l = forms.CharField(label=FIELD_LABELS["nh3n_mg_l"], max_length=20)
    sampler = forms.CharField(label=FIELD_LABELS["sampler"], max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        points = MonitoringPoint.objects.select_related("reach__body").order_by("reach__body__position", "chainage_m")
        groups: dict[str, list] = {}
        for point in points:
            groups.setdefault(point.reach.body.name, []).append((point.code, f"{point.code} · {point.chainage_m} m"))
        self.fields["point"].choices = [("", "—"), *groups.items()]
        for name in MEASUREMENTS:
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self):
        cleaned = super().clean()
        if all(name in cleaned for name in MEASUREMENTS):
            _reading, problems = parse_reading({name: cleaned[name] for name in MEASUREMENTS})
            for problem in problems:
                self.add_error(problem.field, problem_text(problem))
        return cleaned


class ImportForm(Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))
    sampler = forms.CharField(
        label=FIELD_LABELS["sampler"],
        max_length=40,
        required=False,
        help_text=_("For rows whose sampler column is empty."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel (.xlsx) or CSV file."))
        return upload


class SurveyForm(Form):
    held_from = _day(FIELD_LABELS["held_from"], validators=[in_calendar])
    held_to = _day(FIELD_LABELS["held_to"], validators=[in_calendar])
    responses = forms.IntegerField(label=FIELD_LABELS["responses"], min_value=0, max_value=1_000_000)
    valid = forms.IntegerField(label=FIELD_LABELS["valid"], min_value=0, max_value=1_000_000)
    satisfied = forms.IntegerField(label=FIELD_LABELS["satisfied"], min_value=0, max_value=1_000_000)
    note = forms.CharField(label=FIELD_LABELS["note"], max_length=200, required=False)


class PeriodForm(Form):
    """``?from=&to=`` on a body's page; either may be left out."""

    start = _day(_("From"), required=False, validators=[in_calendar])
    end = _day(_("To"), required=False, validators=[in_calendar])
