"""Shift pages: the hall manager's evening page and its logistics tasks (acknowledging a handover is
the workstation's)."""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts.permissions import Action, may
from weimin.calendars.rules import CalendarUnknown
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.halls.lookups import hall_or_404
from weimin.ratings.queries import overdue
from weimin.shifts import actions, queries
from weimin.shifts.models import ChecklistItem, EveningChecklist, Handover


@login_required
def manage(request, code):
    """The evening at a glance: open handovers, logistics tasks and misses, overdue follow-ups, 补休."""
    hall = hall_or_404(code)
    if not may(request.user, Action.HALL_EVENING, hall):
        raise Http404(_("No hall with code %(code)s.") % {"code": code})
    now = clock.now()
    today = hall.local_date(now)
    # Opening is idempotent: the first look at the page on an extended-session day creates the checklists.
    with contextlib.suppress(CalendarUnknown):
        actions.open_evening_checklists(hall, today, now)
    staff = hall.staff.select_related("user").order_by("user__username")
    context = {
        "hall": hall,
        "handovers": Handover.objects.filter(hall=hall, successor__isnull=False, acknowledged_at__isnull=True)
        .select_related("from_user", "successor").prefetch_related("items"),
        "checklists": EveningChecklist.objects.filter(hall=hall, session_start__date__gte=today)
        .prefetch_related("items__assignee")[:4],
        "missed": queries.missed(hall, now)[:50],
        "follow_ups": overdue([hall], now),
        "balances": [(profile, queries.balance(profile.user) / 60) for profile in staff],
    }  # fmt: skip
    return render(request, "shifts/manage.html", context)


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
