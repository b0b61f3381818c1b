"""Push, not poll, in a real browser: a call reaches the hall's TV within 1 s of the clerk's key, and the
visitor's phone and the clerk's console with it, each following the hall's server-sent events."""

import time

import pytest

from weimin.conftest import CONSOLE, PHONE, TV
from weimin.core import clock
from weimin.tickets import actions

pytestmark = [pytest.mark.browser, pytest.mark.both_databases, pytest.mark.django_db(transaction=True)]


def test_a_call_reaches_the_tv_the_phone_and_the_console_within_a_second(
    new_page, live_server, freeze, hall, item, window, make_clerk, screenshots
):
    freeze("2017-12-08 18:30")
    clerk = make_clerk("huang", window)
    issued = actions.issue_ticket(hall, item, clock.now())
    actions.issue_ticket(hall, item, clock.now())
    base = live_server.url

    display = new_page(viewport=TV)
    display.goto(base + f"/halls/{hall.code}/display/")
    display.wait_for_function("() => window.weiminDisplay.push === 'open' && window.weiminDisplay.polls > 0")

    phone = new_page(viewport=PHONE)
    phone.goto(base + f"/t/{issued.token}/")
    phone.locator("#mine[data-push-state=open]").wait_for(timeout=5000)

    console = new_page(viewport=CONSOLE)
    console.goto(base + "/console/")
    console.fill("#id_username", "huang")
    console.fill("#id_password", "x")
    console.click("button[type=submit]")
    console.goto(base + f"/console/{window.pk}/")
    console.locator("#panel[data-push-state=open]").wait_for(timeout=5000)
    polls = display.evaluate("window.weiminDisplay.polls")

    called_at = time.monotonic()
    actions.call_next(clerk, window, clock.now())  # the clerk's key, through the same action
    display.locator("#latest[data-number=B001]").wait_for(timeout=1000)
    on_tv = time.monotonic() - called_at
    phone.locator(".go-to").wait_for(timeout=1000)
    on_phone = time.monotonic() - called_at
    console.locator("[data-testid=current-number]", has_text="B001").wait_for(timeout=1000)
    on_console = time.monotonic() - called_at
    print(f"\ncall → TV {on_tv * 1000:.0f} ms, phone {on_phone * 1000:.0f} ms, console {on_console * 1000:.0f} ms")
    assert on_tv < 1.0, "a TV must show a call within 1 s of the clerk's key"
    # Told, not found: while the stream is open the display reads its feed every 5 s only.
    assert display.evaluate("window.weiminDisplay.polls") - polls <= 2
    assert phone.inner_text(".go-to") == "请到5号窗口"
    display.locator("#waiting strong", has_text="1").wait_for(timeout=1000)  # one still waits

    display.screenshot(path=screenshots / "push-display-tv.png")
    phone.screenshot(path=screenshots / "push-ticket-called-phone.png", full_page=True)
    console.screenshot(path=screenshots / "push-console.png", full_page=True)


def test_without_a_stream_the_display_polls_as_before(new_page, live_server, freeze, hall, item, window, make_clerk,
                                                       settings):  # fmt: skip
    settings.WEIMIN_PUSH_STREAMS_PER_PROCESS = 0  # every stream refused (503), as when a process is full
    freeze("2017-12-08 18:30")
    clerk = make_clerk("huang", window)
    actions.issue_ticket(hall, item, clock.now())
    display = new_page(viewport=TV)
    display.goto(live_server.url + f"/halls/{hall.code}/display/")
    display.wait_for_function("() => window.weiminDisplay.polls > 1")
    assert display.evaluate("window.weiminDisplay.push") == "polling"
    called_at = time.monotonic()
    actions.call_next(clerk, window, clock.now())
    display.locator("#latest[data-number=B001]").wait_for(timeout=2500)
    assert time.monotonic() - called_at < 2.5  # polled every second


