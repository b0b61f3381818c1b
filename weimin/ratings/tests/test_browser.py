"""The 好差评 pad in a real browser: only the pad enrolled beside the window rates its last visit."""

import pytest

from weimin.conftest import enrolled_context
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_visitor_rates_on_the_enrolled_pad_and_nowhere_else(new_page, live_server, freeze, screenshots, enroll):
    from django.contrib.auth.models import User

    from weimin.core import clock
    from weimin.halls.models import Window
    from weimin.ratings.models import Rating
    from weimin.shifts.actions import sign_in
    from weimin.tickets import actions

    seed_demo()
    freeze("2017-12-08 18:30")
    window = Window.objects.get(hall__code="longgang-district", number=8)
    clerk = User.objects.get(username="clerk")
    sign_in(clerk, window, clock.now())
    issued = actions.issue_ticket(window.hall, window.items.first(), clock.now())
    ticket = actions.call_next(clerk, window, clock.now())
    actions.complete(clerk, ticket, clock.now())
    url = live_server.url + "/halls/longgang-district/windows/8/rate/"

    stranger = new_page(viewport={"width": 1024, "height": 768})  # anyone else who knows the address
    stranger.goto(url)
    assert "此评价器尚未登记" in stranger.inner_text("main") and stranger.locator("[data-level]").count() == 0
    stranger.screenshot(path=screenshots / "rating-pad-not-enrolled.png")

    pad = new_page(viewport={"width": 1024, "height": 768})
    enrolled_context(pad.context, live_server.url, enroll("pad", window))
    pad.goto(url)
    assert issued.ticket.number in pad.inner_text("main")
    pad.screenshot(path=screenshots / "rating-pad.png")
    pad.click("[data-level='5']")
    pad.locator(".messages").wait_for()
    assert "感谢您的评价" in pad.inner_text(".messages")
    assert Rating.objects.get().level == 5
