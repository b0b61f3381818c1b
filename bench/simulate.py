"""Simulation benchmark (issue 12, point 5): 1,000 replications of the district hall's busiest day by
``weimin.planning.simulation``, against a SimPy model of the same day timed in the same run.

    .venv/bin/python bench/simulate.py                       # 1,000 replications; SimPy 50, scaled
    .venv/bin/python bench/simulate.py --simpy-replications 20 --repeat 1

The day (synthetic, shaped like the demo's district hall: ``demo/history.DAY_SHAPE``'s morning peak and
the evening wave after 18:00, a lunch dip, open without a lunch closure): 09:00–19:30 in half-hours, the
last ticket at 19:00, about 1,350 tickets in three skill groups — business registration (企业登记,
handling resampled from 2,000 "recorded" lognormal seconds, mean 7 min), social security (社保, mean
4½ min) and real estate (不动产, too few recorded: the lognormal fallback, mean 9 min, cv 1) — 8 % priority
tickets, 4 % no-shows holding the window 2 minutes, and 20 windows (8 business, 7 social security,
4 real estate, 1 for all three) whose clerks take staggered lunch hours; two leave at 17:30, two
start at 10:00.

Timed: ``simulate`` for ``--replications`` (draws, simulation and every figure with its confidence
interval), best of ``--repeat``; then the SimPy model — one process per window calling by the same
discipline (``tickets.rules.take_priority_next``, lanes first come first served, the first free window
calls first, rosters with lunch breaks, service after closing) — on the same drawn tickets for
``--simpy-replications`` replications, its time scaled to ``--replications``. SimPy is timed on the
simulation alone (its tickets are handed to it ready, its figures not computed), which favours it.
It prints both times (``simulate`` with 1 and with ``--processes`` processes), the ratio, the 3 s check,
and whether the two models call every ticket at the same instant (they should: same tickets, same rules).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time as timer
from collections import deque
from datetime import time
from pathlib import Path

import numpy as np
import simpy

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its queue.py would shadow the standard library's

from weimin.planning.simulation import (  # noqa: E402
    HallDay,
    HandlingTimes,
    SkillGroup,
    Window,
    draw_tickets,
    run,
    seconds_of,
    simulate,
    slot_edges_between,
)
from weimin.tickets.rules import take_priority_next  # noqa: E402

# The demo district hall's half-hour shape (demo/history.DAY_SHAPE), with the hall open over lunch.
SHAPE = (
    0.75, 1.05, 1.3, 1.35, 1.15, 0.8, 0.65, 0.55, 0.6, 0.7, 1.0,
    1.15, 1.1, 1.0, 0.9, 0.75, 0.6, 0.65, 1.3, 1.2, 0.6,
)  # fmt: skip


def clock(text: str) -> int:
    return seconds_of(time.fromisoformat(text))


def busiest_day() -> HallDay:
    edges = slot_edges_between(clock("09:00"), clock("19:30"))
    recorded = np.random.default_rng(20171023)

    def profile(total: float, evening_lift: float) -> tuple[float, ...]:
        weights = [w * (evening_lift if k >= 18 else 1) for k, w in enumerate(SHAPE)]
        return tuple(total * w / sum(weights) for w in weights)

    def lognormal_sample(mean: float, cv: float, size: int) -> tuple[float, ...]:
        sigma = math.sqrt(math.log1p(cv**2))
        return tuple(recorded.lognormal(math.log(mean) - sigma**2 / 2, sigma, size).round())

    groups = (
        SkillGroup("business", profile(520, 1.5), HandlingTimes(lognormal_sample(420, 0.9, 2000)), 0.05),
        SkillGroup("social-security", profile(560, 0.8), HandlingTimes(lognormal_sample(270, 0.8, 2000)), 0.12),
        SkillGroup("real-estate", profile(240, 1.0), HandlingTimes(lognormal_sample(480, 1.0, 12), cv=1.0), 0.06),
    )
    skills = ["business"] * 8 + ["social-security"] * 7 + ["real-estate"] * 4
    windows = []
    for w, skill in enumerate([*skills, "all"]):
        lunch = clock("11:30") if w % 2 else clock("12:30")
        start = clock("10:00") if w in (3, 10) else clock("09:00")
        end = clock("17:30") if w in (5, 13) else clock("19:30")
        served = frozenset(g.name for g in groups) if skill == "all" else frozenset({skill})
        windows.append(Window(f"{w + 1:02d}", served, ((start, lunch), (lunch + 3600, end))))
    return HallDay(
        slot_edges=edges,
        groups=groups,
        windows=tuple(windows),
        last_ticket=clock("19:00"),
        no_show_probability=0.04,
        no_show_seconds=120,
    )


def simpy_calls(day: HallDay, arrival, group, priority, occupancy) -> np.ndarray:
    """One replication in SimPy: the instant each ticket is called (NaN: never)."""
    env = simpy.Environment()
    names = [g.name for g in day.groups]
    lanes = {(g, p): deque() for g in range(len(names)) for p in (True, False)}
    idle: dict[int, simpy.Event] = {}
    called = np.full(len(arrival), np.nan)
    # Plain lists: SimPy's side reads one ticket at a time, where numpy scalars would only slow it down.
    count = int((group >= 0).sum())
    arrival, group, priority, occupancy = (a[:count].tolist() for a in (arrival, group, priority, occupancy))
    serves = [{names.index(n) for n in w.groups} for w in day.windows]

    def arrivals():
        for i in sorted(range(count), key=arrival.__getitem__):
            yield env.timeout(arrival[i] - env.now)
            lanes[group[i], priority[i]].append(i)
            for w in sorted(idle):  # the first idle window that may serve it calls
                if group[i] in serves[w]:
                    idle.pop(w).succeed()
                    break

    def window(w: int):
        recent: list[bool] = []
        staffed = list(day.windows[w].staffed)
        # Every opening scheduled now, window by window: windows opening at the same instant then call in
        # window order, as in weimin's engine (SimPy runs simultaneous events in the order scheduled).
        openings = [env.timeout(start) for start, _ in staffed]
        for k, (_, end) in enumerate(staffed):
            if k == len(staffed) - 1 and end >= day.closing:
                end = math.inf  # serves whoever still waits after closing
            yield openings[k]
            while env.now < end:
                heads = {p: [lanes[g, p] for g in serves[w] if lanes[g, p]] for p in (True, False)}
                firsts = {p: min(q, key=lambda q: arrival[q[0]]) if q else None for p, q in heads.items()}
                if firsts[True] is None and firsts[False] is None:
                    wake = idle[w] = env.event()
                    yield wake if end == math.inf else wake | env.timeout(end - env.now)
                    idle.pop(w, None)
                    continue
                take_priority = firsts[False] is None or (
                    firsts[True] is not None and take_priority_next(recent, day.max_priority_in_row)
                )
                i = firsts[take_priority].popleft()
                called[i] = env.now
                recent.insert(0, take_priority)
                yield env.timeout(occupancy[i])

    env.process(arrivals())
    for w in range(len(day.windows)):
        env.process(window(w))
    env.run()
    return called


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument("--simpy-replications", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20171208)
    parser.add_argument("--processes", type=int, default=2, help="worker processes for the timed run (also timed: 1)")
    args = parser.parse_args()

    day = busiest_day()
    print(f"busiest day: {len(day.windows)} windows, {len(day.groups)} skill groups, "
          f"{sum(sum(g.arrivals) for g in day.groups):.0f} tickets expected; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip

    times: dict[int, list[float]] = {1: [], args.processes: []}
    cpu = []
    for _ in range(args.repeat):
        for processes in times:
            started, started_cpu = timer.perf_counter(), timer.process_time()
            result = simulate(day, args.replications, args.seed, processes=processes)
            times[processes].append(timer.perf_counter() - started)
            if processes == 1:
                cpu.append(timer.process_time() - started_cpu)
    processes_best, ours = min(((p, min(t)) for p, t in times.items()), key=lambda pt: pt[1])

    tickets = draw_tickets(day, args.simpy_replications, args.seed)
    trace = run(day, tickets)
    started = timer.perf_counter()
    theirs = [
        simpy_calls(day, *(a[r] for a in (tickets.arrival, tickets.group, tickets.priority, tickets.occupancy)))
        for r in range(args.simpy_replications)
    ]
    simpy_seconds = (timer.perf_counter() - started) * args.replications / args.simpy_replications

    issued = tickets.group >= 0
    same = np.isclose(np.array(theirs)[issued], trace.called_at[issued], rtol=0, atol=1e-6)
    waits = {
        "weimin": (trace.called_at - tickets.arrival)[issued],
        "simpy": (np.array(theirs) - tickets.arrival)[issued],
    }
    d = result.day
    print(f"day: {d.arrivals.mean:,.0f} tickets, mean wait {d.mean_wait.mean / 60:.1f} min "
          f"[{d.mean_wait.low / 60:.1f}, {d.mean_wait.high / 60:.1f}], p90 {d.p90_wait.mean / 60:.1f} min, "
          f"{d.share_within_target.mean:.1%} called within 15 min, {d.no_shows.mean:.0f} no-shows")  # fmt: skip
    print("half-hour  arrivals  mean wait  p90 wait  within 15 min  windows  utilisation")
    for s in result.slots:
        print(f"{int(s.start) // 3600:02d}:{int(s.start) % 3600 // 60:02d}      {s.arrivals.mean:6.1f}  "
              f"{s.mean_wait.mean / 60:6.1f} min {s.p90_wait.mean / 60:6.1f} min  "
              f"{s.share_within_target.mean:6.1%} ±{(s.share_within_target.high - s.share_within_target.mean):.1%}"
              f"  {s.windows_staffed:6.1f}  {s.utilisation.mean:8.1%}")  # fmt: skip
    for processes, seconds in times.items():
        print(f"\nweimin.planning.simulation, {processes} process(es): {args.replications} replications in "
              f"{min(seconds):.2f} s (best of {args.repeat}: {', '.join(f'{t:.2f}' for t in seconds)})"
              + (f"; CPU {min(cpu):.2f} s" if processes == 1 else ""), end="")  # fmt: skip
    print()
    print(f"SimPy: {args.simpy_replications} replications in "
          f"{simpy_seconds * args.simpy_replications / args.replications:.2f} s, "
          f"scaled to {args.replications}: {simpy_seconds:.1f} s")  # fmt: skip
    print(f"ratio SimPy ÷ weimin (best, {processes_best} process(es)): {simpy_seconds / ours:.1f}× (goal ≥ 10×)")
    print(f"3 s check: {'PASS' if ours <= 3 else 'FAIL'} ({ours:.2f} s)")
    print(f"same tickets, both models: {same.mean():.2%} of calls at the same instant; mean wait "
          f"{waits['weimin'].mean() / 60:.2f} vs {waits['simpy'].mean() / 60:.2f} min (weimin vs SimPy)")  # fmt: skip


if __name__ == "__main__":
    main()
