"""Queue pages: kiosk (取号机), the visitor's ticket, the hall display (叫号屏), appointments.

Views stay thin: they read with ``queue`` and change with ``actions``, turning DomainErrors into
form errors and messages.
"""

from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.accounts import devices
from weimin.accounts.choices import DeviceKind
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.core.forms import all_errors
from weimin.core.limits import client_address
from weimin.core.qr import qr_svg
from weimin.halls.hours import HallCalendar
from weimin.halls.lookups import hall_or_404, item_or_404
from weimin.tickets import actions, changes, queue
from weimin.tickets import appointments as appointments_module
from weimin.tickets import limits as address_limits
from weimin.tickets.choices import AppointmentKind, AppointmentStatus, TicketStatus
from weimin.tickets.forms import BookingForm, CheckInForm, KioskTicketForm, RemoteTicketForm, token_in_link
from weimin.tickets.queue import ticket_by_token
from weimin.tickets.rules import OVER_STATUSES

# --- kiosk ---
#
# The kiosk's pages have their own layout (tickets/kiosk_base.html): one 1080×1920 screen without
# scrolling, big targets, no staff links, an on-screen keypad, and a return to the start page after a
# slip and after inactivity (kiosk.js). The hall's enrolled kiosk also prints a slip at once.


def kiosk_status(hall, now):
    """Whether the kiosk issues tickets now, and if not, the refusal to show instead of buttons."""
    try:
        actions.check_taking_tickets(hall, now)
    except DomainError as refusal:
        return refusal
    return None


def _kiosk(request, hall, template: str, context: dict, status: int = 200):
    context = {"hall": hall, "idle_seconds": settings.WEIMIN_KIOSK_IDLE_SECONDS, **context}
    return render(request, template, context, status=status)


def _within_limit(request, hall, form, limit, act):
    """For a valid posted ``form``: ``act(cleaned_data)`` unless the client address is over ``limit``.
    Returns (result, status); a refusal (the limit, or the action's) goes on the form, naming its field."""
    limited = address_limits.over_limit(request, hall, limit)
    if limited is not None:
        form.add_error(None, limited[1])
        return None, 429
    try:
        return act(form.cleaned_data), 200
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None, 200


def kiosk(request, code):
    hall = hall_or_404(code)
    return _kiosk(request, hall, "tickets/kiosk.html", {"items": hall.service_items(),
                                                        "closed": kiosk_status(hall, clock.now())})  # fmt: skip


def kiosk_item(request, code, item_code):
    hall, item = hall_or_404(code), item_or_404(item_code)
    form = KioskTicketForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        issued, status = _within_limit(request, hall, form, address_limits.TICKETS,
                                       lambda data: actions.issue_ticket(hall, item, clock.now(), **data))  # fmt: skip
        if issued is not None:
            return redirect("tickets:slip", token=issued.token)
    context = {"item": item, "materials": item.materials.all(), "form": form, "closed": kiosk_status(hall, clock.now())}
    return _kiosk(request, hall, "tickets/kiosk_item.html", context, status)


def kiosk_check_in(request, code):
    """已预约签到: a booking's or a phone number's QR code held under the kiosk's scanner (it types the
    link and presses Enter into the always-focused field), or the reference and the applicant's whole
    ID number typed on the keypad: the reference alone checks nobody in. One answer for an unknown
    reference and a wrong secret; failures limited per reference (and per address, unless the kiosk is
    enrolled)."""
    hall = hall_or_404(code)
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data, now = form.cleaned_data, clock.now()
            address = None if address_limits.exempt(request, hall) else client_address(request)
            try:
                appointment = appointments_module.appointment_for_visitor(
                    data["reference"], token=token_in_link(data["link"]), id_number=data["id_number"],
                    address=address, now=now, hall=hall,
                )  # fmt: skip
                issued = actions.check_in_appointment(appointment, now)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                return redirect("tickets:slip", token=issued.token)
        else:
            for message in all_errors(form):
                messages.error(request, message)
        return redirect("tickets:kiosk-check-in", code=code)
    return _kiosk(request, hall, "tickets/kiosk_check_in.html", {"form": form})


