"""Queue pages: kiosk (取号机), the visitor's ticket, the window console, the hall display (叫号屏).

Views stay thin: they read with ``queue`` and change with ``actions``, turning DomainErrors into
form errors and messages.
"""

import io
from dataclasses import asdict
from datetime import date, timedelta

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weimin.calendars.rules import CalendarUnknown
from weimin.core import clock
from weimin.core.errors import DomainError
from weimin.halls.hours import HallCalendar
from weimin.halls.lookups import hall_or_404, item_or_404, window_or_404
from weimin.halls.models import Window
from weimin.ratings.choices import Level
from weimin.shifts import actions as shift_actions
from weimin.shifts.actions import duty_of
from weimin.shifts.models import Handover
from weimin.shifts.queries import balance as comp_time_balance
from weimin.tickets import actions, queue
from weimin.tickets import appointments as appointments_module
from weimin.tickets.forms import BookingForm, CheckInForm, KioskTicketForm, TransferForm
from weimin.tickets.models import Appointment, Ticket, secret_hash


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def ticket_by_token(token: str) -> Ticket:
    ticket = Ticket.objects.select_related("hall", "item", "window").filter(token_hash=secret_hash(token)).first()
    if ticket is None:
        raise Http404(_("No such ticket."))
    return ticket


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
    if request.method == "POST" and form.is_valid():
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
    )


@require_POST
def kiosk_check_in(request, code):
    hall = hall_or_404(code)
    form = CheckInForm(request.POST)
    appointment = None
    if form.is_valid():
        appointment = Appointment.objects.filter(
            hall=hall, reference=form.cleaned_data["reference"].strip().upper()
        ).first()
    if appointment is None:
        messages.error(request, _("No appointment with that reference at this hall."))
        return redirect("tickets:kiosk", code=code)
    try:
        issued = actions.check_in_appointment(appointment, clock.now())
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
    context = {"ticket": ticket, "where": queue.position(ticket), "token": token, "levels": Level.choices}
    return render(request, "tickets/mine.html", context)


def my_ticket_status(request, token):
    """HTMX fragment, polled every few seconds."""
    ticket = ticket_by_token(token)
    context = {"ticket": ticket, "where": queue.position(ticket), "token": token, "levels": Level.choices}
    return render(request, "tickets/_mine_status.html", context)


@require_POST
def my_ticket_cancel(request, token):
    ticket = ticket_by_token(token)
    try:
        actions.cancel_ticket(ticket, clock.now())
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("tickets:mine", token=token)


# --- the window console ---


@login_required
def console(request):
    duty = duty_of(request.user)
    if duty is not None:
        return redirect("tickets:console-window", window_id=duty.window_id)
    windows = (
        Window.objects.filter(hall__staff__user=request.user, active=True)
        .select_related("hall")
        .prefetch_related("items")
        .order_by("hall__position", "number")
    )
    holders = queue.holders_of(windows)
    rows = [(window, holders.get(window.pk)) for window in windows]
    context = {"rows": rows, "comp_time_hours": comp_time_balance(request.user) / 60}
    return render(request, "tickets/console_choose.html", context)


@login_required
@require_POST
def console_sign_in(request, window_id):
    window = window_or_404(window_id)
    try:
        shift_actions.sign_in(request.user, window, clock.now())
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("tickets:console")
    return redirect("tickets:console-window", window_id=window.pk)


@login_required
@require_POST
def console_sign_out(request, window_id):
    """Leave the window; anything in hand goes to the chosen (or proposed) colleague on duty."""
    window = window_or_404(window_id)
    successor = None
    if request.POST.get("successor"):
        successor = get_user_model().objects.filter(pk=request.POST["successor"]).first()
    try:
        handover = shift_actions.sign_out(request.user, window, clock.now(), successor=successor)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("tickets:console-window", window_id=window.pk)
    if handover is not None:
        messages.info(
            request,
            _("Handed over %(n)s items to %(who)s.")
            % {
                "n": handover.items.count(),
                "who": handover.successor.get_username() if handover.successor else _("the hall (nobody on duty)"),
            },
        )
    return redirect("tickets:console")


