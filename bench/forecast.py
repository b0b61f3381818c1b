"""Forecast benchmark (issue 12, point 1): the rolling-origin backtest of the arrival forecast on the demo
district hall's history, against seasonal naive and against the noise floor.

    .venv/bin/python bench/forecast.py                       # the demo's span, 2017-07-01 … 2017-12-07
    .venv/bin/python bench/forecast.py --last 2018-03-04     # on through New Year and Spring Festival

The demo's history builder (``weimin.demo.history``) writes tickets into a database and draws arrivals
inside its queue simulation, so it cannot hand over counts alone. This bench draws the same demand from
the same source — the builder's constants (``UTILISATION``, ``WEEKDAY_DEMAND``, ``FRIDAY_AFTERNOON``,
``DAY_SHAPE``, ``EVENING_CATEGORY``, ``SURGE`` after ``CLOSURE_DAYS``, ``WEEKLY_GROWTH``, ``DAY_NOISE``),
the district hall's windows and items (``demo.data``: each category's queue draws
``UTILISATION × windows ÷ mean handling minutes`` a minute, the 综合出件 window its own queue), the
schedules before and from ``EXTENSION_STARTS`` with the ticket cut-off, and the national calendar
(``chinesecalendar``) — with the seeded generator of the forecast's tests (``planning/tests/synthetic.py``,
Poisson arrivals per half-hour). What the database adds (fast-lane resubmission tickets, give-ups) is not
drawn. ``--seeds`` histories are drawn and every figure is their mean.

Each Monday with at least ``--warm-up`` weeks of history before it is a target week; the backtest fits on
the days before it only and scores WAPE = Σ|actual − forecast| / Σ actual over the week's open half-hours
of the hall (categories summed). It prints, by kind of week (normal, touching a holiday, opening new
hours), the mean weekly WAPE of the model, of seasonal naive, and of the **noise floor** — the generator's
own Poisson means (without the day's variation) as the forecast: no forecast can beat it on average — and
the ratio model ÷ naive; the same forecasts scored by the hour (two half-hours summed, as the issue's
reference figures were measured); and the seconds the backtest took against those seasonal naive took.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its queue.py would hide the standard library's
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weimin.settings")

import django  # noqa: E402

django.setup()  # the demo's constants live in modules that import models; no database is opened

from django.conf import settings  # noqa: E402

from weimin.demo import data, history  # noqa: E402
from weimin.halls.choices import HallKind  # noqa: E402
from weimin.planning import forecast  # noqa: E402
from weimin.planning.tests import synthetic  # noqa: E402

PICKUP_ITEMS = ("fire-certificate-pickup",)  # what the district hall's 综合出件 window serves (demo.seed)


def ticket_slots(sessions) -> tuple[int, ...]:
    """The half-hours in which a session issues tickets: from its start to the cut-off before its end."""
    cutoff = timedelta(minutes=settings.WEIMIN_TICKET_CUTOFF_MINUTES)
    slots = []
    for start, end in sessions:
        last = (datetime.strptime(end, "%H:%M") - cutoff).strftime("%H:%M")
        slots.extend(synthetic.slots(start, last))
    return tuple(slots)


def district_hall() -> synthetic.SyntheticHall:
    utilisation = history.UTILISATION[HallKind.DISTRICT]
    rates = {}
    for category, windows in data.DISTRICT_WINDOWS.items():
        minutes = [item.handling_minutes for item in data.ITEMS if item.category == category]
        rates[category] = 30 * utilisation * windows / statistics.mean(minutes)
    for item in data.ITEMS:
        if item.code in PICKUP_ITEMS:
            rates[item.category] += 30 * utilisation * 1 / item.handling_minutes
    schedules = [data.SCHEDULE_BEFORE, data.SCHEDULE_EXTENDED]
    before, extended = ((ticket_slots(s.weekday_sessions), ticket_slots(s.saturday_sessions)) for s in schedules)
    return synthetic.SyntheticHall(
        rates=rates,
        evening=dict(history.EVENING_CATEGORY),
        weekday_demand=history.WEEKDAY_DEMAND,
        day_shape={synthetic.slot(k): v for k, v in history.DAY_SHAPE.items()},
        friday_afternoon=history.FRIDAY_AFTERNOON,
        surge=history.SURGE,
        closure_days=history.CLOSURE_DAYS,
        extension=date.fromisoformat(data.EXTENSION_STARTS),
        hours_before=before,
        hours_extended=extended,
        weekly_growth=history.WEEKLY_GROWTH,
        day_noise=history.DAY_NOISE,
    )


def week_wape(drawn: synthetic.History, week_start: date, predicted, cells_per_hour: int = 1) -> float | None:
    """WAPE of ``predicted`` ((date, slot) → arrivals; None: the generator's means) over the week's open
    half-hours, or over its hours (``cells_per_hour`` 2: two half-hours summed)."""
    actual, mean = defaultdict(float), defaultdict(float)
    for (day, slot, group), value in drawn.intensity.items():
        if week_start <= day < week_start + timedelta(days=7):
            cell = day, slot // cells_per_hour
            mean[cell] += value
            actual[cell] += drawn.arrivals.get((day, slot, group), 0)
    if predicted is not None:
        mean = defaultdict(float)
        for (day, slot), value in predicted.items():
            mean[day, slot // cells_per_hour] += value
    return forecast.wape([actual[k] for k in actual], [mean[k] for k in actual])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--first", type=date.fromisoformat, default=date.fromisoformat(data.HISTORY_STARTS))
    parser.add_argument("--last", type=date.fromisoformat, default=date(2017, 12, 7), help="the history's last day")
    parser.add_argument("--warm-up", type=int, default=5, help="weeks of history before the first target week")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()

    hall = district_hall()
    first_monday = args.first + timedelta(days=-args.first.weekday() % 7)
    weeks, week = [], first_monday + timedelta(weeks=args.warm_up)
    while week + timedelta(days=6) <= args.last:
        weeks.append(week)
        week += timedelta(weeks=1)
    print(f"district hall: {sum(hall.rates.values()):.1f} arrivals per half-hour at profile 1 on a weekday of factor 1")
    print(f"history {args.first} … {args.last}, {len(weeks)} target weeks from {weeks[0]}, {args.seeds} seeds")

    rows = defaultdict(lambda: defaultdict(list))  # week → figure → values over seeds
    kinds, model_seconds, naive_seconds, per_group = {}, 0.0, 0.0, defaultdict(list)
    for seed in range(1, args.seeds + 1):
        drawn = synthetic.generate(args.first, args.last, hall, seed=seed)
        started = time.perf_counter()
        report = forecast.backtest(drawn.arrivals, drawn.days, weeks)
        model_seconds += time.perf_counter() - started
        started = time.perf_counter()
        for week in weeks:
            forecast.seasonal_naive(drawn.arrivals, drawn.days, week)
        naive_seconds += time.perf_counter() - started
        for score in report.weeks:
            kinds[score.week_start] = score.kind
            if score.model.wape is None:
                continue
            figures = rows[score.week_start]
            figures["actual"].append(score.actual)
            figures["model"].append(score.model.wape)
            figures["naive"].append(score.naive.wape)
            figures["floor"].append(week_wape(drawn, score.week_start, None))
            # The same forecasts scored by the hour, as the reference figures were.
            model = forecast.forecast_week(drawn.arrivals, drawn.days, score.week_start).by_slot()
            naive = forecast.seasonal_naive(drawn.arrivals, drawn.days, score.week_start).by_slot()
            figures["model_hour"].append(week_wape(drawn, score.week_start, model, 2))
            figures["naive_hour"].append(week_wape(drawn, score.week_start, naive, 2))
            figures["floor_hour"].append(week_wape(drawn, score.week_start, None, 2))
            for group, value in score.model.by_group.items():
                if value is not None and score.kind == forecast.WeekKind.NORMAL:
                    per_group[group].append(value)

    print(f"\n{'week':<12}{'kind':<11}{'arrivals':>9}{'model':>8}{'naive':>8}{'floor':>8}")
    for week in weeks:
        figures = rows.get(week)
        if not figures:
            print(f"{week.isoformat():<12}{kinds[week]:<11}{'closed':>9}")
            continue
        means = {name: statistics.mean(values) for name, values in figures.items()}
        print(
            f"{week.isoformat():<12}{kinds[week]:<11}{means['actual']:>9.0f}"
            f"{means['model']:>8.1%}{means['naive']:>8.1%}{means['floor']:>8.1%}"
        )
    for cells, suffix in (("half-hours", ""), ("hours", "_hour")):
        print(f"\n{'mean WAPE, ' + cells:<23}{'model':>8}{'naive':>8}{'floor':>8}{'model/naive':>13}")
        for kind in forecast.WeekKind:
            scored = [w for w in weeks if kinds.get(w) == kind and w in rows]
            if not scored:
                continue
            model, naive, floor = (
                statistics.mean(statistics.mean(rows[w][name + suffix]) for w in scored)
                for name in ("model", "naive", "floor")
            )
            label = f"{kind.value} ({len(scored)} weeks)"
            print(f"{label:<23}{model:>8.1%}{naive:>8.1%}{floor:>8.1%}{model / naive:>13.2f}")
    print("\nnormal weeks, model WAPE by category (each category's half-hours alone):")
    print("  " + ", ".join(f"{group} {statistics.mean(values):.1%}" for group, values in sorted(per_group.items())))
    print(
        f"\nbacktest {model_seconds / args.seeds:.2f} s a history ({len(weeks)} fits), "
        f"seasonal naive {naive_seconds / args.seeds:.2f} s: ratio {model_seconds / naive_seconds:.1f}"
    )


if __name__ == "__main__":
    main()
