"""The period a page or an API call asks figures for: a preset (today, this week, this month, the last
30 days) or a custom from–to, at most ``MAX_DAYS`` long. A bad date is an ``InvalidInput`` naming the
field (``from`` or ``to``), so pages show it beside the form and the API answers 422."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.core.errors import InvalidInput
from weimin.core.text import FIRST_DAY, LAST_DAY

MAX_DAYS = 3 * 366  # three years: a multi-year comparison, not an unbounded scan of the rollups


class Preset:
    TODAY = "today"
    WEEK = "week"
    MONTH = "month"
    LAST_30 = "30d"
    CUSTOM = "custom"


PRESETS = {
    Preset.TODAY: gettext_lazy("Today"),
    Preset.WEEK: gettext_lazy("This week"),
    Preset.MONTH: gettext_lazy("This month"),
    Preset.LAST_30: gettext_lazy("Last 30 days"),
    Preset.CUSTOM: gettext_lazy("Custom"),
}


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    preset: str = Preset.CUSTOM

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def preset_period(preset: str, today: date) -> Period:
    match preset:
        case Preset.TODAY:
            first = today
        case Preset.WEEK:
            first = today - timedelta(days=today.weekday())
        case Preset.MONTH:
            first = today.replace(day=1)
        case Preset.LAST_30:
            first = today - timedelta(days=29)
        case _:
            raise InvalidInput(_("Choose one of the periods offered."), field="period")
    return Period(first, today, preset)


def _field_name(field: str) -> str:
    return _("From") if field == "from" else _("To")


def parse_day(text: str, field: str) -> date:
    """A date typed as YYYY-MM-DD, or an error naming the field."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            _("%(field)s: enter a date as YYYY-MM-DD, e.g. 2017-10-23.") % {"field": _field_name(field)}, field=field
        )
    return day


def checked(first: date, last: date, preset: str = Preset.CUSTOM, *, max_days: int = MAX_DAYS) -> Period:
    """The period [first, last], or an error naming ``to``: before ``from``, or longer than ``max_days``."""
    if last < first:
        message = _("%(field)s: must not be before the start date.") % {"field": _field_name("to")}
        raise InvalidInput(message, field="to")
    if (last - first).days + 1 > max_days:
        message = _("%(field)s: a period can be at most %(days)s days long.")
        raise InvalidInput(message % {"field": _field_name("to"), "days": max_days}, field="to")
    return Period(first, last, preset)


def from_query(params, today: date, default: str = Preset.LAST_30) -> Period:
    """The period a page's query string asks for: ``period=<preset>``, or ``from`` and ``to`` (a custom
    period, either one defaulting to the preset's ends)."""
    preset = params.get("period", "")[:10]
    typed_from, typed_to = params.get("from", "")[:40], params.get("to", "")[:40]
    if preset and preset not in PRESETS:
        raise InvalidInput(_("Choose one of the periods offered."), field="period")
    if preset and preset != Preset.CUSTOM:
        return preset_period(preset, today)
    if not (typed_from.strip() or typed_to.strip()):
        return preset_period(default, today)
    fallback = preset_period(default, today)
    first = parse_day(typed_from, "from") if typed_from.strip() else fallback.first
    last = parse_day(typed_to, "to") if typed_to.strip() else fallback.last
    return checked(first, last)
