"""The extended-service effect report (延时服务效果): a hall's or the district's weeks before and after a
start date from the rollups, compared by ``analytics.effect``, and said in plain words.

The one report behind ``weimin analytics effect``, the page ``/analytics/effect/`` and the API, so they
agree to the digit. Bad input raises ``InvalidInput`` naming the field (``start``, ``weeks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weimin.analytics import effect, rules
from weimin.analytics.choices import Dimension
from weimin.analytics.effect import Unit, Verdict
from weimin.analytics.measures import MEASURES
from weimin.analytics.models import Rollup
from weimin.analytics.queries import By, breakdown, figures, wait_target, week_start
from weimin.core.errors import InvalidInput
from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall, OpeningSchedule

DEFAULT_WEEKS = 8
# The period figures the report shows and prints for each side (``Totals.figures`` keys and counters).
PERIOD_KEYS = (
    "visits", "cases", "mean_wait_minutes", "under_target_share", "evening_share", "saturday_share",
    "company_share_evening", "company_share_daytime",
)  # fmt: skip
# The changes the plain-language summary names (the table shows every one of ``effect.KEYS``).
SUMMARY_KEYS = ("visits", "cases", "mean_wait_minutes", "evening_share", "saturday_share", "company_share_evening")


def measure_label(key: str) -> str:
    if key == "under_target_share":
        return _("Called within %(minutes)s minutes") % {"minutes": wait_target()}
    return str(_LABELS[key] if key in _LABELS else MEASURES[key].label)


# Where the summary's sentences need other words than the dashboards' column headings (``MEASURES``).
_LABELS = {
    "evening_visits": gettext_lazy("Evening visits"),
    "mean_wait_minutes": gettext_lazy("Mean wait"),
    "evening_share": gettext_lazy("Evening share of visits"),
    "saturday_share": gettext_lazy("Saturday share of visits"),
    "company_share_evening": gettext_lazy("Company agents among evening cases"),
    "company_share_daytime": gettext_lazy("Company agents among daytime cases"),
}


@dataclass(frozen=True)
class Period:
    mondays: list[date]  # the weeks counted
    weeks: list[rules.Totals]  # each week's totals, in order
    totals: rules.Totals

    @property
    def first(self) -> date:
        return self.mondays[0]

    @property
    def last(self) -> date:
        return self.mondays[-1] + timedelta(days=6)


@dataclass(frozen=True)
class EffectReport:
    hall: Hall | None  # None: the whole district
    start: date
    weeks: int  # asked for, on each side
    before: Period
    after: Period
    periods: effect.Periods
    last_closed: date
    first_recorded: date
    effect: effect.Effect

    @property
    def changes(self) -> list[effect.Change]:
        return list(self.effect.changes.values())

    def findings(self) -> list[tuple[str, effect.Change]]:
        """One plain-language sentence per summarised change, with the change."""
        return [(finding(self.effect.changes[key]), self.effect.changes[key]) for key in SUMMARY_KEYS]

    def notes(self) -> list[str]:
        """Which weeks were compared and how: what the findings rest on."""
        notes = [
            _(
                "Weeks run Monday to Sunday: before the start %(first)s to %(last)s (%(weeks)s weeks), "
                "after it %(first_after)s to %(last_after)s (%(weeks_after)s weeks)."
            )
            % {
                "first": self.before.first,
                "last": self.before.last,
                "weeks": len(self.before.mondays),
                "first_after": self.after.first,
                "last_after": self.after.last,
                "weeks_after": len(self.after.mondays),
            }
        ]
        if self.periods.before_too_early:
            notes.append(
                _("%(weeks)s of the weeks before the start precede the first records (%(day)s) and are not counted.")
                % {"weeks": self.periods.before_too_early, "day": self.first_recorded}
            )
        if self.periods.closed:
            notes.append(
                _("Weeks in which the halls were closed every day are not counted: %(weeks)s.")
                % {"weeks": "、".join(_("week of %(day)s") % {"day": m} for m in self.periods.closed)}
            )
        if self.periods.after_not_over:
            notes.append(
                _(
                    "%(weeks)s of the weeks after the start are not over yet (the last closed day is %(day)s) "
                    "and are not counted."
                )
                % {"weeks": self.periods.after_not_over, "day": self.last_closed}
            )
        notes.append(
            _(
                "Counts are compared per week, shares and waits over each period's records; each interval is the "
                "95%% bootstrap interval of the change over the weeks (%(resamples)s resamples): a change whose "
                "interval includes 0 is within normal variation."
            )
            % {"resamples": f"{effect.RESAMPLES:,}"}
        )
        if min(len(self.before.mondays), len(self.after.mondays)) < effect.MIN_WEEKS:
            notes.append(
                _("With fewer than %(weeks)s weeks on a side no change is judged.") % {"weeks": effect.MIN_WEEKS}
            )
        return notes

    def summary(self) -> str:
        return "\n".join([sentence for sentence, _change in self.findings()] + self.notes())

    def as_json(self) -> dict:
        """The command's and the API's answer (README: ``weimin analytics effect``)."""
        return {
            "hall": self.hall.code if self.hall else None,
            "start": self.start.isoformat(),
            "weeks": self.weeks,
            "before": _period_json(self.before),
            "after": _period_json(self.after),
            "change": {change.key: _change_json(change) for change in self.changes},
            "not_counted": {
                "before_too_early": self.periods.before_too_early,
                "after_not_over": self.periods.after_not_over,
                "closed_weeks": [monday.isoformat() for monday in self.periods.closed],
            },
            "confidence": effect.CONFIDENCE,
            "resamples": effect.RESAMPLES,
            "summary": self.summary(),
        }


def _rounded(value):
    return round(value, 4) if isinstance(value, float) else value


def _period_json(period: Period) -> dict:
    found = figures(period.totals)
    return {
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
        "weeks": len(period.mondays),
        **{key: _rounded(found[key]) for key in PERIOD_KEYS},
        **evening_users(period),
    }


def _change_json(change: effect.Change) -> dict:
    return {
        "unit": change.unit.value,
        "before": _rounded(change.before),
        "after": _rounded(change.after),
        "absolute": _rounded(change.absolute),
        "relative": _rounded(change.relative),
        "low": _rounded(change.low),
        "high": _rounded(change.high),
        "significant": change.significant,
        "verdict": change.verdict.value,
    }


def evening_users(period: Period) -> dict:
    """Who opened the evening's cases: company agents (企业代办) and individuals, per period."""
    totals = period.totals
    return {
        "evening_visits": totals.evening_served,
        "evening_cases": totals.evening_cases,
        "evening_company_cases": totals.evening_company_cases,
        "evening_individual_cases": totals.evening_cases - totals.evening_company_cases,
    }