def kiosk_fast_lane(request, code):
    """补正回访: the screen of the kiosk's fast lane back to the clerk who asked for supplements; the
    cases app checks the notice in (``cases:kiosk-resubmit``) and comes back here on a refusal."""
    return _kiosk(request, hall_or_404(code), "tickets/kiosk_fast_lane.html", {})


def ticket_slip(request, token):
    """The slip the kiosk prints: at once on the hall's enrolled kiosk (kiosk mode), then back to the
    start page. It offers no "follow on this screen": the slip's QR code takes the ticket to a phone."""
    ticket = ticket_by_token(token)
    url = request.build_absolute_uri(reverse("tickets:mine", args=[token]))
    context = {"ticket": ticket, "where": queue.position(ticket), "qr": qr_svg(url), "url": url,
               "print_now": devices.recognised(request, ticket.hall, DeviceKind.KIOSK) is not None,
               "return_seconds": settings.WEIMIN_KIOSK_RETURN_SECONDS}  # fmt: skip
    return _kiosk(request, ticket.hall, "tickets/slip.html", context)


# --- the visitor's own ticket ---


def my_ticket(request, token):
    ticket = ticket_by_token(token)
    context = {"ticket": ticket, "where": queue.position(ticket), "token": token}
    return render(request, "tickets/mine.html", context)


def my_ticket_status(request, token):
    """HTMX fragment, fetched on the hall's change events (``changes.stream``) or every few seconds. Once
    the visit is over the whole page is reloaded once (it then offers the rating and polls no more).

    Unchanged since the browser's copy (``If-None-Match``): 304 without a query, not even the token's,
    while the hall is at the same version; after a change elsewhere in the hall, 304 without rendering
    when this visitor's status, place and window are what the browser shows."""
    if unchanged := changes.shown_unchanged(request, token):
        return unchanged
    held = changes.held_tag(request)
    version = changes.hall_changes.version(held[0]) if held else None  # before the ticket: see shown_etag
    ticket = ticket_by_token(token)
    if held is None or held[0] != ticket.hall_id:
        # The hall was known only once the ticket was read: a version below the one read now, so that the
        # next ask does not take this answer on trust.
        version = max(changes.hall_changes.version(ticket.hall_id) - 1, 0)
    where = queue.position(ticket)
    shown = _shown(ticket, where)
    if unchanged := changes.shown_unchanged(request, token, shown, version):
        return unchanged
    response = render(request, "tickets/_mine_status.html", {"ticket": ticket, "where": where, "token": token})
    if ticket.status in OVER_STATUSES:
        response["HX-Refresh"] = "true"
    return changes.with_etag(response, changes.shown_etag(ticket.hall_id, version, token, shown))


def _shown(ticket, where: queue.Position) -> tuple:
    """What of the visitor's page can change: the status, the place and the wait, the window."""
    return ticket.status, where.ahead, where.estimated_wait_minutes, ticket.window_id, ticket.target_window_id


