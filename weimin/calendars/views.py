from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from weimin.accounts.permissions import Action, may
from weimin.calendars import actions, rules
from weimin.calendars.forms import NoticeForm
from weimin.calendars.models import CalendarYear
from weimin.calendars.national import NationalCalendar, missing_years
from weimin.core import clock


def _years(today) -> list[dict]:
    """Last, this and next year: published with weimin, entered by the office, or missing."""
    entered = {y.year: y for y in CalendarYear.objects.filter(year__range=(today.year - 1, today.year + 1))}
    calendar = NationalCalendar()
    return [
        {"year": year, "entered": entered.get(year), "known": calendar.knows(year),
         "packaged": rules.package_knows(year)}
        for year in range(today.year - 1, today.year + 2)
    ]  # fmt: skip


@login_required
def enter_year(request):
    """The district office enters a year of the State Council's holiday notice: paste or upload the CSV,
    preview it validated (nothing is saved while a row is wrong), then save."""
    if not may(request.user, Action.CALENDAR_ENTER, None):
        raise Http404(_("No such page."))
    now = clock.now()
    today = timezone.localdate(now)
    missing = missing_years(today)
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and len(asked) == 4 else (missing[0] if missing else today.year + 1)
    form = NoticeForm(request.POST or None, request.FILES or None, initial={"year": year})
    preview = request.method == "POST" and form.is_valid()
    if preview and request.POST.get("step") == "save":
        data = form.cleaned_data
        actions.enter_year(request.user, data["year"], data["source"], form.rows, now)
        messages.success(request, _("%(year)s saved: its days are known from now on.") % {"year": data["year"]})
        return redirect("calendars:enter")
    context = {"form": form, "preview": preview, "years": _years(today), "columns": rules.NOTICE_COLUMNS}
    status = 422 if request.method == "POST" and not preview else 200
    return render(request, "calendars/enter.html", context, status=status)
