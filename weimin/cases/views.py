"""Case pages: the console's intake and re-check, printable notices, the citizen's status page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts.auth import can_act_at
from weimin.cases import actions, queries
from weimin.cases.actions import MaterialCheck
from weimin.cases.forms import CaseLookupForm, DecisionForm, IntakeForm, add_checklist
from weimin.cases.models import Case, CaseNotice
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.halls.lookups import hall_or_404, window_or_404
from weimin.tickets import queue
from weimin.tickets.views import qr_svg


def case_or_404(number: str) -> Case:
    case = Case.objects.select_related("hall", "item", "clerk").filter(number=number).first()
    if case is None:
        raise Http404(_("No case %(number)s.") % {"number": number})
    return case


def checks_from(form, rows) -> list[MaterialCheck]:
    return [MaterialCheck(str(m.pk), form.cleaned_data[state.name], form.cleaned_data[note.name])
            for m, state, note in rows]  # fmt: skip


def show_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
def console_case(request, window_id):
    """The ticket at this window: intake and decision, or the re-check of a returning visitor's case."""
    window = window_or_404(window_id)
    ticket = queue.ticket_at_window(window)
    if ticket is None:
        messages.error(request, _("No ticket at this window."))
        return redirect("tickets:console-window", window_id=window.pk)
    returning = getattr(ticket, "resubmission", None)
    if returning is not None:
        return recheck(request, window, ticket, returning.case)
    form = IntakeForm(request.POST or None)
    rows = add_checklist(form, ticket.item.materials.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = actions.open_and_decide(
                request.user, ticket, clock.now(), data["decision"], promise_signed=data["promise_signed"],
                reason=data["reason"], competent_agency=data["competent_agency"], kind=data["kind"],
                name=data["name"], id_number=data["id_number"], credit_code=data["credit_code"],
                credit_code_override=data["credit_code_override"], agent_name=data["agent_name"],
                phone=data["phone"], materials=checks_from(form, rows),
            )  # fmt: skip
        except DomainError as error:
            show_error(form, error)
        else:
            return redirect("cases:notice", number=notice.case.number, notice_id=notice.pk)
    return render(request, "cases/intake.html", {"window": window, "ticket": ticket, "form": form, "rows": rows})


def recheck(request, window, ticket, case):
    """补正回访: only the materials the notice listed are checked again."""
    listed = [line.material for line in case.materials.filter(in_notice=True).select_related("material")]
    form = DecisionForm(request.POST or None, initial={"decision": "accept"})
    rows = add_checklist(form, listed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = actions.decide(
                request.user, case, clock.now(), data["decision"], materials=checks_from(form, rows),
                promise_signed=data["promise_signed"], reason=data["reason"],
                competent_agency=data["competent_agency"],
            )  # fmt: skip
        except DomainError as error:
            show_error(form, error)
        else:
            return redirect("cases:notice", number=case.number, notice_id=notice.pk)
    context = {"window": window, "ticket": ticket, "case": case, "form": form, "rows": rows}
    return render(request, "cases/recheck.html", context)


def viewer_may_see(request, case: Case) -> bool:
    if request.user.is_authenticated and can_act_at(request.user, case.hall):
        return True
    return request.GET.get("id_last4", "").strip().upper() == case.id_number[-4:]


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
        if case is None or case.id_number[-4:] != form.cleaned_data["id_last4"].strip().upper():
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
    if case is None or case.id_number[-4:] != form.cleaned_data.get("id_last4", "").strip().upper():
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
