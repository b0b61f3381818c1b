"""The clerk's workstation (窗口工作台): choose a window, sign in and out with the handover, call and
serve the queue, acknowledge what a colleague handed over.

It composes the domain apps below it — tickets, shifts and the cases' intake form — and changes
nothing itself: every change is an action of the app that owns it.
"""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts.models import person_name
from weimin.accounts.permissions import Action, may
from weimin.cases import actions as case_actions
from weimin.cases import queries as case_queries
from weimin.cases.actions import MaterialCheck
from weimin.cases.forms import DecisionForm, IntakeForm, add_checklist
from weimin.core import clock
from weimin.core.errors import DomainError, InvalidInput
from weimin.halls import reference
from weimin.halls.lookups import item_or_404, known_window_or_404, window_or_404
from weimin.halls.models import Window
from weimin.planning import queries as planning_queries
from weimin.shifts import actions as shift_actions
from weimin.shifts import queries as shift_queries
from weimin.shifts.models import Duty, Handover
from weimin.tickets import actions as ticket_actions
from weimin.tickets import changes, queue
from weimin.tickets.forms import TransferForm


@login_required
def choose(request):
    duty = Duty.objects.duty_of(request.user)
    if duty is not None:
        return redirect("workstation:window", window_id=duty.window_id)
    windows = (
        Window.objects.filter(hall__staff__user=request.user, active=True)
        .select_related("hall")
        .prefetch_related("items")
        .order_by("hall__position", "number")
    )
    holders = Duty.objects.holders_of(windows)
    rows = [(window, holders.get(window.pk)) for window in windows]
    today = timezone.localdate(clock.now())
    first, last = today, planning_queries.week_of(today)[1] + timedelta(days=7)  # this week's rest and the next
    context = {
        "rows": rows,
        "comp_time_hours": shift_queries.balance(request.user) / 60,
        "my_shifts": planning_queries.my_shifts(request.user, first, last),
    }
    return render(request, "workstation/choose.html", context)


@login_required
@require_POST
def sign_in(request, window_id):
    window = window_or_404(window_id)
    try:
        shift_actions.sign_in(request.user, window, clock.now())
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workstation:choose")
    return redirect("workstation:window", window_id=window.pk)


def _in_hand(user, window):
    """What the clerk at ``window`` holds, as (tickets, cases), and the fingerprint the confirmation
    page posts back: anything new arriving in between asks again."""
    current, fast_lane, cases = shift_queries.in_hand(user, window)
    tickets = [*([current] if current else []), *fast_lane]
    return tickets, cases, ",".join(sorted([t.number for t in tickets] + [c.number for c in cases]))


def _successor_choice(user, window, value: str):
    """The confirmation's choice: "" the proposal, "hall" the hall's pool, else a colleague's id."""
    if value in ("", "hall"):
        return None, value == "hall"
    if not (value.isascii() and value.isdigit()):
        raise InvalidInput(_("Choose a colleague from the list."), field="successor")
    return get_user_model().objects.filter(pk=int(value)).first(), False


@login_required
def sign_out(request, window_id):
    """签退. With nothing in hand it signs out at once; with a ticket or a case in hand it first shows
    what will be handed over and to whom (every colleague on duty who can take it; the hall last)."""
    window = window_or_404(window_id)
    if not Duty.objects.holds(request.user, window):
        messages.error(request, _("You are not signed in at window %(n)s.") % {"n": window.number})
        return redirect("workstation:choose")
    tickets, cases, listed = _in_hand(request.user, window)
    logout = request.POST.get("logout") == "1" or request.GET.get("logout") == "1"
    confirmed = not listed or request.POST.get("confirm") == listed
    if request.method == "POST" and not confirmed and request.POST.get("confirm"):
        messages.warning(request, _("Something new reached your window meanwhile: check the list again."))
    if request.method == "POST" and confirmed:
        now = clock.now()
        try:
            successor, to_hall = _successor_choice(request.user, window, request.POST.get("successor", ""))
            handover = shift_actions.sign_out(request.user, window, now, successor=successor, to_hall=to_hall)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(reverse("workstation:sign-out", args=[window.pk]))
        messages.success(request, _signed_out_message(request.user, window, handover, now))
        if logout:
            auth.logout(request)
            return redirect(settings.LOGIN_URL)
        return redirect("workstation:choose")
    found = shift_queries.successors(request.user, window, tickets, cases)
    context = {"window": window, "tickets": tickets, "cases": cases, "listed": listed, "successors": found,
               "logout": logout}  # fmt: skip
    return render(request, "workstation/sign_out.html", context)


