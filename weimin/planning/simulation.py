"""Discrete-event simulation of one hall day (大厅一日仿真) — no Django.

What it answers: with these windows staffed at these times, what will visitors wait, half-hour by
half-hour? Erlang C (``weimin.analytics.queueing``) answers for a steady state; a hall day is not one —
arrivals rise and fall within the day, windows open, close for lunch and reopen, a backlog built in a
peak is still served after it. So the day is simulated, many times over.

**Units.** Every time is hall-local seconds from midnight (``seconds_of`` converts a ``datetime.time``);
every duration is seconds.

**The model.**

- *Arrivals.* Each skill group (技能组: an item category, served by the windows that handle it) gets
  tickets as a non-stationary Poisson process: ``SkillGroup.arrivals[k]`` expected tickets in slot ``k``
  (normally a half-hour), spread evenly over the slot. A share ``priority_share`` of them are priority
  tickets (优先号: the elderly, the disabled, …).
- *Cut-off.* No ticket is issued at or after ``HallDay.last_ticket`` (the part of a slot after it issues
  nothing). Visitors already waiting at closing (the end of the last slot) are still served: a window
  rostered up to closing keeps calling until nobody it may serve waits — what halls do (a visitor holding
  a number is not sent home) and what makes the evening's figures honest: stopping at closing would hide
  the evening backlog as "never called" instead of counting its waits. A window whose roster ends earlier
  (lunch, an early shift) stops calling at that instant and finishes the visit in hand.
- *Handling.* Each visit's handling time is resampled from the recorded seconds (``HandlingTimes``), or
  drawn from a lognormal of the given mean and coefficient of variation when too few were recorded.
- *No-shows.* A called ticket fails to come with ``no_show_probability``; the window is then held
  ``no_show_seconds`` (the recalls) before its next call. A no-show was called: its wait counts.
- *Queue discipline* — weimin's own (``tickets.rules.call_order``, ``tickets.queue.window_outlook``): a
  free, staffed window calls among the waiting tickets of the groups it serves; of the priority lane and
  the normal lane it prefers priority unless its own last ``max_priority_in_row`` calls were all priority
  (``tickets.rules.take_priority_next``, read here as a table over the run of priority calls), each lane
  first come first served across the window's groups. Of windows free at the same instant the first in
  ``HallDay.windows`` calls first. Transfers, recalls' outcomes and the front lane are not modelled.

**Output.** Per slot of *arrival*: mean wait, 90th-percentile wait and the share called within
``wait_target_seconds``, each the mean over replications of that replication's figure with a 95 %
confidence interval (normal approximation: replications are many and independent); per slot of the
day the time-averaged windows staffed and their utilisation (busy ÷ staffed window-time); the day's
totals likewise. A ticket never called (its group has no window staffed any more) counts as missing
the target and is reported as ``unserved``; it has no wait.

**Replications** use independent random streams: replication ``i`` draws from
``SeedSequence(seed, spawn_key=(i,))``, so a result is reproducible from one seed and a replication's
draws do not depend on how many are run.

**Method.** The replications run *in lockstep as arrays* (numpy), one call per replication per step —
not a heap of events per replication, whose Python overhead per event is what makes SimPy slow. With
each lane's tickets sorted by arrival, the state of a replication is, per (group, priority) lane, the
position of its first uncalled ticket and, per window, the instant it is next free, its roster interval
and its run of priority calls. A window's next call is at ``max(free at, earliest first-in-lane arrival
among its groups)``; the smallest over the windows is the replication's next event — a call, or, when it
falls after the window's roster interval, the move to its next interval. Nothing else happens between
two calls, so this is exact, and every replication's step is a handful of array operations.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import time
from itertools import pairwise, repeat

import numpy as np

from weimin.analytics import queueing
from weimin.tickets.rules import take_priority_next

__all__ = [
    "HALF_HOUR",
    "HandlingTimes",
    "SkillGroup",
    "Window",
    "HallDay",
    "Tickets",
    "Trace",
    "Estimate",
    "SlotFigures",
    "DayFigures",
    "SimulationResult",
    "seconds_of",
    "slot_edges_between",
    "draw_tickets",
    "run",
    "simulate",
    "erlang_windows",
    "pooled_windows_by_simulation",
    "windows_for_requirement",
]

HALF_HOUR = 1800
Z95 = 1.959963984540054  # two-sided 95 % quantile of the normal distribution
P90 = 0.9


def seconds_of(moment: time) -> int:
    """A hall-local clock time as seconds from midnight, the unit of every time in this module."""
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def slot_edges_between(opens: float, closes: float) -> tuple[float, ...]:
    """The slot edges of a day cut into half-hours from ``opens`` to ``closes`` (a whole number of them)."""
    count = (closes - opens) / HALF_HOUR
    if count <= 0 or count != int(count):
        raise ValueError("closes: the day must last a positive whole number of half-hours")
    return tuple(opens + k * HALF_HOUR for k in range(int(count) + 1))


# --- inputs ---


@dataclass(frozen=True)
class HandlingTimes:
    """How long a visit holds the window (办理时长), in seconds.

    With at least ``min_sample`` recorded values the sample is resampled with replacement (the
    empirical distribution: no shape assumed). Otherwise a lognormal of mean ``mean_seconds`` and
    coefficient of variation ``cv`` — each defaulting to the sample's own (``cv`` to 1, an exponential's,
    when fewer than two values were recorded)."""

    sample_seconds: tuple[float, ...] = ()
    mean_seconds: float | None = None
    cv: float | None = None
    min_sample: int = 30

    def validate(self, name: str) -> None:
        if any(not math.isfinite(s) or s <= 0 for s in self.sample_seconds):
            raise ValueError(f"{name}.sample_seconds: every handling time must be a positive number of seconds")
        if self.min_sample < 1:
            raise ValueError(f"{name}.min_sample must be at least 1")
        if self.mean_seconds is not None and not (math.isfinite(self.mean_seconds) and self.mean_seconds > 0):
            raise ValueError(f"{name}.mean_seconds must be positive")
        if self.cv is not None and not (math.isfinite(self.cv) and self.cv >= 0):
            raise ValueError(f"{name}.cv cannot be negative")
        if not self.sample_seconds and self.mean_seconds is None:
            raise ValueError(f"{name}: give sample_seconds or mean_seconds")

    @property
    def resampled(self) -> bool:
        return len(self.sample_seconds) >= self.min_sample

    def mean(self) -> float:
        """The expected handling time, seconds."""
        if self.resampled or self.mean_seconds is None:
            return float(np.mean(self.sample_seconds))
        return self.mean_seconds

    def _fallback_cv(self) -> float:
        if self.cv is not None:
            return self.cv
        if len(self.sample_seconds) >= 2:
            return float(np.std(self.sample_seconds, ddof=1) / np.mean(self.sample_seconds))
        return 1.0

    def sampler(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        """A function drawing ``size`` handling times from a random stream."""
        if self.resampled:
            sample = np.asarray(self.sample_seconds, dtype=float)
            return lambda rng, size: sample[rng.integers(0, len(sample), size)]
        sigma = math.sqrt(math.log1p(self._fallback_cv() ** 2))
        mu = math.log(self.mean()) - sigma**2 / 2
        return lambda rng, size: rng.lognormal(mu, sigma, size)


@dataclass(frozen=True)
class SkillGroup:
    """The tickets of one item category (事项类别) and how long they take.

    ``arrivals[k]``: expected tickets in slot ``k``; ``priority_share``: the share of priority tickets."""

    name: str
    arrivals: tuple[float, ...]
    handling: HandlingTimes
    priority_share: float = 0.0


@dataclass(frozen=True)
class Window:
    """A service window (窗口): the skill groups it may serve and the intervals it is staffed (from the
    roster), as ``(start, end)`` seconds from midnight, in order and not overlapping."""

    name: str
    groups: frozenset[str]
    staffed: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class HallDay:
    """One hall day to simulate.

    ``slot_edges``: the slots' boundaries (normally half-hours; ``slot_edges_between`` builds them), the first
    the opening, the last the closing. ``last_ticket``: no ticket is issued from then on (default: the
    closing). ``wait_target_seconds``: the wait within which a call counts as on time (default 15 min).
    ``max_priority_in_row``: settings.WEIMIN_MAX_PRIORITY_IN_ROW. ``patience_seconds``: the visitors' mean
    patience recorded (``analytics.queueing.patience_minutes``), for the fast estimate by Erlang A; None:
    Erlang C (the simulation itself plays no-shows as above)."""

    slot_edges: tuple[float, ...]
    groups: tuple[SkillGroup, ...]
    windows: tuple[Window, ...]
    last_ticket: float | None = None
    no_show_probability: float = 0.0
    no_show_seconds: float = 0.0
    wait_target_seconds: float = 900.0
    max_priority_in_row: int = 2
    patience_seconds: float | None = None

    @property
    def closing(self) -> float:
        return self.slot_edges[-1]

    @property
    def cut_off(self) -> float:
        return self.closing if self.last_ticket is None else self.last_ticket

    def validate(self) -> None:
        edges = self.slot_edges
        if len(edges) < 2 or any(not math.isfinite(e) for e in edges) or any(b <= a for a, b in pairwise(edges)):
            raise ValueError("slot_edges: at least two finite instants, strictly increasing")
        if not self.groups:
            raise ValueError("groups: at least one skill group")
        names = [g.name for g in self.groups]
        if len(set(names)) != len(names):
            raise ValueError("groups: each skill group's name must be unique")
        for group in self.groups:
            if len(group.arrivals) != len(edges) - 1:
                raise ValueError(f"groups[{group.name}].arrivals: one expected count per slot ({len(edges) - 1})")
            if any(not math.isfinite(a) or a < 0 for a in group.arrivals):
                raise ValueError(f"groups[{group.name}].arrivals cannot be negative")
            if not 0 <= group.priority_share <= 1:
                raise ValueError(f"groups[{group.name}].priority_share must lie between 0 and 1")
            group.handling.validate(f"groups[{group.name}].handling")
        for window in self.windows:
            if not window.groups or not window.groups <= set(names):
                raise ValueError(f"windows[{window.name}].groups: one or more of the day's skill groups")
            ends = [e for interval in window.staffed for e in interval]
            if any(not math.isfinite(e) for e in ends) or any(b <= a for a, b in window.staffed):
                raise ValueError(f"windows[{window.name}].staffed: intervals (start, end) with start < end")
            if any(b < a for a, b in pairwise(ends)):
                raise ValueError(f"windows[{window.name}].staffed: intervals in order, not overlapping")
        if not edges[0] <= self.cut_off <= edges[-1]:
            raise ValueError("last_ticket must fall within the day (between the first and last slot edge)")
        if not 0 <= self.no_show_probability < 1:
            raise ValueError("no_show_probability must lie in [0, 1)")
        if not (math.isfinite(self.no_show_seconds) and self.no_show_seconds >= 0):
            raise ValueError("no_show_seconds cannot be negative")
        if not (math.isfinite(self.wait_target_seconds) and self.wait_target_seconds > 0):
            raise ValueError("wait_target_seconds must be positive")
        if self.patience_seconds is not None and not (
            math.isfinite(self.patience_seconds) and self.patience_seconds > 0
        ):
            raise ValueError("patience_seconds must be positive")
        if self.max_priority_in_row < 0:
            raise ValueError("max_priority_in_row cannot be negative")


# --- tickets and the engine ---


@dataclass(frozen=True)
class Tickets:
    """The tickets of several replications, one row each, padded with ``group == -1``: arrival (seconds
    from midnight), skill group (index into ``HallDay.groups``), priority, whether the visitor fails to
    come, and how long the call holds the window (handling time, or ``no_show_seconds``)."""

    arrival: np.ndarray
    group: np.ndarray
    priority: np.ndarray
    no_show: np.ndarray
    occupancy: np.ndarray

    @property
    def replications(self) -> int:
        return self.arrival.shape[0]


@dataclass(frozen=True)
class Trace:
    """What happened to each ticket: when it was called (NaN: never) and by which window (−1: none)."""

    tickets: Tickets
    called_at: np.ndarray
    window: np.ndarray


def _stream(seed: int, replication: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(replication,)))


def _issuing_seconds(day: HallDay) -> np.ndarray:
    """Each slot's seconds before the cut-off: the part of it that issues tickets."""
    edges = np.asarray(day.slot_edges, dtype=float)
    return np.clip(np.minimum(edges[1:], day.cut_off) - edges[:-1], 0, None)


