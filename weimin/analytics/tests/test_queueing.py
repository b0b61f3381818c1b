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
