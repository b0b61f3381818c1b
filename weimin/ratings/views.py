"""Rating pages: the pad at the window and the visitor's own ticket page."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from weimin.accounts import devices
from weimin.cases import queries as case_queries
from weimin.core import clock
from weimin.core.errors import DomainError, Refused
from weimin.halls.lookups import hall_or_404
from weimin.ratings import actions, rules
from weimin.ratings.models import Rating
from weimin.ratings.rules import PadScreen
from weimin.tickets import queue
from weimin.tickets.queue import ticket_by_token


def _posted_rating(request) -> dict:
    """What the visitor chose and typed, to rate with and to show again if something was wrong."""
    post = request.POST
    level = post.get("level", "")
    return {"level": int(level) if level.isdigit() else 0, "comment": post.get("comment", ""),
            "phone": post.get("phone", "")}  # fmt: skip


def _rate(request, ticket, posted: dict) -> DomainError | None:
    """Rate, or return the error to show beside the form (what was typed stays in it)."""
    try:
        rating = actions.rate_ticket(ticket, clock.now(), **posted)
    except DomainError as error:
        return error
    if rating.bad:
        days = settings.WEIMIN_FOLLOW_UP_CONTACT_DAYS
        messages.success(request, _("Thank you for your rating. The hall will follow it up within %(days)s working "
                                    "day(s).") % {"days": days})  # fmt: skip
    else:
        messages.success(request, _("Thank you for your rating."))
    return None


@require_POST
def rate_my_ticket(request, token):
    ticket = ticket_by_token(token)
    posted = _posted_rating(request)
    error = _rate(request, ticket, posted)
    if error is None:
        return redirect("tickets:mine", token=token)
    context = {"ticket": ticket, "where": queue.position(ticket), "token": token, "rating": {**posted, "error": error}}
    return render(request, "tickets/mine.html", context, status=error.status)


def _pad_window(request, code, number):
    hall = hall_or_404(code)
    window = hall.windows.filter(number=number).first()
    if window is None:
        raise Http404(_("No window %(n)s.") % {"n": number})
    return hall, window


def _pad_visit(window, now):
    """What the pad shows now — (screen, ticket): the visit at the counter while it lasts, then that
    same visit to rate, until rated or the pad's minutes are up; never one that left long ago."""
    at_counter = queue.ticket_at_window(window)
    last = queue.last_at_counter(window) if at_counter is None else None
    screen = rules.pad_screen(
        at_counter=at_counter is not None, last_event=last.kind if last else None, last_at=last.at if last else None,
        rated=last is not None and Rating.objects.filter(ticket_id=last.ticket_id).exists(), now=now,
        ask_minutes=settings.WEIMIN_PAD_ASK_MINUTES,
    )  # fmt: skip
    return screen, {PadScreen.SERVING: at_counter, PadScreen.ASK: last and last.ticket}.get(screen)


def _screen_key(screen, ticket) -> str:
    return f"{screen}-{ticket.pk if ticket else 0}"


def pad(request, code, number):
    """好差评 pad beside the window: it shows the visit at the counter, waits for it to finish, then asks
    about exactly that visit. Only on the pad a hall manager enrolled for this window (issue 9: an
    anonymous POST from anywhere rated a window's last visit)."""
    hall, window = _pad_window(request, code, number)
    if not devices.is_pad_for(request, window):
        return render(request, "ratings/pad.html", {"hall": hall, "window": window, "enrolled": False}, status=403)
    screen, ticket = _pad_visit(window, clock.now())
    rating, status = None, 200
    if request.method == "POST":
        posted = _posted_rating(request)
        if screen != PadScreen.ASK or request.POST.get("ticket") != str(ticket.pk):
            # The visit on the screen is no longer the one to ask about (the next one was called, or rated).
            error = Refused(_("That visit can no longer be rated here."), field="ticket")
        else:
            error = _rate(request, ticket, posted)
            if error is None:
                return redirect("ratings:pad", code=code, number=number)
        rating, status = {**posted, "error": error}, error.status
    context = {"hall": hall, "window": window, "enrolled": True, "screen": screen, "ticket": ticket,
               "cases": case_queries.opened_for(ticket) if ticket else [], "key": _screen_key(screen, ticket),
               "rating": rating}  # fmt: skip
    return render(request, "ratings/pad.html", context, status=status)


@require_GET
def pad_state(request, code, number):
    """Polled by the pad (HTMX): nothing to swap, so a comment being typed is never wiped; when what
    the pad should show differs from what it shows (``shown``), it is told to reload."""
    hall, window = _pad_window(request, code, number)
    if not devices.is_pad_for(request, window):
        return HttpResponse(status=403)
    response = HttpResponse(status=204)
    if request.GET.get("shown") != _screen_key(*_pad_visit(window, clock.now())):
        response["HX-Refresh"] = "true"
    return response