def draw_tickets(day: HallDay, replications: int, seed: int, first: int = 0) -> Tickets:
    """The tickets of replications ``first … first + replications − 1``, each from its own stream."""
    day.validate()
    edges = np.asarray(day.slot_edges, dtype=float)
    issuing = _issuing_seconds(day)
    expected = np.array([g.arrivals for g in day.groups], dtype=float) * issuing / np.diff(edges)
    slot_starts = np.broadcast_to(edges[:-1], expected.shape).ravel()
    slot_lengths = np.broadcast_to(issuing, expected.shape).ravel()
    priority_share = np.array([g.priority_share for g in day.groups])
    samplers = [g.handling.sampler() for g in day.groups]
    rows = []
    for replication in range(first, first + replications):
        rng = _stream(seed, replication)
        counts = rng.poisson(expected)  # groups × slots
        per_group = counts.sum(axis=1)
        group = np.repeat(np.arange(len(day.groups)), per_group)
        uniform = rng.random((3, len(group)))
        arrival = np.repeat(slot_starts, counts.ravel()) + uniform[0] * np.repeat(slot_lengths, counts.ravel())
        priority = uniform[1] < priority_share[group]
        no_show = uniform[2] < day.no_show_probability
        handling = np.concatenate([draw(rng, n) for draw, n in zip(samplers, per_group, strict=True)])
        rows.append((arrival, group, priority, no_show, np.where(no_show, day.no_show_seconds, handling)))
    counts = np.array([len(row[0]) for row in rows], dtype=int)
    width = int(counts.max(initial=0))
    issued = np.arange(width) < counts[:, None]  # each row's tickets first, then padding
    columns = []
    for column, (pad, dtype) in enumerate(((np.inf, float), (-1, int), (False, bool), (False, bool), (0.0, float))):
        padded = np.full((replications, width), pad, dtype=dtype)
        padded[issued] = np.concatenate([row[column] for row in rows]) if rows else []
        columns.append(padded)
    return Tickets(*columns)


