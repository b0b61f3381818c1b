"""Arrival forecast (到访量预测) for a hall's target week, its seasonal-naive baseline and a rolling-origin
backtest — no Django.

**Input.** Recorded arrivals: tickets issued per (date, half-hour slot 0–47, skill group), a skill group
being an item category code (the ``item_slot`` rollups summed over each category's items; a missing key
is 0; slots are hall-local, as ``analytics.rules.half_hour``). Each calendar date's :class:`DayInfo`:
the half-hours in which the hall is open (none: closed; :func:`half_hours` of its sessions; arrivals
outside them are left out of the fit and the scores), whether it is a make-up workday (调休上班, a
Saturday or Sunday worked in lieu), whether it is among the first open days after a closure of
``CLOSURE_DAYS`` or more calendar days (the post-holiday surge, 节后高峰) and whether it is the last open
day before such a closure (节前). Day status is data (holidays and make-up workdays are announced each
year), so it comes in as input; :func:`describe_days` derives the closure flags from the open/closed
sequence.

**Model.** Arrivals in a cell are Poisson with a log-linear mean

    log μ(d, s, g) = a_g + b_p + c_s + c_{p,s} + e_{g,s} + f_{g,p}
                     + m·[d make-up] + u_k(d) + v·[d before closure] + β·(t_d − t̄)

where ``p`` is the day's profile type — Monday … Friday, or a weekend service day (周六服务: an open
Saturday or Sunday that is not a working day). A make-up workday takes the profile of
``makeup_follows_weekday`` (the weekday whose opening hours it keeps, ``WEIMIN_MAKEUP_WORKDAY_FOLLOWS_WEEKDAY``)
times its own factor ``e^m``, so it is forecast as a working day, never as a weekend. ``k(d)`` is the
day's position after a closure (1st, 2nd open day) and ``t_d`` its age in weeks. So: a level per group,
a weekday × half-hour profile (lunch dip, Friday afternoon), group × half-hour and group × weekday
shapes (companies come in the evening), the surge and pre-holiday factors and a trend.

**Fit.** Penalised maximum likelihood over the open cells of at most ``history_weeks`` weeks before the
target week, each day weighted ``0.5 ** (age / half_life)`` so that recent weeks weigh more — with the
trend, a local level-and-trend estimate. Every factor is a categorical block, and for a block the
likelihood equations have a closed form (fitted = observed totals per level), so the fit is cyclic
block coordinate ascent (iterative proportional fitting, each sweep O(cells)); the trend gets a Newton
step. Each factor ``φ = e^θ`` has a Gamma prior with mean ``φ₀`` worth ``τ`` visitors, whose posterior
mode is ``(Σ w·y + τ·φ₀) / (Σ w·μ₋ + τ)``: the interactions shrink to 1 where data are thin, the surge
starts from ``surge_prior`` (a history with one holiday in it cannot estimate it alone) and moves with
what the history shows. The trend has a normal prior, so a few weeks do not extrapolate far.

**Forecast.** ``μ`` at the target cells; a level never seen in the history (a session opened for the
first time, the first Saturday) gets the average of the seen ones. Closed days and closed half-hours
forecast 0. Bookings: the history counts every ticket issued, appointments included, so the model's
expectation already holds the usual booked visitors; adding the bookings would count them twice. A
slot booked beyond it gets the booked count: ``expected = max(model, booked)`` — a floor (walk-ins
that come anyway are not added, so a heavily booked slot may still be under-forecast). Bookings for
closed cells are ignored: nobody is served then.

**Baseline and backtest.** Seasonal naive forecasts a cell by the same weekday's count one week
earlier; when that day (or that half-hour) was closed, it steps back a week at a time to the latest
same weekday on which the half-hour was open, and forecasts 0 if there is none. The backtest takes
each target week in turn, fits only on the days before it, and scores both methods by
WAPE = Σ|actual − forecast| / Σ actual over the week's open (date, slot) cells of the hall (groups
summed), and per group. A week touching a holiday (a weekday closed, a make-up workday, a surge or
pre-holiday day) is scored apart from normal weeks, and so is a week opening half-hours or day types
never open in its history (new hours, e.g. the 2017-10-23 extension): no history forecasts those.

Assumptions: arrivals in different cells are independent given the mean (day-to-day variation beyond
the Poisson is not modelled; it is part of the error); recorded tickets are the demand (visitors who
left without a ticket are not counted); a half-hour's open status is the same for every group.
"""