def console_context(window, user, error=None):
    today = window.hall.local_date(clock.now())
    holder = queue.holders_of([window]).get(window.pk)
    return {
        "window": window,
        "current": queue.ticket_at_window(window),
        "waiting": queue.waiting_for_window(window, today).count(),
        "holder": holder,
        "mine": holder is not None and holder.user_id == user.pk,
        "items": window.hall.service_items(),
        "windows": window.hall.windows.filter(active=True).exclude(pk=window.pk),
        "error": error,
        "transfer": TransferForm(),
        "colleagues": shift_actions.on_duty_colleagues(user, window).order_by("username"),
        "handovers": Handover.objects.filter(successor=user, acknowledged_at__isnull=True).prefetch_related("items"),
    }


@login_required
def console_window(request, window_id):
    window = window_or_404(window_id)
    return render(request, "tickets/console.html", console_context(window, request.user))


@login_required
def console_panel(request, window_id):
    """HTMX fragment: the window's state, refreshed every few seconds (which also says the clerk is there)."""
    window = window_or_404(window_id)
    duty = queue.holders_of([window]).get(window.pk)
    if duty is not None and duty.user_id == request.user.pk:
        shift_actions.touch(duty, clock.now())
    return render(request, "tickets/_console_panel.html", console_context(window, request.user))


CONSOLE_ACTIONS = {
    "recall": actions.recall,
    "serving": actions.start_serving,
    "complete": actions.complete,
    "no-show": actions.mark_no_show,
}


@login_required
@require_POST
def console_act(request, window_id, action):
    window = window_or_404(window_id)
    now = clock.now()
    error = None
    try:
        if action == "call-next":
            if actions.call_next(request.user, window, now) is None:
                error = _("Nobody is waiting for this window.")
        elif action == "transfer":
            current = queue.ticket_at_window(window)
            if current is None:
                raise Http404(_("No ticket at this window."))
            form = TransferForm(request.POST)
            form.is_valid()
            target_item = item_or_404(form.cleaned_data["item"]) if form.cleaned_data.get("item") else None
            target_window = window_or_404(form.cleaned_data["window"]) if form.cleaned_data.get("window") else None
            actions.transfer(request.user, current, now, item=target_item, window=target_window)
        elif action in CONSOLE_ACTIONS:
            current = queue.ticket_at_window(window)
            if current is None:
                raise Http404(_("No ticket at this window."))
            CONSOLE_ACTIONS[action](request.user, current, now)
        else:
            raise Http404(action)
    except DomainError as exc:
        error = exc.message
    if request.headers.get("HX-Request"):
        return render(request, "tickets/_console_panel.html", console_context(window, request.user, error))
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(reverse("tickets:console-window", args=[window.pk]))


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
    try:
        open_now = calendar.is_open(now)
    except CalendarUnknown:
        open_now = None
    return JsonResponse(
        {
            "now": timezone.localtime(now, calendar.hall.tz).isoformat(),
            "open": open_now,
            "calls": [
                {**asdict(call), "at": timezone.localtime(call.at, hall.tz).strftime("%H:%M:%S")} for call in calls
            ],
            "waiting": queue.waiting_by_category(hall, today),
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
    if request.method == "POST" and item is not None and form.is_valid():
        data = form.cleaned_data
        try:
            booking = actions.book_appointment(hall, item, data["slot_start"], now, name=data["name"],
                                               id_number=data["id_number"], phone=data["phone"])  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            url = reverse("tickets:appointment", args=[booking.appointment.reference])
            return redirect(f"{url}?token={booking.token}")
    try:
        free = [s for s in appointments_module.slots(hall, item, day, now) if s.free] if item else []
    except CalendarUnknown:
        free = []
    context = {"hall": hall, "items": items, "item": item, "days": days, "day": day, "slots": free, "form": form}
    return render(request, "tickets/appointments.html", context)


def appointment(request, reference):
    """The booking as its citizen sees it (the token from the booking's link)."""
    found = Appointment.objects.select_related("hall", "item").filter(reference=reference).first()
    token = request.GET.get("token") or request.POST.get("token", "")
    if found is None or not found.token_matches(token):
        raise Http404(_("No such appointment."))
    if request.method == "POST":
        try:
            actions.cancel_appointment(found, clock.now())
        except DomainError as error:
            messages.error(request, error.message)
        found.refresh_from_db()
    return render(request, "tickets/appointment.html", {"appointment": found, "token": token})