def _roster_arrays(day: HallDay) -> tuple[np.ndarray, np.ndarray]:
    """Per window its staffed intervals' starts and ends, padded with ∞ and one ∞ column more (the state
    after the last interval). A last interval reaching the closing runs on (∞): its window serves whoever
    still waits."""
    count = max((len(w.staffed) for w in day.windows), default=0) + 1
    opens = np.full((len(day.windows), count), np.inf)
    closes = np.full((len(day.windows), count), np.inf)
    for w, window in enumerate(day.windows):
        for k, (start, end) in enumerate(window.staffed):
            opens[w, k], closes[w, k] = start, end
        if window.staffed and window.staffed[-1][1] >= day.closing:
            closes[w, len(window.staffed) - 1] = np.inf
    return opens, closes


def run(day: HallDay, tickets: Tickets) -> Trace:
    """Simulate the day for each replication's tickets (see the module's note on the method)."""
    day.validate()
    if tickets.group.size and tickets.group.max() >= len(day.groups):
        raise ValueError("tickets.group: each ticket's group must index day.groups (−1 for padding)")
    reps, width = tickets.arrival.shape
    groups = len(day.groups)
    lanes = 2 * groups  # lane of a ticket: 2 · group + priority; lane ``lanes`` is empty (padding)
    rows = np.arange(reps)
    valid = tickets.group >= 0
    lane_of = np.where(valid, 2 * tickets.group + tickets.priority, lanes)

    # Each replication's tickets sorted by lane, then arrival; a last column (arrival ∞) ends every lane.
    order = np.lexsort((tickets.arrival, lane_of), axis=1)
    arrival = np.column_stack([np.take_along_axis(tickets.arrival, order, 1), np.full(reps, np.inf)])
    occupancy = np.column_stack([np.take_along_axis(tickets.occupancy, order, 1), np.zeros(reps)])
    counts = np.bincount((rows[:, None] * (lanes + 1) + lane_of).ravel(), minlength=reps * (lanes + 1))
    counts = counts.reshape(reps, lanes + 1)
    lane_end = np.cumsum(counts, 1)
    lane_end[:, lanes] = width
    head = np.where(counts > 0, lane_end - counts, width)  # each lane's first uncalled ticket
    head[:, lanes] = width
    head_arrival = arrival[rows[:, None], head]

    # Windows with the same groups share their lanes: per such skill set, its priority and normal lanes.
    index = {g.name: i for i, g in enumerate(day.groups)}
    skill_sets = sorted({tuple(sorted(index[name] for name in w.groups)) for w in day.windows})
    set_of = np.array([skill_sets.index(tuple(sorted(index[n] for n in w.groups))) for w in day.windows], dtype=int)
    priority_lanes = np.full((max(len(skill_sets), 1), groups), lanes)
    normal_lanes = np.full((max(len(skill_sets), 1), groups), lanes)
    for s, members in enumerate(skill_sets):
        priority_lanes[s, : len(members)] = [2 * g + 1 for g in members]
        normal_lanes[s, : len(members)] = [2 * g for g in members]
    all_lanes = np.concatenate([priority_lanes, normal_lanes], 1)

    opens, closes = _roster_arrays(day)
    windows = len(day.windows)
    free_at = np.broadcast_to(opens[:, 0], (reps, windows)).ravel().copy()
    close_at = np.broadcast_to(closes[:, 0], (reps, windows)).ravel().copy()
    interval = np.zeros(reps * windows, dtype=int)
    most = day.max_priority_in_row
    prefer_priority = np.array([take_priority_next((True,) * streak + (False,), most) for streak in range(most + 1)])
    priority_run = np.zeros(reps * windows, dtype=int)  # the window's last calls that were priority, up to ``most``
    called_at = np.full(reps * (width + 1), np.nan)  # the last column takes the writes of replications not calling
    called_by = np.full(reps * (width + 1), -1)

    # The step works on flat arrays (one fancy index instead of two): a replication's row starts at these.
    arrival, occupancy = arrival.ravel(), occupancy.ravel()
    head, lane_end = head.ravel(), lane_end.ravel()
    window_row, lane_row, ticket_row = rows * windows, rows * (lanes + 1), rows * (width + 1)
    sets, per_set = all_lanes.shape
    set_row = rows * sets
    opens, closes, stops = opens.ravel(), closes.ravel(), opens.shape[1]
    all_lanes = all_lanes.ravel()
    while windows:
        # Per skill set its lanes' first waiting arrivals (priority lanes, then normal); its earliest.
        heads = head_arrival[:, all_lanes].reshape(reps, sets, per_set)
        ready = np.maximum(free_at.reshape(reps, windows), heads.min(axis=2)[:, set_of])
        w = ready.argmin(axis=1)
        at_window = window_row + w
        now = ready.ravel()[at_window]
        active = now < np.inf
        if not active.any():
            break
        calls = active & (now < close_at[at_window])
        moves = active & ~calls  # the window's interval ended before it could call: on to its next one

        # The first ticket of the window's priority lane and of its normal lane (first come, first served).
        mine = np.take(heads.reshape(reps * sets, per_set), set_row + set_of[w], axis=0)
        first = mine.reshape(reps, 2, groups).argmin(axis=2)
        first_priority, first_normal = first[:, 0], groups + first[:, 1]
        mine = mine.ravel()
        run_now = priority_run[at_window]
        take_priority = (prefer_priority[run_now] & (mine[rows * per_set + first_priority] <= now)) | (
            mine[rows * per_set + first_normal] > now
        )
        lane = np.where(
            calls, all_lanes[set_of[w] * per_set + np.where(take_priority, first_priority, first_normal)], lanes
        )
        position = ticket_row + head[lane_row + lane]
        called_at[position] = now
        called_by[position] = w
        following = position + 1
        following = np.where(following < ticket_row + lane_end[lane_row + lane], following, ticket_row + width)
        head[lane_row + lane] = following - ticket_row
        head_arrival.ravel()[lane_row + lane] = arrival[following]

        step = interval[at_window] + moves
        interval[at_window] = step
        stop = w * stops + step
        free_at[at_window] = np.where(calls, now + occupancy[position], np.maximum(free_at[at_window], opens[stop]))
        close_at[at_window] = closes[stop]
        priority_run[at_window] = np.where(calls, np.where(take_priority, np.minimum(run_now + 1, most), 0), run_now)

    called_at, called_by = called_at.reshape(reps, width + 1), called_by.reshape(reps, width + 1)

    unsorted_called = np.empty((reps, width))
    unsorted_by = np.empty((reps, width), dtype=int)
    np.put_along_axis(unsorted_called, order, called_at[:, :width], 1)
    np.put_along_axis(unsorted_by, order, called_by[:, :width], 1)
    return Trace(tickets, unsorted_called, unsorted_by)


