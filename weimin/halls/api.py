from django.conf import settings
from ninja import Query, Router

from weimin.core import clock
from weimin.core.errors import InvalidInput
from weimin.core.text import Day, Text
from weimin.halls import hours
from weimin.halls.lookups import hall_or_404, item_or_404
from weimin.halls.models import Hall, ServiceItem
from weimin.halls.schemas import HallDetailOut, HallOut, HoursOut, ItemDetailOut, ItemOut, WorkingDaysOut

router = Router(tags=["halls"])


def item_out(item: ServiceItem) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "department": item.department.name,
        "category": item.category.name,
        "ticket_prefix": item.category.ticket_prefix,
        "handling_minutes": item.handling_minutes,
        "promised_days": item.promised_days,
        "statutory_days": item.statutory_days,
        "appointment_allowed": item.appointment_allowed,
    }


@router.get("/halls", response=list[HallOut])
def list_halls(request):
    return Hall.objects.all()


@router.get("/halls/{code}", response=HallDetailOut)
def hall_detail(request, code: Text(40)):
    hall = hall_or_404(code)
    return {
        "code": hall.code,
        "name": hall.name,
        "kind": hall.kind,
        "address": hall.address,
        "phone": hall.phone,
        "windows": hall.windows.filter(active=True).count(),
        "ticket_cutoff_minutes": hall.cutoff_minutes,
    }


@router.get("/halls/{code}/items", response=list[ItemOut])
def hall_items(request, code: Text(40)):
    return [item_out(item) for item in hall_or_404(code).service_items()]


@router.get("/items/{code}", response=ItemDetailOut)
def item_detail(request, code: Text(40)):
    item = item_or_404(code)
    return {**item_out(item), "description": item.description, "materials": list(item.materials.all())}


@router.get("/halls/{code}/hours", response=HoursOut)
def hall_hours(request, code: Text(40), day: Day() | None = Query(None, alias="date")):
    """The hall's sessions on a date (default: today in the hall's time zone)."""
    hall = hall_or_404(code)
    calendar = hours.HallCalendar(hall)
    hall_day = calendar.day(day or calendar.hall.local_date(clock.now()))
    return {
        "date": hall_day.date,
        "open": hall_day.open,
        "sessions": [
            {"start": f"{s.start:%H:%M}", "end": f"{s.end:%H:%M}", "last_ticket": f"{s.last_ticket:%H:%M}"}
            for s in hall_day.sessions
        ],
        "reason": hall_day.reason.value,
        "note": hall_day.note,
        "provisional": hall_day.provisional,
    }


@router.get("/calendar/add-working-days", response=WorkingDaysOut)
def add_working_days(
    request,
    from_date: Day() = Query(..., alias="from"),
    days: int = Query(..., ge=0, le=settings.WEIMIN_MAX_WORKING_DAYS),
    hall: Text(40) | None = None,
):
    """The ``days``-th working day after ``from`` (the start day not counted, 民法典 Art. 201)."""
    hall_obj = hall_or_404(hall) if hall else None
    try:
        result = hours.add_working_days(from_date, days, hall_obj)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="days") from None
    return {"date": result, "from_date": from_date, "days": days}