def _signed_out_message(user, window, handover, now) -> str:
    """签退 says so, with the day's count, and names every item handed over and where it went."""
    served = queue.served_today(user.pk, window.hall_id, window.hall.local_date(now))
    parts = [
        _("Signed out of window %(n)s; %(served)s visitors served today.") % {"n": window.number, "served": served}
    ]
    if handover is None:
        return parts[0]
    items = list(handover.items.all())
    named = "、".join(item.label for item in items if not item.to_hall)
    if named:
        where = Duty.objects.window_held_by(handover.successor.pk, window.hall)
        parts.append(_("Handed over to %(who)s (window %(n)s): %(items)s.") % {
            "who": person_name(handover.successor), "n": where.number if where else "—", "items": named
        })  # fmt: skip
    to_hall = "、".join(item.label for item in items if item.to_hall)
    if to_hall:
        parts.append(
            _("Handed over to the hall: %(items)s. They stay on the hall manager's page until someone takes each.")
            % {"items": to_hall}
        )
    return " ".join(parts)


def _console(request, window: Window) -> shift_queries.Standing:
    """The window's open duty, if any, and the reader's handovers to acknowledge. A window's console shows
    its ticket and applicant: only to the person holding it and the hall's managers (docs/permissions.md);
    to anyone else the window does not exist."""
    standing = shift_queries.console_standing(window, request.user.pk)
    mine = standing.holder is not None and standing.holder.user_id == request.user.pk
    if not may(request.user, Action.CONSOLE_VIEW, window.hall, at_window=mine):
        raise Http404(_("No window %(id)s.") % {"id": window.pk})
    return standing


def _visible_window(request, window_id) -> Window:
    found = window_or_404(window_id)
    _console(request, found)
    return found


def _panel_context(window, user, holder: Duty | None, handovers: list[int], error=None):
    """The panel's parts; ``holder`` is the window's open duty, ``handovers`` the ids of those waiting for
    ``user``'s acknowledgement (both read once per request)."""
    now = clock.now()
    today = window.hall.local_date(now)
    current = queue.ticket_at_window(window)
    outlook = queue.window_outlook(window, today, NEXT_UP_SHOWN)
    called_for = int((now - current.called_at).total_seconds()) if current and current.called_at else None
    if current is not None:
        queue.with_reference(current)  # its item and windows from the reference data, not a query each
    choices = reference.transfer_choices(window.hall_id)
    return {
        "window": window,
        "current": current,
        "called_for": called_for,  # seconds since the call: console.js keeps counting
        "called_for_text": f"{called_for // 60}:{called_for % 60:02d}" if called_for is not None else "",
        "waiting": outlook.waiting,
        "next_up": outlook.next_up,
        "served": queue.served_today(holder.user_id, window.hall_id, today) if holder else 0,
        "mine": holder is not None and holder.user_id == user.pk,
        "transfer_choices": _transfer_choices(window, choices) if current is not None else "",
        "choices": choices.shown,  # what the panel's tag knows of the transfer's choices
        "error": error,
        "pool": case_queries.first_in_pool(window.hall, NEXT_UP_SHOWN),
        "handovers": Handover.objects.filter(pk__in=handovers)
        .select_related("from_user__staff_profile")
        .prefetch_related("items")
        if handovers
        else [],
    }


# (window id, language) → (the choices' digest, their part of the transfer form rendered): dozens of options,
# most of a full panel's rendering, the same on every refresh until the hall's catalogue or windows change.
_rendered_choices: dict[tuple[int, str], tuple[str, str]] = {}