# --- figures ---


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its 95 % confidence interval (NaN when undefined)."""

    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class SlotFigures:
    """One slot: waits of the tickets *issued* in it (seconds), and its windows staffed (time-averaged)
    and their utilisation (busy time in the slot ÷ staffed window-time in it). Utilisation can pass 100 %
    where clerks finish visits after their roster interval (before lunch, at the end of a shift)."""

    start: float
    end: float
    arrivals: Estimate
    mean_wait: Estimate
    p90_wait: Estimate
    share_within_target: Estimate
    windows_staffed: float
    utilisation: Estimate


@dataclass(frozen=True)
class DayFigures:
    """The day's totals per replication, as estimates: tickets issued, called, called but not come,
    never called; the waits of all the day's tickets (seconds) and the share called within target."""

    arrivals: Estimate
    called: Estimate
    no_shows: Estimate
    unserved: Estimate
    mean_wait: Estimate
    p90_wait: Estimate
    share_within_target: Estimate


@dataclass(frozen=True)
class SimulationResult:
    """What ``simulate`` returns: figures per slot and for the day, and how they were obtained."""

    slots: tuple[SlotFigures, ...]
    day: DayFigures
    replications: int
    seed: int
    wait_target_seconds: float

    def short_slots(self, target_share: float) -> tuple[int, ...]:
        """The slots whose mean share called within the target is below ``target_share`` (slots nobody
        arrives in are not short)."""
        if not 0 < target_share <= 1:
            raise ValueError("target_share must lie in (0, 1]")
        return tuple(k for k, s in enumerate(self.slots) if s.share_within_target.mean < target_share)

    def meets_target(self, target_share: float) -> bool:
        """Whether every slot calls at least ``target_share`` of its visitors within the wait target."""
        return not self.short_slots(target_share)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def _grouped_quantile(keys: np.ndarray, values: np.ndarray, groups: int, q: float) -> np.ndarray:
    """Per group the ``q``-quantile of its values (non-negative seconds, under 12 days; numpy's default
    linear interpolation), by one integer sort of ``key · 2⁴⁰ + microseconds`` (keys under 2²³: replications
    × slots): exact, so a replication's figures do not depend on the others sorted with it."""
    micro = np.round(values * 1e6).astype(np.int64)
    ordered = (np.sort((keys.astype(np.int64) << 40) | micro) & ((1 << 40) - 1)) / 1e6
    counts = np.bincount(keys, minlength=groups)
    first = np.cumsum(counts) - counts
    rank = (counts - 1) * q
    low = np.floor(rank).astype(int)
    high = np.minimum(low + 1, counts - 1)
    present = counts > 0
    if not len(ordered):
        return np.full(groups, np.nan)
    lower, upper = ordered[np.where(present, first + low, 0)], ordered[np.where(present, first + high, 0)]
    return np.where(present, lower + (rank - low) * (upper - lower), np.nan)


