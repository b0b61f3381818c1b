"""Case pages: printable notices, the citizen's status page, the kiosk's fast lane, cases due (the
intake form at the window is the workstation's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts.auth import can_act_at
from weimin.cases import actions, queries
from weimin.cases.forms import CaseLookupForm
from weimin.cases.models import Case, CaseNotice
from weimin.cases.queries import case_or_404
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.core.qr import qr_svg
from weimin.halls.lookups import hall_or_404


def viewer_may_see(request, case: Case) -> bool:
    if request.user.is_authenticated and can_act_at(request.user, case.hall):
        return True
    return case.opens_with(request.GET.get("id_last4"))


def notice(request, number, notice_id):
    """A printable notice (A4), with a QR code to the case's status page."""
    case = case_or_404(number)
    if not viewer_may_see(request, case):
        raise Http404(_("No case %(number)s.") % {"number": number})
    found = CaseNotice.objects.filter(case=case, pk=notice_id).select_related("issued_by").first()
    if found is None:
        raise Http404(_("No such notice."))
    status_url = request.build_absolute_uri(reverse("cases:status") + f"?number={case.number}")
    # Paper travels: the printed notice carries the masked number, whoever prints it.
    context = {"case": case, "notice": found, "qr": qr_svg(status_url), "id_shown": case.id_masked,
               "dates": queries.due_dates(case, case.hall.local_date(clock.now()))}  # fmt: skip
    return render(request, "cases/notice.html", context)


def status(request):
    """The citizen's view: case number and the last 4 characters of the ID number."""
    form = CaseLookupForm(request.GET or None)
    case = dates = None
    if form.is_valid():
        case = Case.objects.select_related("hall", "item").filter(number=form.cleaned_data["number"].strip()).first()
        if case is None or not case.opens_with(form.cleaned_data["id_last4"]):
            form.add_error(None, _("No case matches that number and ID."))
            case = None
        else:
            dates = queries.due_dates(case, case.hall.local_date(clock.now()))
    return render(request, "cases/status.html", {"form": form, "case": case, "dates": dates})


@require_POST
def kiosk_resubmit(request, code):
    """At the kiosk: back with the supplements → a fast-lane ticket."""
    form = CaseLookupForm(request.POST)
    case = None
    if form.is_valid():
        case = Case.objects.filter(hall__code=code, number=form.cleaned_data["number"].strip()).first()
    if case is None or not case.opens_with(form.cleaned_data.get("id_last4")):
        messages.error(request, _("No case matches that number and ID at this hall."))
        return redirect("tickets:kiosk", code=code)
    try:
        issued = actions.check_in_resubmission(case, clock.now())
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("tickets:kiosk", code=code)
    return redirect("tickets:slip", token=issued.token)


@login_required
def due(request, code):
    """For the hall manager: open cases past or close to their promised date."""
    hall = hall_or_404(code)
    if not can_act_at(request.user, hall):
        raise Http404(_("No hall with code %(code)s.") % {"code": code})
    rows = queries.due_list(hall, hall.local_date(clock.now()))
    return render(request, "cases/due.html", {"hall": hall, "rows": rows})
