"""The 好差评 pad and the phone's rating in a real browser: only the pad enrolled beside the window
rates, it follows the visit at its counter, and nothing typed is wiped by a refresh."""

import pytest

from weimin.conftest import PAD, PHONE, enrolled_context
from weimin.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def window_8(freeze):
    from django.contrib.auth.models import User

    from weimin.core import clock
    from weimin.halls.models import Window
    from weimin.shifts.actions import sign_in

    seed_demo()
    freeze("2017-12-08 18:30")
    window = Window.objects.get(hall__code="longgang-district", number=8)
    clerk = User.objects.get(username="clerk")
    sign_in(clerk, window, clock.now())
    return window, clerk


def test_the_pad_follows_the_counter_and_keeps_the_comment(new_page, live_server, screenshots, enroll, window_8):
    from weimin.core import clock
    from weimin.ratings.models import FollowUp, Rating
    from weimin.tickets import actions

    window, clerk = window_8
    first = actions.issue_ticket(window.hall, window.items.first(), clock.now()).ticket
    second = actions.issue_ticket(window.hall, window.items.first(), clock.now()).ticket
    url = live_server.url + "/halls/longgang-district/windows/8/rate/"

    stranger = new_page(viewport=PAD)  # anyone else who knows the address
    stranger.goto(url)
    assert "此评价器尚未登记" in stranger.inner_text("main") and stranger.locator("[data-level]").count() == 0
    stranger.screenshot(path=screenshots / "rating-pad-not-enrolled.png")

    pad = new_page(viewport=PAD)
    enrolled_context(pad.context, live_server.url, enroll("pad", window))
    pad.goto(url)
    pad.locator("[data-testid=pad-idle]").wait_for()
    actions.call_next(clerk, window, clock.now())
    pad.locator("[data-testid=pad-serving]", has_text=first.number).wait_for(timeout=8000)  # it reloads itself
    pad.screenshot(path=screenshots / "rating-pad-serving.png")
    actions.complete(clerk, first, clock.now())
    pad.locator("[data-testid=rating-form]").wait_for(timeout=8000)
    assert first.number in pad.inner_text("main")
    pad.fill("textarea[name=comment]", "等候时间有点长")
    pad.wait_for_timeout(4000)  # longer than the pad's poll: the comment stays
    assert pad.input_value("textarea[name=comment]") == "等候时间有点长"
    assert not pad.locator("[data-testid=rating-callback]").is_visible()
    pad.check("[data-level='2']")
    assert pad.locator("[data-testid=rating-callback]").is_visible()  # a bad rating offers the call-back
    pad.fill("input[name=phone]", "13800138000")
    pad.screenshot(path=screenshots / "rating-pad-ask-bad.png")

    # The visitor walks away; the clerk calls B-next: the pad asks nothing more about the first visit.
    actions.call_next(clerk, window, clock.now())
    pad.locator("[data-testid=pad-serving]", has_text=second.number).wait_for(timeout=8000)
    assert first.number not in pad.inner_text("main") and not Rating.objects.exists()
    actions.complete(clerk, second, clock.now())
    pad.locator("[data-testid=rating-form]").wait_for(timeout=8000)
    assert second.number in pad.inner_text("main") and first.number not in pad.inner_text("main")
    pad.check("[data-level='1']")
    pad.fill("input[name=phone]", "139 2233 4455")
    pad.click("button[type=submit]")
    pad.locator(".messages").wait_for()
    assert "感谢您的评价" in pad.inner_text(".messages") and pad.locator("[data-testid=pad-idle]").is_visible()
    pad.screenshot(path=screenshots / "rating-pad-thanks.png")
    rating = Rating.objects.get()
    assert (rating.ticket, rating.level) == (second, 1)
    assert FollowUp.objects.get().contact_phone == "13922334455"


def test_the_phone_rates_after_the_visit_without_losing_the_comment(new_page, live_server, screenshots, window_8):
    from weimin.core import clock
    from weimin.ratings.models import FollowUp
    from weimin.tickets import actions

    window, clerk = window_8
    issued = actions.issue_ticket(window.hall, window.items.first(), clock.now())
    phone = new_page(viewport=PHONE)
    phone.goto(f"{live_server.url}/t/{issued.token}/")
    assert "即将叫到您" in phone.inner_text("main")
    actions.complete(clerk, actions.call_next(clerk, window, clock.now()), clock.now())
    phone.locator("[data-testid=rating-form]").wait_for(timeout=12000)  # the status poll reloads the page once
    phone.fill("textarea[name=comment]", "办得很快，但指引不清楚")
    phone.wait_for_timeout(6000)  # longer than the old 5-second refresh
    assert phone.input_value("textarea[name=comment]") == "办得很快，但指引不清楚"
    phone.check("[data-level='2']")
    phone.fill("input[name=phone]", "1380013")
    phone.screenshot(path=screenshots / "rating-phone-bad.png", full_page=True)
    phone.click("button[type=submit]")
    phone.locator(".rating-error").wait_for()
    assert phone.input_value("textarea[name=comment]") == "办得很快，但指引不清楚"  # kept after the error
    phone.fill("input[name=phone]", "13800138000")
    phone.click("button[type=submit]")
    phone.locator(".messages").wait_for()
    assert "感谢您的评价" in phone.inner_text(".messages")
    assert FollowUp.objects.get().contact_phone == "13800138000"
    phone.screenshot(path=screenshots / "rating-phone-thanks.png", full_page=True)