def _wait_figures(keys: np.ndarray, waits: np.ndarray, groups: int, target: float) -> dict[str, np.ndarray]:
    """Per group of tickets: arrivals, called, mean and p90 wait of the called, share called within target."""
    called = ~np.isnan(waits)
    count = np.bincount(keys, minlength=groups)
    called_count = np.bincount(keys[called], minlength=groups)
    wait_sum = np.bincount(keys[called], weights=waits[called], minlength=groups)
    on_time = np.bincount(keys[called & (waits <= target)], minlength=groups)
    return {
        "arrivals": count.astype(float),
        "called": called_count.astype(float),
        "mean_wait": _ratio(wait_sum, called_count),
        "p90_wait": _grouped_quantile(keys[called], waits[called], groups, P90),
        "share_within_target": _ratio(on_time, count),
    }


def _time_before_edges(edges: np.ndarray, replication: np.ndarray, instants: np.ndarray, reps: int) -> np.ndarray:
    """Per replication and edge ``b``: the sum of ``b − x`` over its instants ``x < b``."""
    bucket = np.searchsorted(edges, instants, side="right")  # x < edges[k]  ⇔  bucket ≤ k
    key = replication * (len(edges) + 1) + bucket
    shape = (reps, len(edges) + 1)
    count = np.cumsum(np.bincount(key, minlength=reps * shape[1]).reshape(shape), 1)[:, :-1]
    total = np.cumsum(np.bincount(key, weights=instants, minlength=reps * shape[1]).reshape(shape), 1)[:, :-1]
    return count * edges - total