from __future__ import annotations

import enum
import functools
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import numpy as np

SLOTS = 48  # half-hours in a day (slot n starts at n × 30 minutes)
CLOSURE_DAYS = 3  # a closure this long or longer is followed by a surge
SURGE_DAYS = 2  # open days after such a closure that see more visitors
WEEK_DAYS = 7
PROFILES = 6  # Monday … Friday, weekend service day
WEEKEND_SERVICE = 5  # the profile index of an open Saturday or Sunday that is not a working day

ArrivalCounts = Mapping[tuple[date, int, str], float]  # (date, slot, group) → tickets issued


@dataclass(frozen=True)
class DayInfo:
    """One calendar date of a hall as the forecast sees it."""

    date: date
    open_slots: frozenset[int] = frozenset()  # half-hours in which tickets are issued; empty: closed
    makeup_workday: bool = False  # 调休上班: a Saturday or Sunday that is a working day
    after_closure: int = 0  # 1, 2: first, second open day after a closure of CLOSURE_DAYS+ days; 0 otherwise
    before_closure: bool = False  # the last open day before such a closure (the day before a long holiday)

    @property
    def open(self) -> bool:
        return bool(self.open_slots)

    def profile(self, makeup_follows_weekday: int) -> int:
        """The weekday (0–4) whose profile the day follows, or ``WEEKEND_SERVICE``."""
        if self.makeup_workday:
            return makeup_follows_weekday
        return self.date.weekday() if self.date.weekday() < 5 else WEEKEND_SERVICE

    @property
    def touches_holiday(self) -> bool:
        """A weekday closed (a holiday), a make-up workday, or a surge or pre-holiday day."""
        closed_weekday = not self.open and self.date.weekday() < 5
        return closed_weekday or self.makeup_workday or self.after_closure > 0 or self.before_closure


