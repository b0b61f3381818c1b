"""A hall manager in the back office: their own halls' staff only, never their own halls (issue 9, item 1)."""

import pytest
from django.urls import reverse

from weimin.accounts.models import StaffProfile
from weimin.halls.models import Hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def pinghu(district):
    return Hall.objects.create(district=district, code="pinghu", name="平湖街道行政服务大厅", kind="subdistrict")


@pytest.fixture
def pinghu_manager(make_staff, pinghu, client):
    manager = make_staff("pinghu-manager", "hall_manager", halls=[pinghu])
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    return manager


def change(client, profile, **fields):
    url = reverse("admin:accounts_staffprofile_change", args=[profile.pk])
    form = {"display_name": profile.display_name, "contracted_hours_per_week": "40", "skills": [], **fields}
    return client.post(url, form)


def test_a_manager_cannot_join_another_hall(client, pinghu_manager, hall, pinghu):
    """The attack: pinghu-manager added the district hall to their own profile, then signed in there."""
    own = pinghu_manager.staff_profile
    change(client, own, halls=[hall.pk, pinghu.pk])
    assert list(own.halls.all()) == [pinghu]
    page = client.get(reverse("admin:accounts_staffprofile_change", args=[own.pk])).content.decode()
    assert 'name="halls"' not in page  # read-only: the district office grants one's halls


def test_a_manager_edits_their_staff_but_grants_only_their_halls(client, pinghu_manager, make_staff, hall, pinghu):
    clerk = make_staff("ping-01", "window_staff", halls=[pinghu])
    refused = change(client, clerk.staff_profile, display_name="平一", halls=[pinghu.pk, hall.pk])
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()  # not a hall on offer
    profile = StaffProfile.objects.get(pk=clerk.staff_profile.pk)
    assert profile.display_name == "ping-01" and list(profile.halls.all()) == [pinghu]  # nothing half-saved
    assert change(client, profile, display_name="平一", halls=[pinghu.pk]).status_code == 302
    profile.refresh_from_db()
    assert profile.display_name == "平一"


def test_a_manager_keeps_the_halls_they_do_not_manage(client, pinghu_manager, make_staff, hall, pinghu):
    both = make_staff("both", "window_staff", halls=[hall, pinghu])
    change(client, both.staff_profile, halls=[pinghu.pk])
    assert set(both.staff_profile.halls.all()) == {hall, pinghu}


def test_other_halls_staff_are_out_of_sight_and_nothing_is_deleted(client, pinghu_manager, make_staff, pinghu):
    district_manager = make_staff("manager", "hall_manager")
    listed = client.get(reverse("admin:accounts_staffprofile_changelist")).content.decode()
    assert "pinghu-manager" in listed and ">manager<" not in listed
    url = reverse("admin:accounts_staffprofile_change", args=[district_manager.staff_profile.pk])
    assert client.get(url).status_code in (302, 404)
    clerk = make_staff("ping-02", "window_staff", halls=[pinghu])
    delete = reverse("admin:accounts_staffprofile_delete", args=[clerk.staff_profile.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert StaffProfile.objects.filter(pk=clerk.staff_profile.pk).exists()
    assert client.get(reverse("admin:accounts_staffprofile_add")).status_code == 403