def first_recorded_day(halls: list[Hall]) -> date | None:
    return Rollup.objects.filter(hall__in=[h.pk for h in halls], dimension=Dimension.HALL).aggregate(
        first=Min("business_date")
    )["first"]


def last_closed_day(halls: list[Hall], now: datetime) -> date:
    """The last business day over in every one of the halls (yesterday, in the halls' time zones)."""
    return min(hall.local_date(now) for hall in halls) - timedelta(days=1)


def default_start(halls: list[Hall], now: datetime) -> date:
    """The Monday of the latest change of opening hours among the halls (the extended service's start
    in the demo), else the Monday eight weeks back."""
    closed = last_closed_day(halls, now)
    changed = (
        OpeningSchedule.objects.filter(hall__in=[h.pk for h in halls], valid_from__lte=closed)
        .order_by("-valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    return week_start(changed) if changed else week_start(closed) - timedelta(weeks=DEFAULT_WEEKS - 1)


def check_start(start: date) -> None:
    if start.weekday() != 0:
        monday = week_start(start)
        raise InvalidInput(
            _("The start must be a Monday (weeks run Monday to Sunday): %(day)s is not; take %(before)s or %(after)s.")
            % {"day": start, "before": monday, "after": monday + timedelta(weeks=1)},
            field="start",
        )


def check_weeks(weeks: int) -> None:
    if not 1 <= weeks <= effect.MAX_WEEKS:
        raise InvalidInput(_("Weeks must be from 1 to %(most)s.") % {"most": effect.MAX_WEEKS}, field="weeks")


def build(halls: list[Hall], start: date, weeks: int, now: datetime, *, hall: Hall | None = None) -> EffectReport:
    """The effect of what began on ``start`` (a Monday) at ``halls``, over ``weeks`` weeks on each side."""
    check_start(start)
    check_weeks(weeks)
    last_closed = last_closed_day(halls, now)
    first_recorded = first_recorded_day(halls)
    found = effect.periods(start, weeks, first_recorded, last_closed)
    if not found.before:
        raise InvalidInput(
            _("No closed week with records in the %(weeks)s weeks before the start.") % {"weeks": weeks},
            field="start",
        )
    if not found.after:
        raise InvalidInput(
            _("No week from the start on is over yet (the last closed day is %(day)s).") % {"day": last_closed},
            field="start",
        )
    by_week = {
        group.key: group.totals
        for group in breakdown(halls, found.before[0], found.after[-1] + timedelta(days=6), By.WEEK)
    }
    closed = closed_weeks(halls, [m for m in found.before + found.after if m not in by_week])
    found = effect.Periods(
        [m for m in found.before if m not in closed],
        [m for m in found.after if m not in closed],
        found.before_too_early,
        found.after_not_over,
        sorted(closed),
    )
    if not found.before or not found.after:
        raise InvalidInput(_("Every week on one side of the start was a closed week."), field="start")
    before, after = (_period(mondays, by_week) for mondays in (found.before, found.after))
    compared = effect.compare(before.weeks, after.weeks, wait_target())
    return EffectReport(hall, start, weeks, before, after, found, last_closed, first_recorded, compared)


def closed_weeks(halls: list[Hall], mondays: list[date]) -> set[date]:
    """Of ``mondays`` (weeks without records), those in which none of the halls opened on any day (a
    holiday week such as National Day's): a week without service says nothing about the service, so it
    is left out and named."""
    calendars = [HallCalendar(hall) for hall in halls]
    return {
        monday
        for monday in mondays
        if not any(c.day(monday + timedelta(days=n)).open for c in calendars for n in range(7))
    }


def _period(mondays: list[date], by_week: dict) -> Period:
    # A week the halls were open without any record is a real zero (closed weeks are left out before).
    weeks = [by_week.get(monday, rules.Totals()) for monday in mondays]
    return Period(mondays, weeks, sum(weeks, rules.Totals()))


# Words -----------------------------------------------------------------------------------------------


def shown(unit: Unit, value: float | None) -> str:
    """A measure's value as the summary and the page say it."""
    if value is None:
        return "–"
    match unit:
        case Unit.PER_WEEK:
            return _("%(count)s a week") % {"count": f"{value:,.1f}"}
        case Unit.MINUTES:
            return _("%(minutes)s min") % {"minutes": f"{value:.1f}"}
    return f"{value * 100:.1f}%"


def shown_change(unit: Unit, value: float | None) -> str:
    """A change (or an interval's end) with its sign, in the measure's unit."""
    if value is None:
        return "–"
    match unit:
        case Unit.PER_WEEK:
            return f"{value:+,.1f}"
        case Unit.MINUTES:
            return _("%(minutes)s min") % {"minutes": f"{value:+.1f}"}
    return _("%(points)s percentage points") % {"points": f"{value * 100:+.1f}"}


_VERDICT_WORDS = {
    Verdict.RISE: gettext_lazy("a rise beyond normal variation"),
    Verdict.FALL: gettext_lazy("a fall beyond normal variation"),
    Verdict.WITHIN: gettext_lazy("within normal variation"),
    Verdict.NOT_JUDGED: gettext_lazy("too few weeks or records to tell a change from normal variation"),
}


def verdict_words(verdict: Verdict) -> str:
    return str(_VERDICT_WORDS[verdict])


def finding(change: effect.Change) -> str:
    """The change in one sentence: before, after, the change with its interval, and whether it is more
    than the weeks' normal variation."""
    measure = measure_label(change.key)
    if change.before is None or change.after is None:
        side = _("before the start") if change.before is None else _("after the start")
        return _("%(measure)s: nothing counted %(side)s to compare.") % {"measure": measure, "side": side}
    amount = shown_change(change.unit, change.absolute)
    if change.relative is not None and change.unit != Unit.SHARE:
        amount = _("%(change)s, %(relative)s") % {"change": amount, "relative": f"{change.relative * 100:+.1f}%"}
    values = {
        "measure": measure, "before": shown(change.unit, change.before), "after": shown(change.unit, change.after),
        "change": amount, "verdict": verdict_words(change.verdict),
    }  # fmt: skip
    if change.low is None:
        return _("%(measure)s: %(before)s before, %(after)s after (%(change)s): %(verdict)s.") % values
    return _(
        "%(measure)s: %(before)s before, %(after)s after (%(change)s; 95%% interval %(low)s to %(high)s): %(verdict)s."
    ) % (values | {"low": shown_change(change.unit, change.low), "high": shown_change(change.unit, change.high)})
