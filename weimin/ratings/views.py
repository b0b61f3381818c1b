"""Rating pages: the pad at the window and the visitor's own ticket page."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts import devices
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.halls.lookups import hall_or_404
from weimin.ratings import actions
from weimin.tickets.models import TicketEvent
from weimin.tickets.queue import ticket_by_token
from weimin.tickets.rules import Event

PAD_MINUTES = 15  # the pad offers the visit just finished at its window, not older ones


def _rate(request, ticket):
    try:
        actions.rate_ticket(ticket, clock.now(), level=int(request.POST.get("level", 0) or 0),
                            comment=request.POST.get("comment", ""))  # fmt: skip
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "message", str(error)))
        return False
    messages.success(request, _("Thank you for your rating."))
    return True


@require_POST
def rate_my_ticket(request, token):
    _rate(request, ticket_by_token(token))
    return redirect("tickets:mine", token=token)


def pad(request, code, number):
    """好差评 pad beside the window: rate the visit that just ended here. Only on the pad a hall manager
    enrolled for this window (issue 9: an anonymous POST from anywhere rated a window's last visit)."""
    hall = hall_or_404(code)
    window = hall.windows.filter(number=number).first()
    if window is None:
        raise Http404(_("No window %(n)s.") % {"n": number})
    if not devices.is_pad_for(request, window):
        return render(request, "ratings/pad.html", {"hall": hall, "window": window, "enrolled": False}, status=403)
    since = clock.now() - timedelta(minutes=PAD_MINUTES)
    last = (
        TicketEvent.objects.filter(window=window, kind=Event.COMPLETED, at__gte=since, ticket__rating__isnull=True)
        .select_related("ticket")
        .order_by("-at")
        .first()
    )
    if request.method == "POST":
        if last is None or request.POST.get("ticket") != str(last.ticket_id):
            # The visit on the screen is no longer the last one completed here (or was rated).
            messages.error(request, _("That visit can no longer be rated here."))
        elif _rate(request, last.ticket):
            return redirect("ratings:pad", code=code, number=number)
    context = {"hall": hall, "window": window, "ticket": last.ticket if last else None, "enrolled": True}
    return render(request, "ratings/pad.html", context)
