"""Enrolled devices (issue 9): a hall manager enrolls the hall's kiosks and rating pads through a
one-time link; the device then carries a secret in an HttpOnly cookie. And the login lockout."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from weimin.accounts import actions
from weimin.accounts.devices import COOKIE
from weimin.accounts.models import Device, hash_token
from weimin.core import clock
from weimin.core.errors import InvalidInput, NotFound, NotPermitted
from weimin.halls.models import Hall, Window

pytestmark = pytest.mark.django_db


@pytest.fixture
def pinghu(district):
    hall = Hall.objects.create(district=district, code="pinghu", name="平湖街道便民服务中心")
    Window.objects.create(hall=hall, number=1)
    return hall


@pytest.fixture
def back_office(client, manager):
    User.objects.filter(pk=manager.pk).update(is_staff=True)
    client.force_login(manager)
    return client


def link_in(response) -> str:
    text = " ".join(str(m) for m in response.context["messages"])
    return re.search(r"(/devices/enroll/[^/\s]+/)", text).group(1)


def test_a_manager_adds_a_kiosk_and_the_link_enrolls_it_once(back_office, client, hall, window, freeze):
    freeze("2017-12-08 18:00")
    added = back_office.post("/admin/accounts/device/add/", {"hall": hall.pk, "kind": "kiosk", "label": "一楼入口"},
                             follow=True)  # fmt: skip
    assert added.status_code == 200
    link = link_in(added)
    device = Device.objects.get()
    assert device.enrolled_by.username == "wu" and device.enrolled_at is None and device.secret_hash == ""
    assert device.link_hash == hash_token(link.split("/")[-2])  # only the link's hash is kept
    back_office.logout()
    kiosk = client  # the kiosk's own browser, nobody signed in
    page = kiosk.get(link)
    assert page.status_code == 200 and "龙岗区行政服务大厅" in page.content.decode()
    assert Device.objects.get().enrolled_at is None  # a GET (a link preview) changes nothing
    enrolled = kiosk.post(link)
    assert enrolled.status_code == 302 and enrolled["Location"] == "/halls/longgang-district/kiosk/"
    cookie = enrolled.cookies[COOKIE]
    assert cookie["httponly"] and cookie["max-age"] > 365 * 24 * 3600
    device.refresh_from_db()
    assert device.secret_hash == hash_token(cookie.value) and device.enrolled_at == clock.now()
    assert device.link_hash == ""
    assert kiosk.post(link).status_code == 404  # once only
    assert kiosk.get(link).status_code == 404


def test_an_enrollment_link_expires(manager, hall):
    link = actions.add_device(manager, Device(hall=hall, kind="kiosk"), clock.now())
    clock.freeze(clock.now() + timedelta(hours=25))
    with pytest.raises(NotFound):
        actions.enroll(link.code, clock.now())


def test_a_manager_sees_and_enrolls_only_their_halls_devices(client, manager, hall, pinghu, make_staff):
    other_manager = make_staff("pinghu-manager", "hall_manager", halls=[pinghu])
    actions.add_device(manager, Device(hall=hall, kind="kiosk", label="龙岗大厅"), clock.now())
    with pytest.raises(NotPermitted):
        actions.add_device(other_manager, Device(hall=hall, kind="kiosk"), clock.now())
    User.objects.filter(pk=other_manager.pk).update(is_staff=True)
    client.force_login(other_manager)
    listing = client.get("/admin/accounts/device/")
    assert listing.status_code == 200 and "龙岗大厅" not in listing.content.decode()
    form = client.get("/admin/accounts/device/add/").content.decode()
    assert "平湖街道便民服务中心" in form and "龙岗区行政服务大厅" not in form
    refused = client.post("/admin/accounts/device/add/", {"hall": hall.pk, "kind": "kiosk"})
    assert refused.status_code == 200 and Device.objects.count() == 1  # not a valid choice
    assert client.post("/halls/longgang-district/devices/enroll-here/", {"kind": "kiosk"}).status_code == 404
    assert Device.objects.count() == 1


def test_window_staff_cannot_enroll(client, clerk):
    client.force_login(clerk)
    assert client.post("/halls/longgang-district/devices/enroll-here/", {"kind": "kiosk"}).status_code == 404
    assert not Device.objects.exists()


def test_a_pad_belongs_to_a_window_of_its_hall_and_a_kiosk_to_none(manager, hall, window, pinghu):
    with pytest.raises(InvalidInput):
        actions.add_device(manager, Device(hall=hall, kind="pad"), clock.now())
    with pytest.raises(InvalidInput):
        actions.add_device(manager, Device(hall=hall, kind="kiosk", window=window), clock.now())
    with pytest.raises(InvalidInput):
        actions.add_device(manager, Device(hall=hall, kind="pad", window=pinghu.windows.get()), clock.now())


def test_a_manager_signed_in_on_the_pad_enrolls_it_there(client, manager, hall, window):
    client.force_login(manager)
    offer = client.get("/halls/longgang-district/windows/5/rate/")
    assert offer.status_code == 403 and 'data-testid="enroll-here"' in offer.content.decode()
    done = client.post("/halls/longgang-district/devices/enroll-here/",
                       {"kind": "pad", "window": "5", "next": "/halls/longgang-district/windows/5/rate/"})  # fmt: skip
    assert done.status_code == 302 and done["Location"] == "/halls/longgang-district/windows/5/rate/"
    secret = done.cookies[COOKIE].value
    client.logout()  # (the test client forgets every cookie here; the browser keeps the device's)
    client.cookies[COOKIE] = secret
    assert client.get("/halls/longgang-district/windows/5/rate/").status_code == 200
    assert Device.objects.get().window == window


def test_revoking_in_the_back_office_takes_effect_at_once(back_office, hall, enroll, client):
    secret = enroll("kiosk")
    device = Device.objects.get()
    response = back_office.post("/admin/accounts/device/", {"action": "revoke", "_selected_action": [device.pk]})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.revoked
    assert client.post(f"/devices/enroll/{secret}/").status_code == 404
    from weimin.accounts.devices import recognised

    request = type("R", (), {"COOKIES": {COOKIE: secret}})()
    assert recognised(request, hall) is None


def test_login_lockout_after_failures_with_a_chinese_message(client, clerk):
    """Logins: 3.3 guesses/s and no lockout. Five wrong passwords lock this username from this address."""
    for _ in range(4):
        assert client.post("/login/", {"username": "huang", "password": "wrong"}).status_code == 200
    fifth = client.post("/login/", {"username": "huang", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post("/login/", {"username": "huang", "password": "x"})  # even the right password
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    other = client.post("/login/", {"username": "nobody-else", "password": "wrong"})
    assert other.status_code == 200  # another username from this address is not locked
    elsewhere = client.post("/login/", {"username": "huang", "password": "x"}, REMOTE_ADDR="10.1.1.9")
    assert elsewhere.status_code == 302  # the clerk at their own desk still signs in


def test_the_add_form_names_the_window_a_pad_needs(back_office, hall, window):
    page = back_office.post("/admin/accounts/device/add/", {"hall": hall.pk, "kind": "pad"})
    assert page.status_code == 200 and "评价器属于某个窗口" in page.content.decode()
    assert not Device.objects.exists()
    done = back_office.post("/admin/accounts/device/add/", {"hall": hall.pk, "kind": "pad", "window": window.pk})
    assert done.status_code == 302 and Device.objects.get().window == window
