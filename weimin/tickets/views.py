"""Queue pages: kiosk (取号机), the visitor's ticket, the hall display (叫号屏), appointments.

Views stay thin: they read with ``queue`` and change with ``actions``, turning DomainErrors into
form errors and messages.
"""

from dataclasses import asdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.core.forms import all_errors
from weimin.core.limits import client_address
from weimin.core.qr import qr_svg
from weimin.halls.hours import HallCalendar
from weimin.halls.lookups import hall_or_404, item_or_404
from weimin.tickets import actions, queue
from weimin.tickets import appointments as appointments_module
from weimin.tickets import limits as address_limits
from weimin.tickets.forms import BookingForm, CheckInForm, KioskTicketForm, token_in_link
from weimin.tickets.queue import ticket_by_token
from weimin.tickets.rules import OVER_STATUSES

# --- kiosk ---


def kiosk_status(hall, now):
    """Whether the kiosk issues tickets now, and if not, the refusal to show instead of buttons."""
    try:
        actions.check_taking_tickets(hall, now)
    except DomainError as refusal:
        return refusal
    return None


def kiosk(request, code):
    hall = hall_or_404(code)
    now = clock.now()
    return render(
        request,
        "tickets/kiosk.html",
        {"hall": hall, "items": hall.service_items(), "closed": kiosk_status(hall, now), "checkin": CheckInForm()},
    )


def kiosk_item(request, code, item_code):
    hall, item = hall_or_404(code), item_or_404(item_code)
    form = KioskTicketForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        limited = address_limits.over_limit(request, hall, address_limits.TICKETS)
        if limited is not None:
            form.add_error(None, limited[1])
            status = 429
        else:
            try:
                issued = actions.issue_ticket(hall, item, clock.now(), **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return redirect("tickets:slip", token=issued.token)
    return render(
        request,
        "tickets/kiosk_item.html",
        {
            "hall": hall,
            "item": item,
            "materials": item.materials.all(),
            "form": form,
            "closed": kiosk_status(hall, clock.now()),
        },
        status=status,
    )


@require_POST
def kiosk_check_in(request, code):
    """The booking's reference with its QR code scanned (the booking page's link) or the applicant's
    whole ID number: the reference alone checks nobody in. One answer for an unknown reference and a
    wrong secret; failures limited per reference (and per address, unless the kiosk is enrolled)."""
    hall = hall_or_404(code)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        for message in all_errors(form):
            messages.error(request, message)
        return redirect("tickets:kiosk", code=code)
    data, now = form.cleaned_data, clock.now()
    address = None if address_limits.exempt(request, hall) else client_address(request)
    try:
        appointment = appointments_module.appointment_for_visitor(
            data["reference"], token=token_in_link(data["link"]), id_number=data["id_number"], address=address,
            now=now, hall=hall,
        )  # fmt: skip
        issued = actions.check_in_appointment(appointment, now)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("tickets:kiosk", code=code)
    return redirect("tickets:slip", token=issued.token)


def ticket_slip(request, token):
    ticket = ticket_by_token(token)
    url = request.build_absolute_uri(reverse("tickets:mine", args=[token]))
    where = queue.position(ticket)
    return render(request, "tickets/slip.html", {"ticket": ticket, "where": where, "qr": qr_svg(url), "url": url})


# --- the visitor's own ticket ---


def my_ticket(request, token):
    ticket = ticket_by_token(token)
    context = {"ticket": ticket, "where": queue.position(ticket), "token": token}
    return render(request, "tickets/mine.html", context)


def my_ticket_status(request, token):
    """HTMX fragment, polled every few seconds. Once the visit is over the whole page is reloaded once
    (it then offers the rating and polls no more)."""
    ticket = ticket_by_token(token)
    context = {"ticket": ticket, "where": queue.position(ticket), "token": token}
    response = render(request, "tickets/_mine_status.html", context)
    if ticket.status in OVER_STATUSES:
        response["HX-Refresh"] = "true"
    return response


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


def display_feed(request, code):
    """JSON for the display: calls after ``after`` (event id), waiting counts, the hall's state."""
    hall = hall_or_404(code)
    now = clock.now()
    calendar = HallCalendar(hall)
    today = calendar.hall.local_date(now)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        return JsonResponse({"detail": "after: must be an event id", "errors": [{"field": "after"}]}, status=422)
    calls = queue.recent_calls(hall, today, after_id=after, limit=12)
    return JsonResponse(
        {
            "now": timezone.localtime(now, calendar.hall.tz).isoformat(),
            "open": calendar.is_open(now),
            "calls": [
                {**asdict(call), "at": timezone.localtime(call.at, hall.tz).strftime("%H:%M:%S")} for call in calls
            ],
            "waiting": queue.waiting_by_category(hall, today),
            "sent": [{"number": number, "window": window} for number, window in queue.sent_to_windows(hall, today)],
        }
    )


# --- appointments for citizens ---


def appointments(request, code):
    """Choose an item and a day, see the free slots (evenings and Saturdays included), book one."""
    hall = hall_or_404(code)
    now = clock.now()
    items = [item for item in hall.service_items() if item.appointment_allowed]
    item = next((i for i in items if i.code == request.GET.get("item")), items[0] if items else None)
    today = hall.local_date(now)
    days = [today + timedelta(days=n) for n in range(settings.WEIMIN_APPOINTMENT_BOOKING_DAYS + 1)]
    try:
        day = date.fromisoformat(request.GET.get("date", "")) if request.GET.get("date") else today
    except ValueError:
        day = today
    form = BookingForm(request.POST or None)
    status = 200
    limited = None
    if request.method == "POST" and item is not None and form.is_valid():
        limited = address_limits.over_limit(request, hall, address_limits.BOOKINGS)
        if limited is not None:
            form.add_error(None, limited[1])
            status = 429
    if request.method == "POST" and item is not None and form.is_valid() and limited is None:
        data = form.cleaned_data
        try:
            booking = actions.book_appointment(hall, item, data["slot_start"], now, name=data["name"],
                                               id_number=data["id_number"], phone=data["phone"])  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("tickets:my-appointment", token=booking.token)
    free = [s for s in appointments_module.slots(hall, item, day, now) if s.free] if item else []
    context = {"hall": hall, "items": items, "item": item, "days": days, "day": day, "slots": free, "form": form}
    return render(request, "tickets/appointments.html", context, status=status)


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
    return render(request, "tickets/appointment.html", {"appointment": found, "qr": qr_svg(url)})