def test_a_call_made_while_the_phone_page_loads_reaches_it(new_page, live_server, freeze, hall, item, window,
                                                            make_clerk):  # fmt: skip
    """The number is called after the page was rendered and before its stream started: no event the stream
    sends names it, and the page, pushed, asks for itself only every 300 s. The stream's first word (a
    resync) makes it ask at once."""
    freeze("2017-12-08 18:30")
    clerk = make_clerk("huang", window)
    issued = actions.issue_ticket(hall, item, clock.now())
    phone = new_page(viewport=PHONE)

    def call_then_connect(route):
        actions.call_next(clerk, window, clock.now())
        route.continue_()

    phone.route("**/events", call_then_connect, times=1)
    phone.goto(live_server.url + f"/t/{issued.token}/")
    phone.locator(".go-to").wait_for(timeout=5000)
    assert phone.inner_text(".go-to") == "请到5号窗口"


def test_the_tv_reads_its_feed_for_a_call_or_a_recall_not_for_a_visitor_served(
    new_page, live_server, freeze, hall, item, window, make_clerk
):
    """The TV shows calls and the waiting: a visitor served and completed changes neither, and the TV does
    not ask (display.js); a recall is shown again, and it does."""
    freeze("2017-12-08 18:30")
    clerk = make_clerk("huang", window)
    for _ in range(2):
        actions.issue_ticket(hall, item, clock.now())
    display = new_page(viewport=TV)
    display.goto(live_server.url + f"/halls/{hall.code}/display/")
    display.wait_for_function("() => window.weiminDisplay.push === 'open' && window.weiminDisplay.polls > 0")
    called = actions.call_next(clerk, window, clock.now())
    display.locator("#latest[data-number=B001]").wait_for(timeout=2000)
    polls = display.evaluate("window.weiminDisplay.polls")
    actions.recall(clerk, called, clock.now())
    display.wait_for_function(f"() => window.weiminDisplay.polls > {polls}", timeout=2000)
    polls = display.evaluate("window.weiminDisplay.polls")
    actions.start_serving(clerk, called, clock.now())
    actions.complete(clerk, called, clock.now())
    display.wait_for_timeout(1500)  # told of both at once; within the 5 s between the pushed screen's reads
    assert display.evaluate("window.weiminDisplay.polls") == polls


def test_a_console_refreshes_for_the_queue_not_for_another_windows_visitor(
    new_page, live_server, freeze, hall, item, window, make_clerk
):
    """Window 5 serving and completing its visitor moves no one's place, and a visitor for an item only window
    7 serves is not in its list: window 6's console does not ask for its panel again. Window 5 calling the
    next one does (window 6 waits for one fewer)."""
    from weimin.halls.models import ServiceItem, Window

    freeze("2017-12-08 18:30")
    other = Window.objects.create(hall=hall, number=6)
    other.items.add(item)
    elsewhere = ServiceItem.objects.create(
        code="x", name="另一事项", department=item.department, category=item.category, handling_minutes=5,
        promised_days=1, statutory_days=1,
    )  # fmt: skip
    Window.objects.create(hall=hall, number=7).items.add(elsewhere)
    clerk = make_clerk("huang", window)
    make_clerk("li", other)
    first = actions.issue_ticket(hall, item, clock.now()).ticket
    actions.issue_ticket(hall, item, clock.now())
    called = actions.call_next(clerk, window, clock.now())
    assert called.pk == first.pk

    console = new_page(viewport=CONSOLE)
    console.goto(live_server.url + "/console/")
    console.fill("#id_username", "li")
    console.fill("#id_password", "x")
    console.click("button[type=submit]")
    console.goto(live_server.url + f"/console/{other.pk}/")
    console.locator("#panel[data-push-state=open]").wait_for(timeout=5000)
    console.locator("[data-testid=waiting-count]", has_text="1").wait_for(timeout=5000)
    panels = []
    console.on("request", lambda request: panels.append(request.url) if request.url.endswith("/panel") else None)

    actions.start_serving(clerk, first, clock.now())
    actions.complete(clerk, first, clock.now())
    actions.issue_ticket(hall, elsewhere, clock.now())
    console.wait_for_timeout(4000)  # past the console's 3 s calm (and the browser's events read meanwhile)
    assert panels == []

    actions.call_next(clerk, window, clock.now())
    console.locator("[data-testid=waiting-count]", has_text="0").wait_for(timeout=5000)
    assert len(panels) == 1


