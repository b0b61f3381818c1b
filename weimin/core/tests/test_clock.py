from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from weimin.conftest import local
from weimin.core import clock


@pytest.fixture(autouse=True)
def real_time():
    """These tests are about the real clock: not the one a run at another hour starts (WEIMIN_TEST_CLOCK)."""
    clock.reset()


def test_real_clock_by_default():
    before = datetime.now(UTC)
    assert before - timedelta(seconds=1) <= clock.now() <= datetime.now(UTC)
    assert clock.now().tzinfo is not None
    assert not clock.is_simulated()


def test_parse_clock_is_hall_local():
    assert clock.parse_clock("2017-12-08T18:30") == datetime(2017, 12, 8, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["2017-12-08 18:30", "2017-12-08", "18:30", "2017-02-30T10:00", "soon"])
def test_parse_clock_refuses_other_forms(bad):
    with pytest.raises(ImproperlyConfigured, match="WEIMIN_CLOCK"):
        clock.parse_clock(bad)


def test_simulated_clock_starts_at_the_instant_and_runs_forward(monkeypatch):
    monkeypatch.setenv("WEIMIN_CLOCK", "2017-12-08T18:30")
    started = datetime.now(UTC) - timedelta(minutes=5)
    monkeypatch.setenv("WEIMIN_CLOCK_ANCHOR", repr(started.timestamp()))
    with override_settings(DEBUG=True):
        clock.configure_from_env()
    reading = clock.now()
    # Five real minutes after the anchor the simulated clock reads 18:35, not 18:30.
    assert abs(reading - local("2017-12-08 18:35")) < timedelta(seconds=2)
    assert clock.is_simulated()


def test_simulated_clock_is_refused_on_production(monkeypatch):
    monkeypatch.setenv("WEIMIN_CLOCK", "2017-12-08T18:30")
    monkeypatch.delenv("WEIMIN_ALLOW_CLOCK", raising=False)
    with override_settings(DEBUG=False, WEIMIN_ALLOW_CLOCK=False), pytest.raises(ImproperlyConfigured, match="DEBUG"):
        clock.configure_from_env()
    assert not clock.is_simulated()


def test_allow_flag_permits_a_training_install(monkeypatch):
    monkeypatch.setenv("WEIMIN_CLOCK", "2017-10-23T09:00")
    monkeypatch.setenv("WEIMIN_ALLOW_CLOCK", "1")
    monkeypatch.delenv("WEIMIN_CLOCK_ANCHOR", raising=False)
    with override_settings(DEBUG=False):
        clock.configure_from_env()
    assert abs(clock.now() - local("2017-10-23 09:00")) < timedelta(seconds=5)


def test_frozen_at_restores_the_previous_clock():
    with clock.frozen_at(local("2017-12-08 18:30")) as instant:
        assert clock.now() == instant
    assert not clock.is_simulated()
