"""``{% provisional_mark hall day %}``: the 临时安排 mark for a day whose national calendar is not yet
published, for pages of other apps that show a hall's hours (the kiosk, appointment slots)."""

from django import template

from weimin.core import clock
from weimin.halls.hours import HallCalendar

register = template.Library()


@register.inclusion_tag("halls/_provisional.html")
def provisional_mark(hall, day=None):
    """``day`` defaults to the hall's today."""
    return {"provisional": HallCalendar(hall).day(day or hall.local_date(clock.now())).provisional}
