"""Erlang C against values worked by hand and a published example, and its properties.

By hand, with the recursion B(k) = a·B(k−1) / (k + a·B(k−1)) and C = c·B / (c − a·(1 − B)):

- c = 2, a = 1: B1 = 1/2, B2 = (1/2)/(2 + 1/2) = 1/5; C = 2·(1/5) / (2 − 4/5) = 1/3.
- c = 3, a = 2: B1 = 2/3, B2 = (4/3)/(2 + 4/3) = 2/5, B3 = (4/5)/(3 + 4/5) = 4/19;
  C = (12/19) / (3 − 2·15/19) = (12/19)/(27/19) = 4/9.
  A Saturday with λ = 10 visitors an hour served in s = 12 minutes is that load (a = 10·12/60 = 2):
  with 3 windows P(W ≤ 15) = 1 − (4/9)·e^(−(3−2)·15/12) = 1 − 0.4444·0.2865 = 0.8727 ≥ 0.8,
  so 3 windows suffice for 80 % within 15 minutes (2 windows are unstable: c ≤ a).

Published (the call-centre textbook example): 100 calls in 30 minutes (λ = 200 an hour), 180 s
each (a = 10 Erlangs), 80 % answered within 20 s → 14 agents: P(wait) 17.4 %, service level 88.8 %,
mean wait 7.8 s; 13 agents reach only 79.6 %.
"""

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weimin.analytics import queueing as q


def test_erlang_c_by_hand():
    assert q.erlang_c(2, 1) == pytest.approx(1 / 3)
    assert q.erlang_c(3, 2) == pytest.approx(4 / 9)
    assert q.erlang_b(2, 1) == pytest.approx(1 / 5)
    assert q.erlang_b(3, 2) == pytest.approx(4 / 19)


def test_the_saturday_worked_by_hand():
    assert q.offered_load(10, 12) == 2
    assert q.service_level(3, 10, 12, 15) == pytest.approx(1 - 4 / 9 * math.exp(-15 / 12))
    assert q.service_level(2, 10, 12, 15) == 0  # c ≤ a: the queue grows without bound
    assert q.windows_needed(10, 12, 15, 0.8) == 3
    assert q.mean_wait_minutes(3, 10, 12) == pytest.approx(4 / 9 * 12 / 1)


def test_the_call_centre_example():
    assert q.erlang_c(14, 10) == pytest.approx(0.1741, abs=1e-4)
    assert q.service_level(14, 200, 3, 20 / 60) == pytest.approx(0.8884, abs=1e-4)
    assert q.mean_wait_minutes(14, 200, 3) * 60 == pytest.approx(7.84, abs=0.01)
    assert q.service_level(13, 200, 3, 20 / 60) == pytest.approx(0.7956, abs=1e-4)
    assert q.windows_needed(200, 3, 20 / 60, 0.8) == 14


def test_no_visitors_need_one_window():
    assert q.windows_needed(0, 12, 15, 0.8) == 1
    assert q.service_level(1, 0, 12, 15) == 1 and q.mean_wait_minutes(1, 0, 12) == 0


def test_unstable_queues():
    assert q.erlang_c(2, 2) == 1 and q.mean_wait_minutes(2, 10, 12) == math.inf


@pytest.mark.parametrize("share", [0, 1, 1.2, -0.1])
def test_the_target_share_is_a_proper_fraction(share):
    with pytest.raises(ValueError):
        q.windows_needed(10, 12, 15, share)


def test_stable_for_sixty_windows():
    # 59 Erlangs on 60 windows: the recursion stays within [0, 1] where a^c / c! would overflow floats.
    assert 0 < q.erlang_c(60, 59) < 1
    assert q.windows_needed(400, 9, 15, 0.8) >= 61


def erlang_c_by_sums(servers: int, load: float) -> float:
    """The textbook closed form, for comparison on small cases."""
    top = load**servers / math.factorial(servers) * servers / (servers - load)
    return top / (sum(load**k / math.factorial(k) for k in range(servers)) + top)


loads = st.floats(min_value=0.01, max_value=50, allow_nan=False)


@given(load=loads, extra=st.integers(min_value=1, max_value=20))
def test_the_recursion_equals_the_closed_form(load, extra):
    servers = math.floor(load) + extra
    assert q.erlang_c(servers, load) == pytest.approx(erlang_c_by_sums(servers, load), rel=1e-9)


@given(servers=st.integers(min_value=0, max_value=80), load=st.floats(min_value=0, max_value=100))
def test_the_probability_of_waiting_is_a_probability(servers, load):
    assert 0 <= q.erlang_c(servers, load) <= 1


@given(
    arrivals=st.floats(min_value=0, max_value=300),
    service=st.floats(min_value=0.5, max_value=60),
    target=st.floats(min_value=0, max_value=60),
    servers=st.integers(min_value=1, max_value=60),
)
def test_more_windows_never_lower_the_service_level(arrivals, service, target, servers):
    fewer = q.service_level(servers, arrivals, service, target)
    more = q.service_level(servers + 1, arrivals, service, target)
    assert 0 <= fewer <= 1 and more >= fewer - 1e-12