def _staffed_seconds(day: HallDay) -> np.ndarray:
    """Window-seconds staffed in each slot, by the roster."""
    edges = np.asarray(day.slot_edges, dtype=float)
    staffed = np.zeros(len(edges) - 1)
    for window in day.windows:
        for start, end in window.staffed:
            staffed += np.clip(np.minimum(edges[1:], end) - np.maximum(edges[:-1], start), 0, None)
    return staffed


def _per_replication(day: HallDay, trace: Trace) -> dict[str, np.ndarray]:
    """Each replication's figures: per slot (``slot_*``, replications × slots) and for the day (``day_*``)."""
    tickets = trace.tickets
    reps = tickets.replications
    edges = np.asarray(day.slot_edges, dtype=float)
    slots = len(edges) - 1
    issued = tickets.group >= 0
    replication = np.repeat(np.arange(reps), issued.sum(axis=1))
    arrival, called_at = tickets.arrival[issued], trace.called_at[issued]
    waits = called_at - arrival
    slot = np.searchsorted(edges, arrival, side="right") - 1
    target = day.wait_target_seconds
    figures = {f"slot_{k}": v.reshape(reps, slots) for k, v in
               _wait_figures(replication * slots + slot, waits, reps * slots, target).items()}  # fmt: skip
    figures |= {f"day_{k}": v for k, v in _wait_figures(replication, waits, reps, target).items()}
    figures["day_unserved"] = figures["day_arrivals"] - figures["day_called"]
    no_show = tickets.no_show[issued] & ~np.isnan(called_at)
    figures["day_no_shows"] = np.bincount(replication[no_show], minlength=reps).astype(float)

    called = ~np.isnan(called_at)
    start = called_at[called]
    end = start + tickets.occupancy[issued][called]
    busy_before = _time_before_edges(edges, replication[called], start, reps) - _time_before_edges(
        edges, replication[called], end, reps
    )
    figures["slot_utilisation"] = _ratio(np.diff(busy_before, axis=1), _staffed_seconds(day)[None, :])
    return figures