def my_ticket_events(request, token):
    """The visitor's own stream: the hall's news, told only when it changes this page — the number
    named at once; the place, the wait or the window moved within seconds (``changes._VisitorNews``),
    from the hall's queue snapshot in memory: no query for news about others —, so a phone asks again
    when it has something new to show, not after every change in the hall. A place or wait that moved
    while the visitor still waits comes as the status part itself, rendered by the stream: the phone need
    not ask at all."""
    ticket = ticket_by_token(token)
    # What the page shows: as of now on a first stream, whose first word makes the page read its part again;
    # unknown on a stream taken up again (Last-Event-ID), so its first place worked out is sent whatever it
    # is — news missed while the line was down may have moved it.
    shown = None if request.headers.get("Last-Event-ID") else _shown(ticket, queue.position(ticket))
    # The stream's part is rendered by the process's news thread, outside this request: its language, link
    # prefix and form token are this request's (the token now, so the stream's answer sets its cookie).
    language, prefix, csrf_token = translation.get_language(), get_script_prefix(), get_token(request)

    def judge(events: list[tuple[int, dict]]) -> changes.Telling:
        nonlocal ticket, shown
        if any(about.get("number") == ticket.number for _, about in events):
            ticket = ticket_by_token(token)
            shown = _shown(ticket, queue.position(ticket))
            return changes.Telling.NOW
        if ticket.status != TicketStatus.WAITING or all(about.get("moved") is False for _, about in events):
            return changes.Telling.NOTHING  # a visitor served or completed at a window moves no one's place
        return changes.Telling.SOON  # its place worked out when due (``show``)

    def show() -> str | changes.Telling | None:
        nonlocal shown
        if ticket.status != TicketStatus.WAITING:
            return None
        where = queue.position(ticket)
        before, shown = shown, _shown(ticket, where)
        if shown == before:
            return changes.Telling.NOTHING
        set_script_prefix(prefix)
        with translation.override(language):
            context = {"ticket": ticket, "where": where, "token": token, "csrf_token": csrf_token}
            return render_to_string("tickets/_mine_status.html", context)

    return changes.stream(request, ticket.hall_id, judge=judge, show=show, ticket_id=ticket.pk)


@require_POST
def my_ticket_cancel(request, token):
    ticket = ticket_by_token(token)
    try:
        actions.cancel_ticket(ticket, clock.now())
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("tickets:mine", token=token)


# --- the hall display ---


def display(request, code):
    hall = hall_or_404(code)
    return render(request, "tickets/display.html", {"hall": hall})


def hall_events(request, code):
    """The hall's change feed as server-sent events: the display, the ticket page, the console and the
    pad refresh when told (``?for=visitor`` marks a phone, which gives way to the hall's own screens)."""
    return changes.stream(request, hall_or_404(code).pk)


def display_feed(request, code):
    """JSON for the display: calls after ``after`` (event id), waiting counts, the hall's state.
    ``304`` without a query when the browser's copy is still right (same hall version and minute)."""
    hall = hall_or_404(code)
    now = clock.now()
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = -1
    if not 0 <= after < 2**63:
        return JsonResponse({"detail": "after: must be an event id", "errors": [{"field": "after"}]}, status=422)
    tag = changes.etag(hall.pk, "display", after, f"{now:%Y-%m-%dT%H:%M}")
    if unchanged := changes.not_modified(request, tag):
        return unchanged
    calendar = HallCalendar(hall)
    today = calendar.hall.local_date(now)
    calls = queue.recent_calls(hall, today, after_id=after, limit=12)
    response = JsonResponse(
        {
            "now": timezone.localtime(now, calendar.hall.tz).isoformat(),
            "open": calendar.is_open(now),
            "calls": [
                {
                    "id": call.id,
                    "number": call.number,
                    "window": call.window,
                    "recall": call.recall,
                    "at": timezone.localtime(call.at, hall.tz).strftime("%H:%M:%S"),
                }
                for call in calls
            ],
            "waiting": queue.waiting_by_category(hall, today),
            "sent": [{"number": number, "window": window} for number, window in queue.sent_to_windows(hall, today)],
        }
    )
    return changes.with_etag(response, tag)


# --- appointments for citizens ---


def _chosen_day(request, hall, days: list[date]) -> date | None:
    """The day the citizen chose: the posted slot's day (a refused booking keeps it), else ``?date=``."""
    posted = _instant(request.POST.get("slot_start", ""))
    if posted is not None and hall.local_date(posted) in days:
        return hall.local_date(posted)
    try:
        asked = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return None
    return asked if asked in days else None


