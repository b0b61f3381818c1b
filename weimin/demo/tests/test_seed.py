import io
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from weimin.accounts.models import StaffProfile
from weimin.demo import data
from weimin.halls.choices import HallKind
from weimin.halls.hours import HallCalendar
from weimin.halls.models import Hall, Material, ServiceItem, Window

pytestmark = pytest.mark.django_db


def counts():
    return (
        Hall.objects.count(),
        Window.objects.count(),
        ServiceItem.objects.count(),
        Material.objects.count(),
        User.objects.count(),
        StaffProfile.objects.count(),
    )


def seed():
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", seed_only=True, stdout=out)
    return out.getvalue()


def test_demo_is_the_longgang_district_and_idempotent():
    assert "12 halls" in seed()
    first = counts()
    seed()
    assert counts() == first

    district_hall = Hall.objects.get(kind=HallKind.DISTRICT)
    subdistricts = Hall.objects.filter(kind=HallKind.SUBDISTRICT)
    assert district_hall.windows.count() == 30
    article_order = ["平湖", "坂田", "布吉", "南湾", "横岗", "龙城", "龙岗", "坪地", "吉华", "园山", "宝龙"]
    assert [h.name[:2] for h in subdistricts] == article_order
    assert all(8 <= h.windows.count() <= 12 for h in subdistricts)

    def window_staff(hall):
        return hall.staff.filter(user__groups__name="window_staff").count()

    assert 35 <= window_staff(district_hall) <= 36  # 35 clerks and the demo account `clerk`
    assert all(8 <= window_staff(h) <= 14 for h in subdistricts)
    assert 38 <= ServiceItem.objects.count() <= 45
    assert all(item.materials.exists() for item in ServiceItem.objects.all())
    categories = set(ServiceItem.objects.values_list("category__name", flat=True))
    assert {"商事登记", "消防审批", "社会保障", "户籍业务", "不动产登记", "住房公积金", "税务办理"} <= categories
    # Every window staff member has skills and a contract; nobody was hired for the extension.
    staff = StaffProfile.objects.filter(user__groups__name="window_staff")
    assert all(p.skills.exists() and p.contracted_hours_per_week == 40 for p in staff)
    # Every hall offers something, and every item is offered somewhere.
    assert all(h.service_items().exists() for h in Hall.objects.all())


def test_demo_halls_keep_the_articles_hours():
    seed()
    for hall in Hall.objects.all():
        calendar = HallCalendar(hall)
        assert [f"{s.end:%H:%M}" for s in calendar.day(date(2017, 10, 20)).sessions] == ["12:00", "18:00"]
        assert [f"{s.end:%H:%M}" for s in calendar.day(date(2017, 12, 8)).sessions] == ["12:00", "19:30"]
        assert [f"{s.end:%H:%M}" for s in calendar.day(date(2017, 12, 9)).sessions] == ["13:00"]


def test_demo_accounts_log_in_with_the_printed_password(client):
    seed()
    for account in data.DEMO_ACCOUNTS:  # through the sign-in page (django-axes wants the request)
        signed_in = client.post("/login/", {"username": account.username, "password": data.DEMO_PASSWORD})
        assert signed_in.status_code == 302, account.username
        client.logout()
    assert User.objects.get(username="admin").is_superuser


def test_demo_refuses_a_production_install():
    with override_settings(DEBUG=False, WEIMIN_ALLOW_CLOCK=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", seed_only=True, stdout=io.StringIO())


def test_no_simulation_still_builds_the_evening_queue(freeze):
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", seed_only=True, no_simulation=True, stdout=out)
    assert "tickets of today's queue built" in out.getvalue()


def test_demo_addr_is_validated():
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="--addr"):
        call_command("demo", addr="8000", stdout=io.StringIO())


def test_the_demo_kiosk_and_pad_get_fresh_one_time_links(client):
    from weimin.accounts.models import Device
    from weimin.core import clock
    from weimin.demo.seed import demo_enrollment_links

    seed()
    first = demo_enrollment_links(clock.now())
    second = demo_enrollment_links(clock.now())
    assert Device.objects.count() == 2 and first[0][1] != second[0][1]  # made once, re-linked
    assert client.get(f"/devices/enroll/{first[0][1]}/").status_code == 404  # the older link is gone
    kiosk, code = second[0]
    assert client.post(f"/devices/enroll/{code}/")["Location"] == "/halls/longgang-district/kiosk/"
    assert demo_enrollment_links(clock.now())[0][0] == kiosk  # an enrolled kiosk keeps its row