@given(
    arrivals=st.floats(min_value=0, max_value=300),
    service=st.floats(min_value=0.5, max_value=30),
    target=st.floats(min_value=0, max_value=30),
    share=st.floats(min_value=0.05, max_value=0.95),
)
def test_windows_needed_is_the_fewest_that_meet_the_target(arrivals, service, target, share):
    needed = q.windows_needed(arrivals, service, target, share)
    assert needed > q.offered_load(arrivals, service)
    assert q.service_level(needed, arrivals, service, target) >= share
    if needed > 1:
        assert q.service_level(needed - 1, arrivals, service, target) < share


# Erlang A (M/M/c+M): visitors who give up.


def test_patience_without_end_is_erlang_c():
    queue = q.erlang_a(5, 24, 10, mean_patience_minutes=1e9)
    assert queue.waiting_probability == pytest.approx(q.erlang_c(5, 4), abs=1e-6)
    assert queue.share_within(15) == pytest.approx(q.service_level(5, 24, 10, 15), abs=1e-6)
    assert queue.abandonment_probability == pytest.approx(0, abs=1e-6)


def test_patience_equal_to_service_makes_the_visitors_present_poisson():
    """With θ = μ every visitor present leaves at rate μ, served or not: an M/M/∞ queue, N ~ Poisson(a)."""
    queue = q.erlang_a(3, 30, 10, 10)  # a = 5
    poisson = [math.exp(-5) * 5**n / math.factorial(n) for n in range(60)]
    assert queue.waiting_probability == pytest.approx(1 - sum(poisson[:3]), abs=1e-12)
    mean_queue = sum((n - 3) * p for n, p in enumerate(poisson) if n > 3)
    assert queue.abandonment_probability == pytest.approx((60 / 10) * mean_queue / 30, abs=1e-12)


def test_one_window_and_rare_visitors():
    """With λ → 0 only the states 0 and 1 count: a visitor waits only for the one visit in hand, Exp(μ), and
    is called before giving up, Exp(θ), with the chance μ/(μ + θ) · (1 − e^(−(μ + θ)·t))."""
    queue = q.erlang_a(1, 0.01, 10, 5)  # μ = 6, θ = 12 an hour
    p0, p1 = queue.states[0], queue.states[1]
    by_hand = p0 + p1 * 6 / 18 * (1 - math.exp(-18 * 7 / 60))
    assert by_hand <= queue.share_within(7) <= by_hand + sum(queue.states[2:]) + 1e-12
    assert queue.share_within(0) == pytest.approx(1 - queue.waiting_probability, abs=1e-12)


def test_erlang_a_against_a_simulated_queue():
    """A plain event simulation of 3 windows, 30 visitors an hour, 10-minute visits and 20 minutes' patience:
    the share who wait and the share who give up, within four standard errors."""
    rng = random.Random(7)
    free_at, waited, gave_up, n = [0.0] * 3, 0, 0, 40_000
    clock = 0.0
    arrivals = []
    for _ in range(n):
        clock += rng.expovariate(30 / 60)
        arrivals.append((clock, clock + rng.expovariate(1 / 20), rng.expovariate(1 / 10)))
    # FIFO with abandonment: each visitor goes to the first window free before their patience ends.
    for arrived, leaves, service in arrivals:
        window = min(range(3), key=free_at.__getitem__)
        starts = max(arrived, free_at[window])
        waited += starts > arrived
        if starts > leaves:
            gave_up += 1
            continue
        free_at[window] = starts + service
    expected = q.erlang_a(3, 30, 10, 20)
    for observed, p in ((waited / n, expected.waiting_probability), (gave_up / n, expected.abandonment_probability)):
        assert abs(observed - p) < 4 * math.sqrt(p * (1 - p) / n) * 3  # visits overlap: allow for correlation


@given(
    arrivals=st.floats(0.5, 200),
    service=st.floats(1, 40),
    patience=st.floats(0.5, 120),
    target=st.floats(0, 30),
    servers=st.integers(1, 30),
)
def test_erlang_a_service_level_grows_with_windows_and_target(arrivals, service, patience, target, servers):
    queue = q.erlang_a(servers, arrivals, service, patience)
    level = queue.share_within(target)
    assert 0 <= level <= 1 - queue.abandonment_probability + 1e-9  # who gives up is never called in time
    assert q.erlang_a(servers + 1, arrivals, service, patience).share_within(target) >= level - 1e-9
    assert queue.share_within(target + 5) >= level - 1e-9


@given(arrivals=st.floats(1, 150), service=st.floats(1, 30), patience=st.floats(1, 60), share=st.floats(0.5, 0.95))
def test_erlang_a_windows_needed_are_the_fewest_that_meet_the_target(arrivals, service, patience, share):
    with_patience = q.windows_needed(arrivals, service, 15, share, mean_patience_minutes=patience)
    level = q.erlang_a(with_patience, arrivals, service, patience).share_within(15)
    assert level >= share
    if with_patience > 1:
        assert q.erlang_a(with_patience - 1, arrivals, service, patience).share_within(15) < share


def test_patience_read_from_the_records():
    assert q.patience_minutes(0, 500) is None
    assert q.patience_minutes(10, 500) == 50
    with pytest.raises(ValueError):
        q.patience_minutes(-1, 5)
    with pytest.raises(ValueError):
        q.erlang_a(0, 10, 10, 10)
