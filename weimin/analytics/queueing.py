"""Queueing theory for a hall's windows (排队论): the M/M/c queue and Erlang C — no Django.

A session of a hall is modelled as an M/M/c queue: visitors arrive at random (Poisson) at ``λ`` an
hour, each is served for an exponentially distributed time of mean ``s`` minutes (service rate
``μ = 60 / s`` an hour), by ``c`` windows taking one shared queue in order. The offered load is

    a = λ / μ = λ · s / 60            (Erlangs: the windows busy on average)

and the queue is stable only when ``c > a``. Then, with ``B(c, a)`` the Erlang B blocking
probability, computed by the numerically stable recursion (no factorials, no powers)

    B(0, a) = 1,        B(k, a) = a · B(k−1, a) / (k + a · B(k−1, a)),

the probability that a visitor waits at all (Erlang C) is

    C(c, a) = c · B(c, a) / (c − a · (1 − B(c, a))),

the share of visitors called within ``t`` minutes (the service level) is

    P(W ≤ t) = 1 − C(c, a) · exp(−(c − a) · t / s),

and the mean wait is  ``E[W] = C(c, a) · s / (c − a)`` minutes.

``windows_needed`` answers the planning question: the fewest windows that call
``target_share`` of visitors within ``target_minutes``. The analytics recommendations
(``analytics.demand``) and the planning issue's rosters use it.

**Erlang A** (M/M/c+M) adds visitors who give up: each waiting visitor leaves after an exponential
patience of mean ``p`` minutes (abandonment rate ``θ = 60 / p`` an hour) — in a hall, the numbers
called in vain (过号). The number of visitors present is then a birth–death process with birth rate
``λ`` and death rate ``min(n, c) · μ + max(n − c, 0) · θ``, stable for every ``c``; its stationary
distribution ``π`` is computed term by term (each the previous times ``λ`` over the death rate)
until the terms vanish. A visitor who finds ``q`` others queueing is called after ``q + 1`` moves of
the queue, the queue moving at ``c · μ + j · θ`` while ``j`` are ahead, and gives up themselves at ``θ``: the
share called within ``t`` is ``Σ π_n · P(those moves take ≤ t and come before their patience ends)``,
computed by uniformisation; visitors who give up count against the target. With ``p → ∞`` it is
Erlang C. The probability of giving
up is ``θ · E[queue] / λ``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "offered_load",
    "erlang_b",
    "erlang_c",
    "service_level",
    "mean_wait_minutes",
    "windows_needed",
    "patience_minutes",
    "ErlangA",
    "erlang_a",
]


def offered_load(arrivals_per_hour: float, mean_service_minutes: float) -> float:
    """``a = λ · s / 60``: the windows kept busy on average (Erlangs)."""
    if arrivals_per_hour < 0 or mean_service_minutes < 0:
        raise ValueError("arrivals and service time cannot be negative")
    return arrivals_per_hour * mean_service_minutes / 60


def erlang_b(servers: int, load: float) -> float:
    """``B(c, a)``: the probability that all ``c`` servers are busy in the loss system (Erlang B),
    by the recursion above — stable for any ``c`` (each step stays in [0, 1])."""
    if servers < 0 or load < 0:
        raise ValueError("servers and load cannot be negative")
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(servers: int, load: float) -> float:
    """``C(c, a)``: the probability that a visitor has to wait (all windows busy when they arrive).

    1 when the queue is unstable (``c ≤ a``): the queue then grows without bound."""
    if servers <= load:
        return 1.0
    blocking = erlang_b(servers, load)
    return servers * blocking / (servers - load * (1 - blocking))


def service_level(servers: int, arrivals_per_hour: float, mean_service_minutes: float, target_minutes: float) -> float:
    """``P(W ≤ t)``: the share of visitors called within ``target_minutes`` (0 when unstable)."""
    load = offered_load(arrivals_per_hour, mean_service_minutes)
    if servers <= load:
        return 0.0
    if load == 0:
        return 1.0
    waiting = erlang_c(servers, load)
    return 1 - waiting * math.exp(-(servers - load) * target_minutes / mean_service_minutes)


def mean_wait_minutes(servers: int, arrivals_per_hour: float, mean_service_minutes: float) -> float:
    """``E[W] = C(c, a) · s / (c − a)`` minutes; infinite when the queue is unstable."""
    load = offered_load(arrivals_per_hour, mean_service_minutes)
    if servers <= load:
        return math.inf
    if load == 0:
        return 0.0
    return erlang_c(servers, load) * mean_service_minutes / (servers - load)


def windows_needed(
    arrivals_per_hour: float,
    mean_service_minutes: float,
    target_minutes: float,
    target_share: float,
    mean_patience_minutes: float | None = None,
) -> int:
    """The smallest number of windows (at least one) whose service level ``P(W ≤ target_minutes)``
    reaches ``target_share`` (strictly between 0 and 1): by Erlang C, or by Erlang A when visitors give
    up after ``mean_patience_minutes`` on average.

    The service level grows with ``c`` towards 1, so the search ends; by Erlang C it starts at the
    first stable ``c``, ``⌊a⌋ + 1``, by Erlang A (stable for every ``c``) at one window."""
    if not 0 < target_share < 1:
        raise ValueError("the target share must lie strictly between 0 and 1")
    if target_minutes < 0:
        raise ValueError("the target wait cannot be negative")
    if mean_patience_minutes is None:
        servers = math.floor(offered_load(arrivals_per_hour, mean_service_minutes)) + 1
        while service_level(servers, arrivals_per_hour, mean_service_minutes, target_minutes) < target_share:
            servers += 1
        return servers
    servers = 1
    while (
        erlang_a(servers, arrivals_per_hour, mean_service_minutes, mean_patience_minutes).share_within(target_minutes)
        < target_share
    ):
        servers += 1
    return servers


def patience_minutes(gave_up: int, waited_minutes: float) -> float | None:
    """The mean patience of exponentially patient visitors, by maximum likelihood: the minutes all
    visitors spent waiting (those served and those who gave up alike) over the number who gave up.
    None when nobody gave up (Erlang C applies)."""
    if gave_up < 0 or waited_minutes < 0:
        raise ValueError("counts and minutes cannot be negative")
    if not gave_up:
        return None
    return max(waited_minutes / gave_up, TINY_PATIENCE_MINUTES)


TINY_PATIENCE_MINUTES = 0.01  # a patience of zero would make every wait an abandonment: keep θ finite
STATE_CUT = 1e-14  # stationary terms smaller than this share of the total are dropped
MOVE_CUT = 1e-12  # the uniformisation stops once the Poisson tail left is below this


@dataclass(frozen=True)
class ErlangA:
    """An M/M/c+M queue in its stationary state (Erlang A): ``states[n]`` the probability of ``n`` visitors
    present, serving at ``service_rate`` and giving up at ``abandonment_rate`` (both an hour)."""

    servers: int
    arrivals_per_hour: float
    service_rate: float
    abandonment_rate: float
    states: tuple[float, ...]

    @property
    def waiting_probability(self) -> float:
        """The chance an arriving visitor finds every window busy (PASTA)."""
        return sum(self.states[self.servers :])

    @property
    def mean_queue(self) -> float:
        return sum((n - self.servers) * p for n, p in enumerate(self.states) if n > self.servers)

    @property
    def abandonment_probability(self) -> float:
        """The share of visitors who give up: ``θ · E[queue] / λ``."""
        if not self.arrivals_per_hour:
            return 0.0
        return self.abandonment_rate * self.mean_queue / self.arrivals_per_hour

    def share_within(self, target_minutes: float) -> float:
        """The share of arriving visitors called within ``target_minutes`` before they give up (those who
        give up count against the target, as a hall's no-shows called in vain do)."""
        if target_minutes < 0:
            raise ValueError("the target wait cannot be negative")
        queued = np.asarray(self.states[self.servers :])
        share = 1 - float(queued.sum())  # a window was free on arrival
        if not queued.size:
            return share
        # Uniformised at ``pace``: from q ahead the queue moves at rates[q] (to q − 1, or the call from 0)
        # and the visitor gives up at θ; called[q] is the chance, starting q behind, of being called within
        # the steps taken so far.
        rates = self.servers * self.service_rate + np.arange(queued.size) * self.abandonment_rate
        pace = float(rates[-1]) + self.abandonment_rate
        move, stay = rates / pace, 1 - (rates + self.abandonment_rate) / pace
        mean_steps = pace * target_minutes / 60
        called = np.zeros(queued.size)
        seen, step = 0.0, 0
        while seen < 1 - MOVE_CUT:
            weight = math.exp(step * math.log(mean_steps) - mean_steps - math.lgamma(step + 1)) if mean_steps else 1.0
            share += weight * float(called @ queued)
            seen += weight
            step += 1
            called = stay * called + move * np.concatenate(([1.0], called[:-1]))
        return min(max(share, 0.0), 1.0)


def erlang_a(
    servers: int, arrivals_per_hour: float, mean_service_minutes: float, mean_patience_minutes: float
) -> ErlangA:
    """The M/M/c+M queue of ``servers`` windows: visitors arriving at ``arrivals_per_hour``, served in
    ``mean_service_minutes`` and giving up after ``mean_patience_minutes`` on average."""
    if servers < 1:
        raise ValueError("servers: at least one window")
    if arrivals_per_hour < 0 or mean_service_minutes <= 0 or mean_patience_minutes <= 0:
        raise ValueError("arrivals cannot be negative, service time and patience must be positive")
    service_rate, abandonment_rate = 60 / mean_service_minutes, 60 / mean_patience_minutes
    terms, term, n = [1.0], 1.0, 0
    while True:
        n += 1
        term *= arrivals_per_hour / (min(n, servers) * service_rate + max(n - servers, 0) * abandonment_rate)
        if n > servers and term < STATE_CUT * sum(terms):
            break
        terms.append(term)
        if term > 1e250:  # a heavy load: rescale before the terms overflow
            terms, term = [t / term for t in terms], 1.0
    total = sum(terms)
    return ErlangA(servers, arrivals_per_hour, service_rate, abandonment_rate, tuple(t / total for t in terms))