def _transfer_choices(window, choices: reference.TransferChoices) -> str:
    """The transfer form's item and window choices (the window's own left out), rendered once per process,
    window, language and set of choices."""
    key = (window.pk, translation.get_language())
    held = _rendered_choices.get(key)
    if held is None or held[0] != choices.shown:
        others = [w for w in choices.windows if w.pk != window.pk]
        context = {"items": choices.items, "windows": others}
        held = _rendered_choices[key] = (choices.shown, render_to_string("workstation/_transfer_choices.html", context))
    return held[1]


def _console_context(request, window, standing: shift_queries.Standing, error=None):
    return _panel_context(window, request.user, standing.holder, standing.handovers, error)


# How many of the waiting (and of the hall's pool) the console lists.
NEXT_UP_SHOWN = 6


@login_required
def window(request, window_id):
    found = window_or_404(window_id)
    return render(request, "workstation/console.html", _console_context(request, found, _console(request, found)))


@login_required
def panel(request, window_id):
    """HTMX fragment: the window's state, refreshed on the hall's change events or every few seconds (which
    also says the clerk is there). ``304`` when the browser's copy is still right, for the same window,
    clerk, handovers waiting and minute: without reading the panel while the hall is at the same version
    (every ticket, duty and pool change moves it); once it has moved, without rendering when every part of
    the panel is what the browser holds (another window's visitor served changes nothing here)."""
    window = known_window_or_404(window_id)
    version = changes.hall_changes.version(window.hall_id)  # before the holder and the rest: see shown_etag
    standing = _console(request, window)
    holder, handovers, now = standing.holder, standing.handovers, clock.now()
    if holder is not None and holder.user_id == request.user.pk:
        shift_actions.touch(holder, now)
    page = f"panel.{window.pk}.{request.user.pk}.{handovers}.{now:%Y-%m-%dT%H:%M}"
    if unchanged := changes.shown_unchanged(request, page):
        return unchanged
    context = _panel_context(window, request.user, holder, handovers)
    shown = _panel_shown(context)
    if unchanged := changes.shown_unchanged(request, page, shown, version):
        return unchanged
    response = render(request, "workstation/_panel.html", context)
    return changes.with_etag(response, changes.shown_etag(window.hall_id, version, page, shown))


# Parts of the panel's context its tag leaves out: the seconds since the call (the minute is in the tag,
# console.js counts on), the handovers (their ids are in the tag), the transfer's choices (their digest,
# "choices", is in it).
_NOT_IN_PANEL_TAG = frozenset({"called_for", "called_for_text", "handovers", "transfer_choices"})


def _panel_shown(context: dict) -> tuple:
    """Every part the panel is rendered from, as plain values (a model by its fields), for its tag."""
    return tuple((name, _plain(value)) for name, value in sorted(context.items()) if name not in _NOT_IN_PANEL_TAG)


def _plain(value):
    if isinstance(value, Model):
        return type(value).__name__, tuple(getattr(value, field.attname) for field in value._meta.concrete_fields)
    if dataclasses.is_dataclass(value):
        return tuple(_plain(getattr(value, field.name)) for field in dataclasses.fields(value))
    if isinstance(value, list | tuple):
        return tuple(_plain(part) for part in value)
    return value


def _call_next(user, window, now, post):
    if ticket_actions.call_next(user, window, now) is None:
        return _("Nobody is waiting for this window.")
    return None


def _transfer(user, window, now, post):
    current = _current(window)
    form = TransferForm(post)
    form.is_valid()
    target_item = item_or_404(form.cleaned_data["item"]) if form.cleaned_data.get("item") else None
    target_window = window_or_404(form.cleaned_data["window"]) if form.cleaned_data.get("window") else None
    ticket_actions.transfer(user, current, now, item=target_item, window=target_window)


def _current(window):
    current = queue.ticket_at_window(window)
    if current is None:
        raise Http404(_("No ticket at this window."))
    return current


def _on_current(name):
    def act(user, window, now, post):
        ticket_actions.STAFF_TICKET_ACTIONS[name](user, _current(window), now)

    return act


