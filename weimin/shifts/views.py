"""Shift pages: the hall manager's evening page and its logistics tasks (acknowledging a handover is
the workstation's)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts.models import person_name
from weimin.accounts.permissions import Action, may
from weimin.cases import actions as case_actions
from weimin.cases import queries as case_queries
from weimin.core import clock
from weimin.core.errors import DomainError, InvalidInput
from weimin.core.forms import all_errors
from weimin.halls.lookups import hall_or_404
from weimin.ratings import actions as rating_actions
from weimin.ratings.choices import Resolution
from weimin.ratings.forms import ResolutionForm
from weimin.ratings.queries import follow_up_of, overdue, unresolved
from weimin.shifts import actions, queries
from weimin.shifts.models import ChecklistItem, Duty, EveningChecklist, Handover
from weimin.tickets import queue
from weimin.tickets.actions import transfer
from weimin.tickets.models import Ticket


@login_required
def manage(request, code):
    """The evening at a glance: open handovers (to colleagues, and to the hall item by item), the hall's
    pool of cases, logistics tasks and misses, bad ratings' follow-ups, 补休 balances."""
    hall = hall_or_404(code)
    if not may(request.user, Action.HALL_EVENING, hall):
        raise Http404(_("No hall with code %(code)s.") % {"code": code})
    now = clock.now()
    today = hall.local_date(now)
    # Opening is idempotent: the first look at the page on an extended-session day creates the checklists.
    actions.open_evening_checklists(hall, today, now)
    late = {f.pk for f in overdue([hall], now)}
    context = {
        "hall": hall,
        "handovers": Handover.objects.filter(hall=hall, successor__isnull=False, acknowledged_at__isnull=True)
        .select_related("from_user__staff_profile", "successor__staff_profile").prefetch_related("items"),
        "hall_handovers": queries.open_hall_handovers(hall),
        "pool": case_queries.pool(hall),
        "on_duty": Duty.objects.open().filter(window__hall=hall).select_related("user__staff_profile", "window")
        .order_by("window__number"),
        "checklists": EveningChecklist.objects.filter(hall=hall, session_start__date__gte=today)
        .prefetch_related("items__assignee")[:4],
        "missed": queries.missed(hall, now)[:50],
        "follow_ups": [(f, f.pk in late) for f in unresolved(hall)],
        # Who handles the follow-ups reads the rater's number whole, to call back; anyone else masked.
        "handles_follow_ups": may(request.user, Action.FOLLOW_UP_HANDLE, hall),
        "resolutions": Resolution.choices,
        "balances": queries.nonzero_balances(hall),
    }  # fmt: skip
    return render(request, "shifts/manage.html", context)


@login_required
@require_POST
def assign_case(request, code, number):
    """The manager gives a case waiting in the hall's pool to a clerk on duty."""
    hall = hall_or_404(code)
    case = case_queries.case_or_404(number)
    chosen = request.POST.get("clerk", "")
    clerk = get_user_model().objects.filter(pk=int(chosen)).first() if chosen.isascii() and chosen.isdigit() else None
    try:
        if case.hall_id != hall.pk or clerk is None:
            raise InvalidInput(_("Choose a clerk on duty."), field="clerk")
        case_actions.take_case(request.user, case, clock.now(), clerk=clerk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Case %(number)s is now with %(who)s.") % {"number": case.number,
                                                                              "who": person_name(clerk)})  # fmt: skip
    return redirect("shifts:manage", code=hall.code)


@login_required
@require_POST
def tick(request, item_id):
    item = ChecklistItem.objects.select_related("checklist__hall").filter(pk=item_id).first()
    if item is None:
        raise Http404(_("No such task."))
    try:
        actions.tick_item(request.user, item, clock.now())
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("shifts:manage", code=item.checklist.hall.code)


@login_required
@require_POST
def send_ticket(request, code, ticket_id):
    """The manager sends a ticket handed over to the hall to a staffed window: to the front of its queue,
    and the visitor's page and the display say where to go (``tickets.actions.transfer``)."""
    hall = hall_or_404(code)
    chosen = request.POST.get("window", "")
    window = hall.windows.filter(pk=int(chosen)).first() if chosen.isascii() and chosen.isdigit() else None
    try:
        ticket = queue.ticket_by_id(ticket_id)
        if ticket.hall_id != hall.pk or window is None:
            raise InvalidInput(_("Choose a window of this hall."), field="window")
        transfer(request.user, ticket, clock.now(), window=window)
    except Ticket.DoesNotExist:
        raise Http404(_("No such ticket.")) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(number)s goes to window %(n)s next.") % {"number": ticket.number,
                                                                                "n": window.number})  # fmt: skip
    return redirect("shifts:manage", code=hall.code)


def _follow_up_or_404(code, pk):
    hall = hall_or_404(code)
    follow_up = follow_up_of(hall, pk)
    if follow_up is None:
        raise Http404(_("No such follow-up."))
    return hall, follow_up


@login_required
@require_POST
def follow_up_contacted(request, code, pk):
    """The manager has called the rater back (回访)."""
    hall, follow_up = _follow_up_or_404(code, pk)
    try:
        rating_actions.record_contact(request.user, follow_up, clock.now())
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("shifts:manage", code=hall.code)


@login_required
@require_POST
def follow_up_resolve(request, code, pk):
    """Rectified or explained, with what was done and what the rater said: the follow-up closes."""
    hall, follow_up = _follow_up_or_404(code, pk)
    form = ResolutionForm(request.POST)
    if not form.is_valid():
        for message in all_errors(form):
            messages.error(request, message)
        return redirect("shifts:manage", code=hall.code)
    try:
        rating_actions.resolve(request.user, follow_up, clock.now(), **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The follow-up of %(rating)s is closed.") % {"rating": follow_up.rating})
    return redirect("shifts:manage", code=hall.code)
