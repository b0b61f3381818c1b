"""Case pages: printable notices, the citizen's status page, the kiosk's fast lane, cases due (the
intake form at the window is the workstation's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts.permissions import Action, may
from weimin.cases import actions, queries
from weimin.cases.forms import CaseLookupForm, KioskResubmitForm, token_in
from weimin.cases.models import Case, CaseNotice
from weimin.cases.queries import case_or_404
from weimin.core import clock
from weimin.core.errors import DomainError, NotFound, TooManyAttempts
from weimin.core.forms import all_errors
from weimin.core.limits import client_address
from weimin.core.qr import qr_svg
from weimin.halls.lookups import hall_or_404
from weimin.tickets import limits as ticket_limits


def _notice_page(request, case: Case, notice_id, qr_url: str, *, via_link: bool):
    found = CaseNotice.objects.filter(case=case, pk=notice_id).select_related("issued_by").first()
    if found is None:
        raise Http404(_("No such notice."))
    # Paper travels: the printed notice carries the masked number, whoever prints it.
    context = {"case": case, "notice": found, "qr": qr_svg(request.build_absolute_uri(qr_url)),
               "via_link": via_link, "id_shown": case.id_masked,
               "dates": queries.due_dates(case, case.hall.local_date(clock.now()))}  # fmt: skip
    return render(request, "cases/notice.html", context)


def notice(request, number, notice_id):
    """A notice for staff of the hall (a reprint: its QR code leads to the typed lookup, since only the
    applicant's latest notice carries their key)."""
    case = case_or_404(number)
    if not may(request.user, Action.CASE_READ, case.hall):
        raise Http404(_("No case %(number)s.") % {"number": number})
    return _notice_page(request, case, notice_id, reverse("cases:status") + f"?number={case.number}", via_link=False)


def _case_by_link(request, token) -> Case:
    """The case the applicant's link opens; any failure is the same 404 (too many: TooManyAttempts)."""
    try:
        return queries.case_for_link(token, address=client_address(request), now=clock.now())
    except NotFound as error:
        raise Http404(error.message) from error


def _too_many(request, message):
    return render(request, "cases/status.html", {"form": CaseLookupForm(), "refusal": message}, status=429)


def notice_by_link(request, token, notice_id):
    """The printable notice (A4) the clerk prints after a decision, and the applicant's copy: its QR
    code carries the applicant's key (/cases/s/<token>/)."""
    try:
        case = _case_by_link(request, token)
    except TooManyAttempts as error:
        return _too_many(request, error.message)
    return _notice_page(request, case, notice_id, reverse("cases:mine", args=[token]), via_link=True)


def mine(request, token):
    """The applicant's own page, opened from the notice's QR code."""
    try:
        case = _case_by_link(request, token)
    except TooManyAttempts as error:
        return _too_many(request, error.message)
    now = clock.now()
    context = {"case": case, "dates": queries.due_dates(case, case.hall.local_date(now)), "token": token,
               "supplements": queries.supplements(case, now), "notices": case.notices.all()}  # fmt: skip
    return render(request, "cases/status.html", context)


def status(request):
    """The citizen's typed lookup: the case number and the whole ID number, posted (never in the
    address); the same answer for an unknown case and a wrong number, failures limited."""
    form = CaseLookupForm(request.POST or None, initial={"number": request.GET.get("number", "")})
    case = dates = refusal = supplements = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = queries.case_for_applicant(data["number"], data["id_number"], address=client_address(request),
                                              now=clock.now())  # fmt: skip
        except TooManyAttempts as error:
            refusal = error.message
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            now = clock.now()
            dates, supplements = queries.due_dates(case, case.hall.local_date(now)), queries.supplements(case, now)
    context = {"form": form, "case": case, "dates": dates, "refusal": refusal, "supplements": supplements}
    return render(request, "cases/status.html", context, status=429 if refusal else 200)


@require_POST
def kiosk_resubmit(request, code):
    """At the kiosk: back with the supplements → a fast-lane ticket. The applicant scans the notice's
    QR code (its link) or types the case number and the whole ID number."""
    hall = hall_or_404(code)
    form = KioskResubmitForm(request.POST)
    if not form.is_valid():
        for message in all_errors(form):
            messages.error(request, message)
        return redirect("tickets:kiosk-fast-lane", code=code)
    # A hall's enrolled kiosk serves everyone from one address: only the per-case count applies there.
    address = None if ticket_limits.exempt(request, hall) else client_address(request)
    data, now = form.cleaned_data, clock.now()
    try:
        if data["link"]:
            case = queries.case_for_link(token_in(data["link"]), address=address, now=now, hall=hall)
        else:
            case = queries.case_for_applicant(data["number"], data["id_number"], address=address, now=now, hall=hall)
        issued = actions.check_in_resubmission(case, now)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("tickets:kiosk-fast-lane", code=code)
    return redirect("tickets:slip", token=issued.token)


@login_required
def due(request, code):
    """For the hall manager: open cases past or close to their promised date."""
    hall = hall_or_404(code)
    if not may(request.user, Action.CASES_DUE, hall):
        raise Http404(_("No hall with code %(code)s.") % {"code": code})
    rows = queries.due_list(hall, hall.local_date(clock.now()))
    return render(request, "cases/due.html", {"hall": hall, "rows": rows})
