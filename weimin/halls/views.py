from django.shortcuts import render

from weimin.calendars.national import NationalCalendar
from weimin.core import clock
from weimin.halls.hours import HallCalendar
from weimin.halls.lookups import hall_or_404, item_or_404
from weimin.halls.models import Hall


def hall_rows(halls, instant):
    national = NationalCalendar()
    return [{"hall": hall, "status": HallCalendar(hall, national).status_at(instant)} for hall in halls]


def home(request):
    instant = clock.now()
    rows = hall_rows(Hall.objects.select_related("district").all(), instant)
    return render(request, "halls/home.html", {"rows": rows})


def hall_status_fragment(request):
    """HTMX: the hall list body, refreshed every minute so 'open now' stays true on an idle screen."""
    rows = hall_rows(Hall.objects.all(), clock.now())
    return render(request, "halls/_hall_rows.html", {"rows": rows})


def hall_detail(request, code):
    hall = hall_or_404(code)
    status = HallCalendar(hall).status_at(clock.now())
    items = hall.service_items()
    return render(request, "halls/hall_detail.html", {"hall": hall, "status": status, "items": items})


def item_detail(request, code):
    item = item_or_404(code)
    halls = Hall.objects.filter(windows__items=item, windows__active=True).distinct()
    return render(
        request,
        "halls/item_detail.html",
        {"item": item, "materials": item.materials.all(), "halls": halls},
    )
