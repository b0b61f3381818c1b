import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from weimin.halls.models import OpeningSchedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, hall, window):
    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "hall",
        "window",
        "serviceitem",
        "material",
        "department",
        "itemcategory",
        "openingschedule",
        "specialday",
        "district",
    ],
)
def test_catalogue_changelists_with_search(admin_client, model):
    url = reverse(f"admin:halls_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "消防"}).status_code == 200


def test_calendar_and_accounts_in_the_admin(admin_client):
    for name in [
        "calendars_calendarday",
        "calendars_calendaryear",
        "accounts_staffprofile",
        "accounts_apitoken",
        "auth_user",
    ]:
        assert admin_client.get(reverse(f"admin:{name}_changelist"), {"q": "2027"}).status_code == 200


def test_overlapping_sessions_are_refused_in_the_admin(admin_client, hall):
    url = reverse("admin:halls_openingschedule_add")
    form = {
        "hall": hall.pk,
        "name": "冬季",
        "valid_from": "2030-01-01",
        "valid_until": "",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-weekday": "0",
        "sessions-0-start": "09:00",
        "sessions-0-end": "12:00",
        "sessions-1-weekday": "0",
        "sessions-1-start": "11:00",
        "sessions-1-end": "14:00",
    }
    # The open-ended extended schedule already covers 2030: first the overlap of schedules is refused…
    response = admin_client.post(url, form)
    assert response.status_code == 200 and "重叠" in response.content.decode()
    OpeningSchedule.objects.filter(hall=hall, valid_until__isnull=True).update(valid_until="2029-12-31")
    # …then the overlap of two Monday sessions, and nothing is saved.
    response = admin_client.post(url, form)
    assert response.status_code == 200 and "09:00–12:00" in response.content.decode()
    assert not OpeningSchedule.objects.filter(name="冬季").exists()
    form["sessions-1-start"] = "14:00"
    form["sessions-1-end"] = "19:30"
    assert admin_client.post(url, form).status_code == 302
    assert OpeningSchedule.objects.get(name="冬季").sessions.count() == 2


def test_hall_manager_edits_only_their_own_halls(client, hall, district):
    from django.contrib.auth.models import Group

    from weimin.accounts.models import StaffProfile
    from weimin.halls.models import Hall

    other = Hall.objects.create(district=district, code="pinghu", name="平湖街道行政服务大厅", kind="subdistrict")
    OpeningSchedule.objects.create(hall=other, valid_from="2017-01-01", name="平湖时间表")
    manager = User.objects.create_user("manager", password="x", is_staff=True)
    manager.groups.add(Group.objects.get(name="hall_manager"))
    StaffProfile.objects.create(user=manager).halls.add(hall)
    client.force_login(manager)
    listing = client.get(reverse("admin:halls_openingschedule_changelist")).content.decode()
    assert "龙岗区行政服务大厅" in listing and "平湖时间表" not in listing
    add_form = client.get(reverse("admin:halls_specialday_add")).content.decode()
    assert "平湖街道行政服务大厅" not in add_form
    foreign = OpeningSchedule.objects.get(hall=other)
    assert client.get(reverse("admin:halls_openingschedule_change", args=[foreign.pk])).status_code == 302
    # The catalogue belongs to the district office.
    assert client.get(reverse("admin:halls_serviceitem_changelist")).status_code == 403