def test_a_phone_shows_its_moved_place_without_asking_for_it(new_page, live_server, freeze, hall, item, window,
                                                             make_clerk, screenshots):  # fmt: skip
    """After a call every phone in the hall has a new place to show: its stream sends the status part itself
    (``event: page``), so the hall's phones do not all ask for theirs at once."""
    clerk, phone = third_in_line(new_page, live_server, freeze, hall, item, window, make_clerk)
    phone.locator("#mine .big", has_text="前面还有2人").wait_for(timeout=5000)
    asked = []
    phone.on("request", lambda request: asked.append(request.url) if "/status" in request.url else None)

    actions.call_next(clerk, window, clock.now())
    phone.locator("#mine .big", has_text="前面还有1人").wait_for(timeout=5000)
    phone.wait_for_timeout(3500)  # past the page's 3 s calm: a refresh the news had set off would have gone
    assert asked == []
    phone.screenshot(path=screenshots / "push-ticket-moved-phone.png", full_page=True)

    phone.click("text=我不再需要这个号码")  # the part's form, sent with the part's CSRF token
    phone.locator("#mine", has_text="已取消").wait_for(timeout=5000)


def test_a_refresh_answered_after_a_newer_pushed_part_does_not_put_the_old_place_back(
    new_page, live_server, freeze, hall, item, window, make_clerk
):
    """A refresh asked before a call and answered after the stream sent the moved place (a slow line, a busy
    worker): its answer, as of an older version of the hall, is not shown over the newer part."""
    clerk, phone = third_in_line(new_page, live_server, freeze, hall, item, window, make_clerk)
    held = []
    phone.route("**/status", lambda route: held.append(route))  # the next refresh's answer is held back
    phone.evaluate("htmx.trigger('#mine', 'weimin-change')")
    while not held:
        phone.wait_for_timeout(50)
    old = held[0].fetch()  # answered now, before the call: two ahead
    assert "前面还有2人" in old.text()

    actions.call_next(clerk, window, clock.now())
    phone.locator("#mine .big", has_text="前面还有1人").wait_for(timeout=5000)  # the stream's part
    held[0].fulfill(response=old)  # the old answer arrives last
    phone.wait_for_timeout(500)
    assert "前面还有1人" in phone.inner_text("#mine .big")


def test_the_visitors_call_is_shown_even_from_a_process_a_moment_behind(
    new_page, live_server, freeze, hall, item, window, make_clerk
):
    """Named by a call after a part the stream sent, the phone asks for its status. The process that answers
    may not have heard the last change yet (its ETag's version below the part's): asked after the part, the
    answer is shown all the same."""
    import re

    clerk, phone = third_in_line(new_page, live_server, freeze, hall, item, window, make_clerk)
    first = actions.call_next(clerk, window, clock.now())
    phone.locator("#mine .big", has_text="前面还有1人").wait_for(timeout=5000)  # the stream's part
    pushed = int(phone.get_attribute("#mine", "data-push-shown"))

    def from_behind(route):
        answer = route.fetch()
        headers = {**answer.headers, "etag": re.sub(r"\.v\d+\.", f".v{pushed - 1}.", answer.headers["etag"])}
        route.fulfill(response=answer, headers=headers)

    phone.route("**/status", from_behind)
    actions.complete(clerk, first, clock.now())
    actions.complete(clerk, actions.call_next(clerk, window, clock.now()), clock.now())  # the one ahead
    actions.call_next(clerk, window, clock.now())  # mine
    phone.locator(".go-to", has_text="请到5号窗口").wait_for(timeout=5000)


def third_in_line(new_page, live_server, freeze, hall, item, window, make_clerk):
    """A clerk at the window, and the phone of the third visitor waiting: its stream open, and the part its
    first word made it read again shown."""
    freeze("2017-12-08 18:30")
    clerk = make_clerk("huang", window)
    for _ in range(2):
        actions.issue_ticket(hall, item, clock.now())
    mine = actions.issue_ticket(hall, item, clock.now())
    phone = new_page(viewport=PHONE)
    with phone.expect_response(lambda response: response.url.endswith("/status")):
        phone.goto(live_server.url + f"/t/{mine.token}/")
    phone.locator("#mine[data-push-state=open]").wait_for(timeout=5000)
    return clerk, phone
