"""``{{ item.promised_days|time_limit }}``: a service item's time limit as citizens read it — 即办
(decided on the spot) for 0, never "0 working days"."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def time_limit(days: int) -> str:
    if not days:
        return _("decided on the spot")
    return _("%(days)s working day(s)") % {"days": days}
