import csv

from django import forms
from django.utils.translation import gettext_lazy as _

from weimin.calendars import rules
from weimin.calendars.national import NationalCalendar
from weimin.calendars.rules import NoticeProblem

MAX_NOTICE_CHARS = 20_000  # a year's notice is some twenty rows
MAX_UPLOAD_BYTES = 64 * 1024

PROBLEM_MESSAGES = {
    NoticeProblem.COLUMNS: _("expected three columns: date_or_range,kind,name"),
    NoticeProblem.DATE: _("not a date or a range: write 2027-01-01 or 2027-02-06..2027-02-13"),
    NoticeProblem.RANGE_ORDER: _("the range ends before it starts"),
    NoticeProblem.RANGE_LENGTH: _("a holiday period of more than 15 days"),
    NoticeProblem.OUTSIDE_YEAR: _("outside the year (only the December before may appear)"),
    NoticeProblem.KIND: _("write holiday or workday"),
    NoticeProblem.WORKDAY_WEEKDAY: _("a make-up workday must be a Saturday or a Sunday"),
    NoticeProblem.WORKDAY_RANGE: _("list each make-up workday on its own row"),
    NoticeProblem.NAME: _("give the holiday's name (at most 60 characters)"),
    NoticeProblem.OVERLAP: _("a date already listed on row %(other)s"),
    NoticeProblem.EMPTY: _("no rows: paste the notice's holidays and make-up workdays"),
}
COLUMN_LABELS = {"date_or_range": _("date or range"), "kind": _("kind"), "name": _("name")}


class NoticeForm(forms.Form):
    """A year of the State Council's holiday notice, pasted or uploaded as CSV (docs/calendar.md)."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2200)
    source = forms.CharField(
        label=_("Notice"), max_length=200, help_text=_("e.g. 国务院办公厅关于2027年部分节假日安排的通知")
    )
    text = forms.CharField(
        label=_("Holidays and make-up workdays (CSV)"),
        max_length=MAX_NOTICE_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )
    upload = forms.FileField(label=_("or upload a CSV file"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows: list[rules.NoticeRow] = []
        self.row_errors: list[str] = []
        self.replaces = False

    def clean_year(self):
        year = self.cleaned_data["year"]
        if rules.package_knows(year):
            raise forms.ValidationError(
                _("%(year)s is already complete: its holidays are published with weimin.") % {"year": year}
            )
        self.replaces = NationalCalendar().knows(year)
        return year

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return ""
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 64 KB: a year's notice is a few rows."))
        raw = upload.read()
        # Spreadsheets here save CSV as UTF-8 (often with a BOM) or as GB18030.
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file is not text in UTF-8 or GB18030."))

    def clean(self):
        data = super().clean()
        text = data.get("upload") or data.get("text") or ""
        if "\x00" in text or len(text) > MAX_NOTICE_CHARS:
            self.add_error("upload" if data.get("upload") else "text", _("Not a CSV notice of a few rows."))
            return data
        data["text"] = text
        if not text.strip():
            self.add_error("text", _("Paste the rows or upload a file."))
            return data
        if "year" not in data:
            return data
        self.rows, errors = rules.parse_notice(list(csv.reader(text.splitlines())), data["year"])
        self.row_errors = [
            _("Row %(row)s, column %(column)s: %(problem)s")
            % {
                "row": error.row,
                "column": COLUMN_LABELS[error.column],
                "problem": PROBLEM_MESSAGES[error.problem] % {"other": error.other_row},
            }
            for error in errors
        ]
        if errors:
            self.add_error(None, _("Nothing was saved: correct the rows below and preview again."))
        return data

    def summary(self) -> dict:
        holidays = [row for row in self.rows if row.kind == rules.DayKind.HOLIDAY]
        names = rules.holiday_names(self.rows)
        return {
            "holidays": len(names),
            "holiday_days": sum(len(row.days()) for row in holidays),
            "workdays": len(self.rows) - len(holidays),
            "incomplete": len(names) < rules.STATUTORY_HOLIDAYS,
        }
