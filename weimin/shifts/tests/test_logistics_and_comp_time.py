from datetime import date

import pytest

from weimin.core import clock
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.shifts import actions, queries
from weimin.shifts.models import Duty, EveningChecklist, LogisticsTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(hall):
    template = LogisticsTemplate.objects.create(hall=hall, name="延时服务保障")
    for position, text in enumerate(["安保人员到岗", "照明与空调延时至20:00", "工作餐", "保洁", "门禁延时开放"]):
        template.items.create(position=position, text=text)
    return template


def test_each_extended_session_gets_its_checklist_once(hall, template, freeze):
    freeze("2017-12-08 17:00")
    [evening] = actions.open_evening_checklists(hall, date(2017, 12, 8), clock.now())  # 14:00–19:30 only
    assert evening.items.count() == 5 and f"{evening.session_end:%H:%M}" == "19:30"
    actions.open_evening_checklists(hall, date(2017, 12, 8), clock.now())
    assert EveningChecklist.objects.count() == 1
    assert len(actions.open_evening_checklists(hall, date(2017, 12, 9), clock.now())) == 1  # Saturday morning
    assert actions.open_evening_checklists(hall, date(2017, 10, 20), clock.now()) == []  # before the extension


def test_misses_are_visible_after_the_session(hall, template, clerk, manager, make_clerk, freeze):
    freeze("2017-12-08 17:00")
    [evening] = actions.open_evening_checklists(hall, date(2017, 12, 8), clock.now())
    items = list(evening.items.all())
    guard = make_clerk("guard")
    with pytest.raises(NotPermitted):
        actions.assign_item(clerk, items[0], guard, clock.now())  # the manager divides the work
    actions.assign_item(manager, items[0], guard, clock.now())
    actions.tick_item(guard, items[0], clock.now())
    for item in items[1:4]:
        actions.tick_item(clerk, item, clock.now())
    assert list(queries.missed(hall, clock.now())) == []  # the session is still running
    freeze("2017-12-08 19:45")
    assert [i.text for i in queries.missed(hall, clock.now())] == ["门禁延时开放"]


def test_comp_time_credits_hours_beyond_the_contract(hall, window, clerk, manager, freeze):
    profile = clerk.staff_profile
    profile.contracted_hours_per_week = 40
    profile.save()
    Duty.objects.filter(user=clerk).delete()
    for day in range(4, 9):  # Monday 4 to Friday 8 December: 09:00–19:30, 10.5 hours a day
        Duty.objects.create(
            window=window,
            user=clerk,
            started_at=clock.parse_clock(f"2017-12-0{day}T09:00"),
            ended_at=clock.parse_clock(f"2017-12-0{day}T19:30"),
        )
    freeze("2017-12-11 09:00")
    entry = actions.credit_week(clerk, date(2017, 12, 4), clock.now())
    assert entry.minutes == (52 * 60 + 30) - 40 * 60  # 12.5 hours beyond the contract
    actions.credit_week(clerk, date(2017, 12, 4), clock.now())  # recomputed, not doubled
    assert queries.balance(clerk) == 750
    with pytest.raises(InvalidInput):
        actions.credit_week(clerk, date(2017, 12, 5), clock.now())
    with pytest.raises(NotPermitted):
        actions.take_time_off(clerk, clerk, date(2017, 12, 15), 8, clock.now())  # not one's own approval
    actions.take_time_off(manager, clerk, date(2017, 12, 15), 8, clock.now())
    assert queries.balance(clerk) == 750 - 480
    with pytest.raises(Refused):
        actions.take_time_off(manager, clerk, date(2017, 12, 18), 8, clock.now())


def test_only_a_manager_of_the_hall_records_time_off(hall, clerk, district):
    from django.contrib.auth.models import User

    from weimin.accounts.models import StaffProfile
    from weimin.halls.models import Hall

    outsider = User.objects.create_user("out")
    StaffProfile.objects.create(user=outsider).halls.add(
        Hall.objects.create(district=district, code="x", name="x", kind="subdistrict")
    )
    with pytest.raises(NotPermitted):
        actions.take_time_off(outsider, clerk, date(2017, 12, 15), 1, clock.now())