# The console's buttons: each is a path of its own (``<window>/<name>``), see urls.py.
CONSOLE_ACTIONS = {
    "call-next": _call_next,
    "transfer": _transfer,
    **{name: _on_current(name) for name in ticket_actions.AT_WINDOW_ACTIONS},
}


@login_required
@require_POST
def act(request, window_id, action):
    found = window_or_404(window_id)
    standing = _console(request, found)  # a console's actions change tickets, not who holds it
    try:
        error = CONSOLE_ACTIONS[action](request.user, found, clock.now(), request.POST)
    except DomainError as exc:
        error = exc.message
    if request.headers.get("HX-Request"):
        return render(request, "workstation/_panel.html", _console_context(request, found, standing, error))
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(reverse("workstation:window", args=[found.pk]))


@login_required
@require_POST
def acknowledge(request, handover_id):
    handover = Handover.objects.filter(pk=handover_id).first()
    if handover is None:
        raise Http404(_("No handover %(id)s.") % {"id": handover_id})
    try:
        shift_actions.acknowledge(request.user, handover, clock.now())
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("workstation:choose")


@login_required
@require_POST
def take_case(request, window_id, number):
    """A clerk takes a case from the hall's pool (交给大厅的办件) into their own hands."""
    window = _visible_window(request, window_id)
    case = case_queries.case_or_404(number)
    try:
        case_actions.take_case(request.user, case, clock.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Case %(number)s is now yours.") % {"number": case.number})
    return redirect("workstation:window", window_id=window.pk)


# --- the case at the window: intake and decision, or the re-check of returning supplements ---


def checks_from(form, rows) -> list[MaterialCheck]:
    return [MaterialCheck(str(m.pk), form.cleaned_data[state.name], form.cleaned_data[note.name])
            for m, state, note in rows]  # fmt: skip


def show_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
def case(request, window_id):
    """The ticket at this window: intake and decision, or the re-check of a returning visitor's case."""
    window = _visible_window(request, window_id)
    ticket = queue.ticket_at_window(window)
    if ticket is None:
        messages.error(request, _("No ticket at this window."))
        return redirect("workstation:window", window_id=window.pk)
    returning = getattr(ticket, "resubmission", None)
    if returning is not None:
        return recheck(request, window, ticket, returning.case)
    form = IntakeForm(request.POST or None)
    rows = add_checklist(form, ticket.item.materials.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = case_actions.open_and_decide(
                request.user, ticket, clock.now(), data["decision"], promise_signed=data["promise_signed"],
                reason=data["reason"], competent_agency=data["competent_agency"], kind=data["kind"],
                name=data["name"], id_number=data["id_number"], credit_code=data["credit_code"],
                credit_code_override=data["credit_code_override"], agent_name=data["agent_name"],
                phone=data["phone"], materials=checks_from(form, rows),
            )  # fmt: skip
        except DomainError as error:
            show_error(form, error)
        else:
            # The notice to print, its QR code carrying the applicant's new key (/cases/s/<token>/).
            return redirect("cases:my-notice", token=notice.access_token, notice_id=notice.pk)
    return render(request, "workstation/intake.html", {"window": window, "ticket": ticket, "form": form, "rows": rows})


def recheck(request, window, ticket, case):
    """补正回访: only the materials the notice listed are checked again."""
    listed = [line.material for line in case.materials.filter(in_notice=True).select_related("material")]
    form = DecisionForm(request.POST or None, initial={"decision": "accept"})
    rows = add_checklist(form, listed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = case_actions.decide(
                request.user, case, clock.now(), data["decision"], materials=checks_from(form, rows),
                promise_signed=data["promise_signed"], reason=data["reason"],
                competent_agency=data["competent_agency"],
            )  # fmt: skip
        except DomainError as error:
            show_error(form, error)
        else:
            return redirect("cases:my-notice", token=notice.access_token, notice_id=notice.pk)
    context = {"window": window, "ticket": ticket, "case": case, "form": form, "rows": rows}
    return render(request, "workstation/recheck.html", context)