def _estimate(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over replications (axis 0, NaN ignored) and its 95 % confidence interval."""
    present = ~np.isnan(values)
    n = present.sum(axis=0)
    filled = np.where(present, values, 0.0)
    mean = _ratio(filled.sum(axis=0), n)
    squares = np.where(present, (values - np.where(np.isnan(mean), 0, mean)) ** 2, 0.0).sum(axis=0)
    half = Z95 * np.sqrt(_ratio(squares, n - 1) / np.maximum(n, 1))
    return mean, mean - half, mean + half


def _summarise(day: HallDay, figures: dict[str, np.ndarray], seed: int) -> SimulationResult:
    estimates = {name: _estimate(values) for name, values in figures.items()}

    def at(name: str, k: int | None = None) -> Estimate:
        mean, low, high = estimates[name]
        return (
            Estimate(float(mean), float(low), float(high))
            if k is None
            else Estimate(float(mean[k]), float(low[k]), float(high[k]))
        )

    edges = day.slot_edges
    windows = _staffed_seconds(day) / np.diff(np.asarray(edges, dtype=float))
    slots = tuple(
        SlotFigures(
            start=edges[k],
            end=edges[k + 1],
            arrivals=at("slot_arrivals", k),
            mean_wait=at("slot_mean_wait", k),
            p90_wait=at("slot_p90_wait", k),
            share_within_target=at("slot_share_within_target", k),
            windows_staffed=float(windows[k]),
            utilisation=at("slot_utilisation", k),
        )
        for k in range(len(edges) - 1)
    )
    day_figures = DayFigures(
        **{name: at(f"day_{name}") for name in DayFigures.__dataclass_fields__}  # type: ignore[arg-type]
    )
    return SimulationResult(slots, day_figures, len(figures["day_arrivals"]), seed, day.wait_target_seconds)


def _figures_of(day: HallDay, first: int, count: int, seed: int) -> dict[str, np.ndarray]:
    """The per-replication figures of replications ``first … first + count − 1``."""
    return _per_replication(day, run(day, draw_tickets(day, count, seed, first)))


def simulate(day: HallDay, replications: int = 1000, seed: int = 0, processes: int = 1) -> SimulationResult:
    """Simulate ``replications`` independent runs of the day from ``seed`` and summarise them.

    ``processes > 1`` splits the replications over that many forked worker processes (the result is
    the same: each replication has its own stream); fork from a command or a job, not from inside a
    threaded server."""
    day.validate()
    if replications < 2:
        raise ValueError("replications: at least 2 (a confidence interval needs two)")
    if seed < 0:
        raise ValueError("seed cannot be negative")
    if processes < 1:
        raise ValueError("processes must be at least 1")
    if processes == 1:
        figures = _figures_of(day, 0, replications, seed)
    else:
        bounds = np.linspace(0, replications, processes + 1).astype(int).tolist()
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_figures_of, repeat(day), bounds[:-1], np.diff(bounds).tolist(), repeat(seed)))
        figures = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    return _summarise(day, figures, seed)


# --- required windows (issue 12, point 2) ---


def _rates(day: HallDay, counts: Sequence[float]) -> list[float]:
    """Each slot's arrival rate an hour: the tickets it issues before the cut-off over its length."""
    edges = np.asarray(day.slot_edges, dtype=float)
    issued_share = _issuing_seconds(day) / np.diff(edges)
    return [
        count * share * 3600 / length for count, share, length in zip(counts, issued_share, np.diff(edges), strict=True)
    ]


def _erlang(day: HallDay, rates: Sequence[float], handling_seconds: float, target_share: float) -> tuple[int, ...]:
    target_minutes = day.wait_target_seconds / 60
    patience = None if day.patience_seconds is None else day.patience_seconds / 60
    return tuple(
        queueing.windows_needed(rate, handling_seconds / 60, target_minutes, target_share, patience) for rate in rates
    )


def erlang_windows(day: HallDay, target_share: float = 0.8) -> dict[str, tuple[int, ...]]:
    """Per skill group and slot, the windows Erlang C asks for — Erlang A when the day's
    ``patience_seconds`` is known — each slot taken on its own as a steady state (the tickets it issues
    before the cut-off over its length, the group's mean handling time; at least one window): the fast
    estimate."""
    day.validate()
    if not 0 < target_share < 1:
        raise ValueError("target_share must lie strictly between 0 and 1")
    return {
        group.name: _erlang(day, _rates(day, group.arrivals), group.handling.mean(), target_share)
        for group in day.groups
    }


def windows_for_requirement(
    slot_edges: Sequence[float], requirement: Sequence[int], group: str, serves: frozenset[str] | None = None
) -> tuple[Window, ...]:
    """Windows named after ``group`` serving ``serves`` (default: that group alone) staffed to a requirement per
    slot: window ``j`` is staffed in every slot needing more than ``j`` windows, consecutive slots as one
    interval."""
    if len(requirement) != len(slot_edges) - 1 or any(n < 0 for n in requirement):
        raise ValueError("requirement: one non-negative number of windows per slot")
    windows = []
    for j in range(max(requirement, default=0)):
        intervals: list[tuple[float, float]] = []
        for k, needed in enumerate(requirement):
            if needed > j:
                if intervals and intervals[-1][1] == slot_edges[k]:
                    intervals[-1] = (intervals[-1][0], slot_edges[k + 1])
                else:
                    intervals.append((slot_edges[k], slot_edges[k + 1]))
        windows.append(Window(f"{group}-{j + 1}", serves or frozenset({group}), tuple(intervals)))
    return tuple(windows)


def pooled_windows_by_simulation(
    day: HallDay, target_share: float = 0.8, replications: int = 200, seed: int = 0, processes: int = 1
) -> tuple[int, ...]:
    """Per slot, the windows needed when every window serves every group (the general window, 综合窗口): the fast
    estimate on the groups' total arrivals at their mixed mean handling time, then, as long as some slot falls
    short in the simulated day, one window more in the first such slot (a backlog passes forward, so fixing the
    first shortfall may fix the later ones). The same ``seed`` every round compares the requirements on the same
    visitors. Of one group, these are the windows dedicated to it; of several, fewer than their dedicated
    requirements added up: a window idle for one group serves another. ``day.windows`` is not used."""
    day.validate()
    if not 0 < target_share < 1:
        raise ValueError("target_share must lie strictly between 0 and 1")
    totals = [sum(counts) for counts in zip(*(g.arrivals for g in day.groups), strict=True)]
    work = sum(sum(g.arrivals) * g.handling.mean() for g in day.groups)
    mixed = work / sum(totals) if sum(totals) else DEFAULT_POOLED_HANDLING_SECONDS
    needed = [n if total else 0 for n, total in zip(_erlang(day, _rates(day, totals), mixed, target_share), totals,
                                                   strict=True)]  # fmt: skip
    everything = frozenset(g.name for g in day.groups)
    while True:
        windows = windows_for_requirement(day.slot_edges, needed, "pooled", everything)
        short = simulate(replace(day, windows=windows), replications, seed, processes).short_slots(target_share)
        if not short:
            return tuple(needed)
        needed[short[0]] += 1


DEFAULT_POOLED_HANDLING_SECONDS = 600.0  # a day forecast to have no visitor at all: any length will do