def appointments(request, code):
    """Choose an item and a day, see the free slots (evenings and Saturdays included), book one.

    Opens on the item the citizen came from (``?item=``, the item page's link) and on the first open
    day with a free slot; a refused booking keeps every value chosen, the slot included."""
    hall = hall_or_404(code)
    now = clock.now()
    items = [item for item in hall.service_items() if item.appointment_allowed]
    wanted = request.POST.get("item") or request.GET.get("item")
    item = next((i for i in items if i.code == wanted), items[0] if items else None)
    days = appointments_module.bookable_days(hall, now)
    day = _chosen_day(request, hall, days) or (
        appointments_module.first_day_with_free_slots(hall, item, days, now) if item else None
    )
    day = day or (days[0] if days else None)
    form = BookingForm(request.POST or None)
    status = 200
    if request.method == "POST" and item is not None and form.is_valid():
        booking, status = _within_limit(
            request, hall, form, address_limits.BOOKINGS,
            lambda data: actions.book_appointment(hall, item, data["slot_start"], now, name=data["name"],
                                                  id_number=data["id_number"], phone=data["phone"]),
        )  # fmt: skip
        if booking is not None:
            return redirect("tickets:my-appointment", token=booking.token)
    free = [s for s in appointments_module.slots(hall, item, day, now) if s.free] if item and day else []
    posted = _instant(request.POST.get("slot_start", ""))
    chosen = next((s.start for s in free if s.start == posted), None)
    calendar = HallCalendar(hall)  # a provisional day (its year's holidays unpublished) is marked in the list
    day_choices = [(d, calendar.day(d).provisional) for d in days]
    context = {"hall": hall, "items": items, "item": item, "days": day_choices, "day": day, "slots": free, "form": form,
               "chosen": chosen or (free[0].start if free else None)}  # fmt: skip
    return render(request, "tickets/appointments.html", context, status=status)


def _instant(text: str) -> datetime | None:
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        return None
    return found if found.tzinfo is not None else None


def remote_ticket(request, code):
    """远程取号: today's number on the phone, where the hall allows it. The number joins the queue when
    its QR code is scanned at the kiosk on arrival (``actions.take_remote_ticket``)."""
    hall = hall_or_404(code)
    if not hall.remote_tickets:
        raise Http404(_("%(hall)s does not give numbers on the phone.") % {"hall": hall})
    now = clock.now()
    items = list(hall.service_items())
    form = RemoteTicketForm(request.POST or None, items=items)
    status = 200
    if request.method == "POST" and form.is_valid():
        taken, status = _within_limit(
            request, hall, form, address_limits.REMOTE_TICKETS,
            lambda data: actions.take_remote_ticket(hall, next(i for i in items if i.code == data["item"]), now,
                                                    id_number=data["id_number"], phone=data["phone"]),
        )  # fmt: skip
        if taken is not None:
            return redirect("tickets:my-appointment", token=taken.token)
    context = {"hall": hall, "form": form, "closed": kiosk_status(hall, now),
               "per_person": settings.WEIMIN_REMOTE_TICKETS_PER_PERSON_PER_DAY}  # fmt: skip
    return render(request, "tickets/remote_ticket.html", context, status=status)


def my_appointment(request, token):
    """The booking as its citizen sees it, from the booking's link (/a/<token>/: the token is the key,
    kept out of logs). Its QR code checks the citizen in at the kiosk."""
    found = appointments_module.appointment_by_token(token)
    if found is None:
        raise Http404(_("No such appointment."))
    if request.method == "POST":
        try:
            actions.cancel_appointment(found, clock.now())
        except DomainError as error:
            messages.error(request, error.message)
        found.refresh_from_db()
    url = request.build_absolute_uri(reverse("tickets:my-appointment", args=[token]))
    ticket = found.ticket
    where = queue.position(ticket) if ticket is not None else None
    # The page follows the number until it is served: scanned at the kiosk, waiting, called.
    live = (found.kind == AppointmentKind.REMOTE and found.status == AppointmentStatus.BOOKED) or (
        ticket is not None and ticket.status in (TicketStatus.WAITING, TicketStatus.CALLED)
    )
    context = {"appointment": found, "qr": qr_svg(url), "where": where, "live": live}
    return render(request, "tickets/appointment.html", context)