def half_hours(spans: Iterable[tuple[time, time]]) -> frozenset[int]:
    """The half-hour slots that the [start, end) spans of a day touch — a day's sessions give its
    ``open_slots``. Take the sessions whole (to their end, not the ticket cut-off): tickets issued after
    the cut-off (a returning applicant's) are arrivals too, and arrivals outside ``open_slots`` are
    left out of the fit and the scores."""
    slots = set()
    for start, end in spans:
        if end <= start:
            raise ValueError(f"spans: {start.isoformat()}–{end.isoformat()} does not end after it starts")
        first, last = (t.hour * 3600 + t.minute * 60 + t.second for t in (start, end))
        slots.update(range(first // 1800, (last - 1) // 1800 + 1))
    return frozenset(slots)


def describe_days(
    openings: Mapping[date, Collection[int]],
    makeup_workdays: Collection[date] = (),
    *,
    closure_days: int = CLOSURE_DAYS,
    surge_days: int = SURGE_DAYS,
) -> list[DayInfo]:
    """The :class:`DayInfo` of consecutive dates from each date's open half-hours (empty: closed) and
    the make-up workdays among them, with the surge and pre-holiday flags found from the sequence.

    A closure running into either end of the dates is counted only as far as the dates go: pass a week
    or two either side of the span of interest."""
    dates = _consecutive(openings, "openings")
    for day in makeup_workdays:
        if day not in openings:
            raise ValueError(f"makeup_workdays: {day.isoformat()} is not among the dates of openings")
    if closure_days < 1 or surge_days < 0:
        raise ValueError("closure_days, surge_days: the closure must be at least 1 day, the surge days not negative")
    open_dates = [d for d in dates if openings[d]]
    after, before = {}, set()
    for n in range(1, len(open_dates)):
        if (open_dates[n] - open_dates[n - 1]).days - 1 >= closure_days:
            before.add(open_dates[n - 1])
            for position, day in enumerate(open_dates[n : n + surge_days], start=1):
                after[day] = min(position, after.get(day, position))  # the latest closure counts
    return [
        DayInfo(
            day,
            frozenset(_slots(openings[day], "openings", day)),
            day in makeup_workdays,
            after.get(day, 0),
            day in before,
        )
        for day in dates
    ]


@dataclass(frozen=True)
class ForecastSettings:
    """The forecast's knobs; defaults suit a hall with a few months of history."""

    half_life_weeks: float = 6.0  # a day's weight halves with each this many weeks of age
    history_weeks: int = 26  # fit on at most this many weeks before the target week
    trend_sd: float = 0.02  # prior sd of the weekly log-trend (2 % a week)
    surge_prior: tuple[float, ...] = (1.5, 1.2)  # multipliers of the 1st, 2nd open day after a closure
    surge_strength: float = 150.0  # visitors' worth of evidence behind surge_prior
    event_strength: float = 150.0  # the same for the make-up and pre-holiday factors (prior 1)
    shape_strength: float = 20.0  # the same for each profile, group × slot and group × weekday factor
    makeup_follows_weekday: int = 0  # WEIMIN_MAKEUP_WORKDAY_FOLLOWS_WEEKDAY
    max_sweeps: int = 300
    tolerance: float = 1e-5  # stop when no log-mean moves more than this in a sweep

    def __post_init__(self) -> None:
        if self.half_life_weeks <= 0 or self.history_weeks < 1 or self.trend_sd <= 0:
            raise ValueError("settings: half_life_weeks, trend_sd must be positive, history_weeks at least 1")
        if any(m <= 0 for m in self.surge_prior):
            raise ValueError("settings: surge_prior multipliers must be positive")
        if min(self.surge_strength, self.event_strength, self.shape_strength) <= 0:
            raise ValueError("settings: prior strengths must be positive")
        if not 0 <= self.makeup_follows_weekday <= 4:
            raise ValueError("settings: makeup_follows_weekday must be a weekday, 0 (Monday) to 4 (Friday)")


@dataclass(frozen=True)
class ForecastCell:
    date: date
    slot: int
    group: str
    expected: float  # arrivals to plan for: max(model, booked)
    model: float  # the model's (or baseline's) expectation
    booked: float = 0.0  # appointments already booked


@dataclass(frozen=True)
class WeekForecast:
    """Expected arrivals in every open (date, slot, group) cell of a target week; other cells are 0."""

    week_start: date
    groups: tuple[str, ...]
    cells: tuple[ForecastCell, ...]
    method: str  # "poisson" or "seasonal_naive"

    def expected(self, day: date, slot: int, group: str) -> float:
        return self._by_key.get((day, slot, group), 0.0)

    def by_slot(self) -> dict[tuple[date, int], float]:
        """Expected arrivals per open (date, slot), groups summed."""
        totals: dict[tuple[date, int], float] = defaultdict(float)
        for cell in self.cells:
            totals[cell.date, cell.slot] += cell.expected
        return dict(totals)

    @functools.cached_property
    def _by_key(self) -> dict[tuple[date, int, str], float]:
        return {(c.date, c.slot, c.group): c.expected for c in self.cells}


def forecast_week(
    arrivals: ArrivalCounts,
    days: Iterable[DayInfo],
    week_start: date,
    bookings: ArrivalCounts | None = None,
    settings: ForecastSettings | None = None,
    recorded_until: date | None = None,
) -> WeekForecast:
    """Expected arrivals for the 7 dates from ``week_start``, fitted on the arrivals before it.

    ``days`` must cover every date from the first recorded arrival to the week's last day, without a
    gap; ``bookings`` are appointments per (date, slot, group) in the week. ``recorded_until`` is the
    history's last complete day (default: the day before the week): planning next week on a Friday,
    today and tomorrow are not history yet."""
    history = _History(arrivals, days, settings or ForecastSettings())
    booked = history.bookings(bookings or {}, week_start)
    return history.forecast(week_start, booked, history.recorded_until(week_start, recorded_until))


def seasonal_naive(
    arrivals: ArrivalCounts, days: Iterable[DayInfo], week_start: date, recorded_until: date | None = None
) -> WeekForecast:
    """The baseline: each open cell of the week gets the count of the same weekday one week earlier,
    or of the latest earlier same weekday up to ``recorded_until`` on which that half-hour was open (0
    if none)."""
    history = _History(arrivals, days, ForecastSettings())
    return history.seasonal_naive(week_start, history.recorded_until(week_start, recorded_until))


class WeekKind(enum.StrEnum):
    NORMAL = "normal"
    HOLIDAY = "holiday"  # touches a holiday: a weekday closed, a make-up workday, a surge or pre-holiday day
    NEW_HOURS = "new_hours"  # opens half-hours or day types never open in the weeks before


@dataclass(frozen=True)
class Score:
    wape: float | None  # Σ|actual − forecast| / Σ actual; None when nothing arrived
    by_group: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class WeekScore:
    week_start: date
    kind: WeekKind
    actual: float  # arrivals in the week's open cells
    model: Score
    naive: Score


@dataclass(frozen=True)
class BacktestReport:
    weeks: tuple[WeekScore, ...]
    # Mean weekly WAPE by week kind ("normal", "holiday", "new_hours"); weeks without arrivals left out.
    model_mean: dict[str, float | None]
    naive_mean: dict[str, float | None]


def backtest(
    arrivals: ArrivalCounts,
    days: Iterable[DayInfo],
    week_starts: Sequence[date],
    settings: ForecastSettings | None = None,
) -> BacktestReport:
    """Rolling origin: each week of ``week_starts`` is forecast from the days before it only (no
    bookings: the history does not say which tickets were booked) and scored against what arrived,
    for the model and for seasonal naive."""
    if not week_starts:
        raise ValueError("week_starts: at least one target week is needed")
    history = _History(arrivals, days, settings or ForecastSettings())
    weeks = tuple(history.score(week_start) for week_start in sorted(week_starts))
    return BacktestReport(
        weeks,
        {kind.value: _mean(w.model.wape for w in weeks if w.kind == kind) for kind in WeekKind},
        {kind.value: _mean(w.naive.wape for w in weeks if w.kind == kind) for kind in WeekKind},
    )


def wape(actual: Iterable[float], forecast: Iterable[float]) -> float | None:
    """Weighted absolute percentage error of paired values; None when the actuals add up to 0."""
    pairs = list(zip(actual, forecast, strict=True))
    total = sum(a for a, _ in pairs)
    return float(sum(abs(a - f) for a, f in pairs) / total) if total > 0 else None


# --- internals ---


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(sum(present) / len(present)) if present else None


def _slots(slots: Iterable[int], parameter: str, day: date) -> list[int]:
    slots = list(slots)
    for slot in slots:
        if not isinstance(slot, int) or isinstance(slot, bool) or not 0 <= slot < SLOTS:
            raise ValueError(f"{parameter}: slot {slot!r} on {day.isoformat()} is not a half-hour 0–{SLOTS - 1}")
    return slots


def _consecutive(dates: Iterable[date], parameter: str) -> list[date]:
    ordered = sorted(dates)
    if not ordered:
        raise ValueError(f"{parameter}: no dates given")
    for previous, following in zip(ordered, ordered[1:], strict=False):
        if following == previous:
            raise ValueError(f"{parameter}: {following.isoformat()} is given twice")
        if (following - previous).days != 1:
            raise ValueError(
                f"{parameter}: the dates have a gap from {previous.isoformat()} to {following.isoformat()}"
            )
    return ordered


def _counts(counts: ArrivalCounts, parameter: str, known: Mapping[date, DayInfo]) -> dict:
    checked = {}
    for key, value in counts.items():
        if not (isinstance(key, tuple) and len(key) == 3 and isinstance(key[0], date)):
            raise ValueError(f"{parameter}: key {key!r} is not (date, slot, group)")
        day, slot, group = key
        _slots([slot], parameter, day)
        if not isinstance(group, str) or not group:
            raise ValueError(f"{parameter}: group {group!r} on {day.isoformat()} is not a category code")
        if day not in known:
            raise ValueError(f"{parameter}: {day.isoformat()} has no day info in days")
        if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{parameter}: count {value!r} at {day.isoformat()} slot {slot} is not a count")
        if value:
            checked[key] = float(value)
    return checked


@dataclass
class _Cells:
    """Open (date, slot, group) cells as parallel arrays, rows grouped by date in date order."""

    day: np.ndarray  # days since the first date
    slot: np.ndarray
    group: np.ndarray  # index into groups
    profile: np.ndarray
    makeup: np.ndarray
    surge: np.ndarray
    before: np.ndarray
    y: np.ndarray


class _History:
    """Validated inputs, laid out once for every week forecast from them."""

    def __init__(self, arrivals: ArrivalCounts, days: Iterable[DayInfo], settings: ForecastSettings):
        self.settings = settings
        days = list(days)
        for info in days:
            if not isinstance(info, DayInfo):
                raise ValueError(f"days: {info!r} is not a DayInfo")
            _slots(info.open_slots, "days", info.date)
            if not 0 <= info.after_closure <= len(settings.surge_prior):
                raise ValueError(
                    f"days: after_closure {info.after_closure} on {info.date.isoformat()} is beyond the "
                    f"{len(settings.surge_prior)} surge days of settings.surge_prior"
                )
        self.dates = _consecutive([info.date for info in days], "days")
        self.first = self.dates[0]
        self.info = {info.date: info for info in days}
        self.arrivals = _counts(arrivals, "arrivals", self.info)
        self.groups = tuple(sorted({group for _, _, group in self.arrivals}))
        self.cells = self._lay_out()

    def _lay_out(self) -> _Cells:
        follows = self.settings.makeup_follows_weekday
        columns = defaultdict(list)
        for day in self.dates:
            info = self.info[day]
            for slot in sorted(info.open_slots):
                for g, group in enumerate(self.groups):
                    columns["day"].append((day - self.first).days)
                    columns["slot"].append(slot)
                    columns["group"].append(g)
                    columns["profile"].append(info.profile(follows))
                    columns["makeup"].append(int(info.makeup_workday))
                    columns["surge"].append(info.after_closure)
                    columns["before"].append(int(info.before_closure))
                    columns["y"].append(self.arrivals.get((day, slot, group), 0.0))
        names = ("day", "slot", "group", "profile", "makeup", "surge", "before")
        arrays = {name: np.asarray(columns[name], dtype=np.int64) for name in names}
        return _Cells(**arrays, y=np.asarray(columns["y"], dtype=float))

    def _week(self, week_start: date) -> list[date]:
        week = [week_start + timedelta(days=n) for n in range(WEEK_DAYS)]
        missing = [d for d in week if d not in self.info]
        if missing:
            raise ValueError(f"days: the target week needs day info for {missing[0].isoformat()}")
        return week

    def _rows(self, first: date, last: date) -> np.ndarray:
        """Row positions of the cells dated first … last (inclusive)."""
        lo, hi = (first - self.first).days, (last - self.first).days
        return np.flatnonzero((self.cells.day >= lo) & (self.cells.day <= hi))

    def bookings(self, bookings: ArrivalCounts, week_start: date) -> dict:
        week = set(self._week(week_start))
        checked = _counts(bookings, "bookings", self.info)
        outside = next((day for day, _, _ in checked if day not in week), None)
        if outside is not None:
            raise ValueError(f"bookings: {outside.isoformat()} is not in the week from {week_start.isoformat()}")
        return checked

    def recorded_until(self, week_start: date, recorded_until: date | None) -> date:
        if recorded_until is None:
            return week_start - timedelta(days=1)
        if recorded_until >= week_start:
            raise ValueError(f"recorded_until: {recorded_until.isoformat()} is not before the target week")
        return recorded_until

    def forecast(self, week_start: date, booked: Mapping, recorded_until: date) -> WeekForecast:
        week = self._week(week_start)
        fit_rows = self._fit_rows(week_start, recorded_until)
        if not len(fit_rows) or not self.cells.y[fit_rows].any():
            raise ValueError(f"arrivals: none recorded in the open hours up to {recorded_until.isoformat()}")
        empty = next((d for d in self._open_dates(fit_rows) if not self._day_total(d)), None)
        if empty is not None:
            raise ValueError(
                f"arrivals: none recorded on {empty.isoformat()}, an open day (a gap in the records? "
                f"a day the hall did not open belongs in days as closed)"
            )
        target = self._rows(week[0], week[-1])
        model = _PoissonFit(self.cells, fit_rows, week_start - self.first, self.settings).predict(target)
        return self._week_forecast(week_start, target, model, booked, "poisson")

    def _fit_rows(self, week_start: date, recorded_until: date) -> np.ndarray:
        first = max(self.first, week_start - timedelta(weeks=self.settings.history_weeks))
        return self._rows(first, recorded_until)

    def _open_dates(self, rows: np.ndarray) -> list[date]:
        return [self.first + timedelta(days=int(n)) for n in np.unique(self.cells.day[rows])]

    def _day_total(self, day: date) -> float:
        return sum(self.arrivals.get((day, slot, g), 0.0) for slot in self.info[day].open_slots for g in self.groups)

    def seasonal_naive(self, week_start: date, recorded_until: date) -> WeekForecast:
        target = self._rows(week_start, self._week(week_start)[-1])
        model = np.zeros(len(target))
        for n, row in enumerate(target):
            day = self.first + timedelta(days=int(self.cells.day[row]))
            slot, group = int(self.cells.slot[row]), self.groups[self.cells.group[row]]
            earlier = day - timedelta(weeks=1)
            while earlier > recorded_until or (earlier >= self.first and slot not in self.info[earlier].open_slots):
                earlier -= timedelta(weeks=1)
            model[n] = self.arrivals.get((earlier, slot, group), 0.0)
        return self._week_forecast(week_start, target, model, {}, "seasonal_naive")

    def _week_forecast(self, week_start, rows, model, booked, method) -> WeekForecast:
        cells = []
        for row, value in zip(rows, model, strict=True):
            day = self.first + timedelta(days=int(self.cells.day[row]))
            slot, group = int(self.cells.slot[row]), self.groups[self.cells.group[row]]
            on_book = booked.get((day, slot, group), 0.0)
            cells.append(ForecastCell(day, slot, group, max(float(value), on_book), float(value), on_book))
        return WeekForecast(week_start, self.groups, tuple(cells), method)

    def score(self, week_start: date) -> WeekScore:
        week = self._week(week_start)
        target = self._rows(week[0], week[-1])
        actual = self.cells.y[target]
        recorded_until = self.recorded_until(week_start, None)
        model = self.forecast(week_start, {}, recorded_until)
        naive = self.seasonal_naive(week_start, recorded_until)
        if any(self.info[d].touches_holiday for d in week):
            kind = WeekKind.HOLIDAY
        elif self._new_hours(self._fit_rows(week_start, recorded_until), target):
            kind = WeekKind.NEW_HOURS
        else:
            kind = WeekKind.NORMAL
        return WeekScore(week_start, kind, float(actual.sum()), self._score(target, model), self._score(target, naive))

    def _new_hours(self, fit_rows: np.ndarray, target: np.ndarray) -> bool:
        seen = set(zip(self.cells.profile[fit_rows].tolist(), self.cells.slot[fit_rows].tolist(), strict=True))
        return any(
            cell not in seen
            for cell in zip(self.cells.profile[target].tolist(), self.cells.slot[target].tolist(), strict=True)
        )

    def _score(self, rows: np.ndarray, forecast: WeekForecast) -> Score:
        actual = self.cells.y[rows]
        predicted = np.asarray([cell.expected for cell in forecast.cells])
        by_group = {
            group: wape(actual[mask], predicted[mask])
            for g, group in enumerate(self.groups)
            for mask in [self.cells.group[rows] == g]
        }
        # The hall's cells: each (date, slot) summed over groups (rows of a slot are adjacent, one per group).
        per_slot = len(self.groups)
        hall = wape(actual.reshape(-1, per_slot).sum(axis=1), predicted.reshape(-1, per_slot).sum(axis=1))
        return Score(hall, by_group)


@dataclass
class _Block:
    """One categorical factor of the log-mean: θ[index] added to each row, with a Gamma prior."""

    index: np.ndarray
    levels: int
    strength: float  # τ: visitors' worth of evidence for the prior; 0: none
    prior: np.ndarray  # φ₀ per level
    fixed_first: bool = False  # level 0 is the reference, held at θ = 0
    centre: bool = False  # a main effect: its seen levels are centred on 0 after the fit

    def __post_init__(self) -> None:
        self.theta = np.zeros(self.levels)


class _PoissonFit:
    """The penalised Poisson fit of the module docstring on the given rows."""

    def __init__(self, cells: _Cells, rows: np.ndarray, origin: timedelta, settings: ForecastSettings):
        self.cells, self.settings = cells, settings
        self.origin_day = origin.days  # the target week's first day, in the cells' day numbering
        groups = int(cells.group.max()) + 1
        self.blocks = self._blocks(cells, groups)
        y = cells.y[rows]
        age_weeks = (self.origin_day - cells.day[rows]) / 7
        w = 0.5 ** (age_weeks / settings.half_life_weeks)
        # A group with no arrivals in the history is forecast 0.
        self.absent = np.bincount(cells.group[rows], weights=y, minlength=groups) == 0
        # The trend's time is centred on the history's weighted mean, so that it hardly moves the levels.
        self.t_centre = float(np.average(-age_weeks, weights=w))
        self.beta = 0.0
        self._fit([b.index[rows] for b in self.blocks], y, w, -age_weeks - self.t_centre)

    def _blocks(self, cells: _Cells, groups: int) -> list[_Block]:
        s = self.settings

        def block(index, levels, strength, prior=1.0, **flags) -> _Block:
            return _Block(index, levels, strength, np.broadcast_to(np.asarray(prior, float), (levels,)), **flags)

        weak = 1.0  # main effects: a visitor's worth, only to keep a level without arrivals finite
        return [
            block(cells.group, groups, 0.0),
            block(cells.profile, PROFILES, weak, centre=True),
            block(cells.slot, SLOTS, weak, centre=True),
            block(cells.profile * SLOTS + cells.slot, PROFILES * SLOTS, s.shape_strength),
            block(cells.group * SLOTS + cells.slot, groups * SLOTS, s.shape_strength),
            block(cells.group * PROFILES + cells.profile, groups * PROFILES, s.shape_strength),
            block(cells.makeup, 2, s.event_strength, fixed_first=True),
            block(cells.surge, 1 + len(s.surge_prior), s.surge_strength, (1.0, *s.surge_prior), fixed_first=True),
            block(cells.before, 2, s.event_strength, fixed_first=True),
        ]

    def _fit(self, indexes: list[np.ndarray], y: np.ndarray, w: np.ndarray, t: np.ndarray) -> None:
        wy = w * y
        precision = 1 / self.settings.trend_sd**2
        groups = self.blocks[0]
        groups.theta = np.log(np.maximum(np.bincount(indexes[0], weights=wy, minlength=groups.levels), 1e-9))
        groups.theta -= np.log(np.maximum(np.bincount(indexes[0], weights=w, minlength=groups.levels), 1e-9))
        eta = groups.theta[indexes[0]]
        for _ in range(self.settings.max_sweeps):
            before = eta.copy()
            for b, i in zip(self.blocks, indexes, strict=True):
                eta = eta - b.theta[i]
                # The Gamma posterior mode: observed over expected totals per level, each with the prior's share.
                observed = np.bincount(i, weights=wy, minlength=b.levels) + b.strength * b.prior
                expected = np.bincount(i, weights=w * np.exp(eta), minlength=b.levels) + b.strength
                b.theta = np.log(np.maximum(observed, 1e-300) / np.maximum(expected, 1e-300))
                if b.fixed_first:
                    b.theta[0] = 0.0
                eta = eta + b.theta[i]
            # The trend: a Newton step on the log-likelihood with its normal prior.
            mu = np.exp(eta)
            step = (np.sum(w * t * (y - mu)) - precision * self.beta) / (np.sum(w * t * t * mu) + precision)
            self.beta += step
            eta = eta + step * t
            if np.max(np.abs(eta - before)) < self.settings.tolerance:
                break
        for b, i in zip(self.blocks, indexes, strict=True):
            if b.centre:
                # The seen levels' mean moves into the group levels: a level never seen (0) is then average.
                cells = np.bincount(i, weights=w, minlength=b.levels)
                seen = cells > 0
                mean = float(np.average(b.theta[seen], weights=cells[seen]))
                b.theta = np.where(seen, b.theta - mean, 0.0)
                groups.theta = groups.theta + mean

    def predict(self, rows: np.ndarray) -> np.ndarray:
        eta = sum(b.theta[b.index[rows]] for b in self.blocks)
        t = (self.cells.day[rows] - self.origin_day) / 7 - self.t_centre
        mu = np.exp(eta + self.beta * t)
        return np.where(self.absent[self.cells.group[rows]], 0.0, mu)
