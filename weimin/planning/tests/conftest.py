"""A hall with three weeks of recorded visits (2017-11-13 – 12-02) and four window clerks, ready to plan the
week of 2017-12-04 on Saturday 2017-12-02."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from weimin.analytics import actions as analytics_actions
from weimin.analytics.tests.history import every, served

MONDAY = date(2017, 12, 4)
CLERKS = ("huang", "li", "chen", "zhao")


@pytest.fixture(autouse=True)
def quick_solver(monkeypatch):
    """Seconds, not a minute, and two workers: the tests' weeks are small; a run's watcher looks often."""
    from weimin.planning import actions

    monkeypatch.setattr(actions, "STOP_POLL_SECONDS", 0.05)
    with override_settings(WEIMIN_PLANNING_TIME_LIMIT_SECONDS=10, WEIMIN_PLANNING_SOLVER_WORKERS=2,
                           WEIMIN_PLANNING_SIMULATION_REPLICATIONS=60):  # fmt: skip
        yield


@pytest.fixture
def clerks(make_clerk, item):
    people = [make_clerk(name) for name in CLERKS]
    for person in people:
        person.staff_profile.skills.add(item)
    return people


@pytest.fixture
def recorded(hall, item, window, clerks, freeze):
    """Three weeks of visits: weekdays busier in the morning and the evening, Saturday mornings quiet."""
    day = date(2017, 11, 13)
    while day < MONDAY:
        text = day.isoformat()
        if day.weekday() < 5:
            served(hall, item, window, clerks[0], text, every("09:00", 12, 14) + every("14:00", 15, 16)
                   + every("18:00", 6, 14), service_minutes=9, wait_minutes=4)  # fmt: skip
        elif day.weekday() == 5:
            served(hall, item, window, clerks[0], text, every("09:00", 20, 10), service_minutes=9)
        day += timedelta(days=1)
    now = freeze("2017-12-02 12:00")
    analytics_actions.refresh(now)
    return now


@pytest.fixture
def draft(hall, recorded, clerks, manager):
    """The week of 2017-12-04 planned by the manager: a draft roster."""
    from weimin.planning import actions
    from weimin.planning.models import RunStatus

    run = actions.run_planning(actions.start_planning(manager, hall, MONDAY, recorded), time_limit=5)
    assert run.status == RunStatus.DONE
    return run.roster
