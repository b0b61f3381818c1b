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
"""

from __future__ import annotations

import math

__all__ = [
    "offered_load",
    "erlang_b",
    "erlang_c",
    "service_level",
    "mean_wait_minutes",
    "windows_needed",
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
    arrivals_per_hour: float, mean_service_minutes: float, target_minutes: float, target_share: float
) -> int:
    """The smallest number of windows ``c > a`` (at least one) whose service level
    ``P(W ≤ target_minutes)`` reaches ``target_share`` (strictly between 0 and 1).

    The service level grows with ``c`` towards 1, so the search ends; it starts at the first stable
    ``c``, ``⌊a⌋ + 1``."""
    if not 0 < target_share < 1:
        raise ValueError("the target share must lie strictly between 0 and 1")
    if target_minutes < 0:
        raise ValueError("the target wait cannot be negative")
    servers = math.floor(offered_load(arrivals_per_hour, mean_service_minutes)) + 1
    while service_level(servers, arrivals_per_hour, mean_service_minutes, target_minutes) < target_share:
        servers += 1
    return servers
