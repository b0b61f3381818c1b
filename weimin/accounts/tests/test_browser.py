"""Enrolling a kiosk in a real browser: the manager's one-time link, opened on the kiosk."""

import pytest

from weimin.accounts import actions
from weimin.accounts.models import Device
from weimin.conftest import KIOSK
from weimin.core import clock
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_link_enrolls_the_kiosk_with_a_cookie_scripts_cannot_read(new_page, live_server, freeze, screenshots):
    from django.contrib.auth.models import User

    from weimin.halls.models import Hall

    seed_demo()
    freeze("2017-12-08 18:30")
    manager = User.objects.get(username="manager")
    hall = Hall.objects.get(code="longgang-district")
    link = actions.add_device(manager, Device(hall=hall, kind="kiosk", label="一楼入口"), clock.now())
    kiosk = new_page(viewport=KIOSK)
    kiosk.goto(f"{live_server.url}/devices/enroll/{link.code}/")
    assert "龙岗区行政服务大厅" in kiosk.inner_text("main")
    kiosk.screenshot(path=screenshots / "enroll-kiosk.png")
    kiosk.click("[data-testid=enroll]")
    kiosk.wait_for_url("**/halls/longgang-district/kiosk/")
    assert "weimin_device" not in kiosk.evaluate("document.cookie")  # HttpOnly
    assert [c["httpOnly"] for c in kiosk.context.cookies() if c["name"] == "weimin_device"] == [True]
    assert Device.objects.get().enrolled_at is not None
