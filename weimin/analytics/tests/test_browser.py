"""The dashboards in a real browser at their users' screen sizes: the district's wall screen (1920×1080),
the district dashboard on a phone (390×844) and a hall's dashboard on the manager's PC (1366×768).

Two weeks of history are built in bulk for the demo's twelve halls with the queue's own constructors (as
``demo.simulation`` builds a day), today's queue by the simulation up to 10:30, then the rollups are
refreshed once."""

import random
from datetime import datetime, time, timedelta
from urllib.parse import quote

import pytest

from weimin.analytics import actions
from weimin.conftest import CONSOLE, PHONE, TV
from weimin.demo import data
from weimin.demo.seed import seed_demo
from weimin.demo.simulation import serving_windows, simulated_staff
from weimin.halls.models import Hall
from weimin.shifts.actions import sign_in
from weimin.tickets import actions as ticket_actions
from weimin.tickets.models import Ticket, TicketEvent, issued_event, new_ticket, secret_hash
from weimin.tickets.rules import Event, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = "2017-12-08 10:30"


def past_visits(today, days: int, rng: random.Random) -> None:
    """A few served visits a day in every hall, on the days before ``today`` (Sundays closed)."""
    tickets, history = [], []
    for hall in Hall.objects.order_by("position"):
        windows, clerks = serving_windows(hall), simulated_staff(hall)
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            if day.weekday() == 6:
                continue
            for sequence in range(1, 8 + 2 * hall.position % 9 + rng.randint(0, 6)):
                window = rng.choice(windows)
                item = rng.choice(list(window.items.all()))
                issued = datetime.combine(day, time(9), hall.tz) + timedelta(minutes=rng.randint(0, 600))
                called = issued + timedelta(minutes=rng.randint(1, 30))
                done = called + timedelta(minutes=rng.randint(5, 25))
                ticket = new_ticket(hall, day, item, sequence, issued,
                                    token_hash=secret_hash(f"past-{hall.pk}-{day}-{sequence}"))  # fmt: skip
                ticket.status, ticket.called_at = Status.COMPLETED, called
                ticket.called_by = clerks[windows.index(window) % len(clerks)]
                tickets.append(ticket)
                history.append((ticket, window, ((Event.CALLED, called), (Event.COMPLETED, done))))
    Ticket.objects.bulk_create(tickets)
    events = [issued_event(ticket) for ticket in tickets]
    for ticket, window, steps in history:
        events += [
            TicketEvent(ticket=ticket, hall_id=ticket.hall_id, business_date=ticket.business_date, kind=kind, at=at,
                        window=window, actor=ticket.called_by)
            for kind, at in steps
        ]  # fmt: skip
    TicketEvent.objects.bulk_create(sorted(events, key=lambda event: event.at))


def this_morning(hall: Hall, now: datetime) -> None:
    """Three windows of the district hall open since 08:30; ten visitors since 09:00, the first four served."""
    opened = now.replace(hour=8, minute=30)
    windows = serving_windows(hall)[:3]
    clerks = simulated_staff(hall)[:3]
    for clerk, window in zip(clerks, windows, strict=True):
        sign_in(clerk, window, opened)
    item = windows[0].items.first()
    arrivals = [opened + timedelta(minutes=30 + 8 * n) for n in range(10)]
    tickets = [ticket_actions.issue_ticket(hall, item, at).ticket for at in arrivals]
    for ticket in tickets[:4]:
        called = ticket.issued_at + timedelta(minutes=6)
        assert ticket_actions.call_next(clerks[0], windows[0], called) == ticket
        ticket_actions.complete(clerks[0], ticket, called + timedelta(minutes=7))


@pytest.fixture
def district_history(freeze):
    seed_demo()
    now = freeze(NOW)
    past_visits(now.date(), 7, random.Random(11))
    this_morning(Hall.objects.get(code=data.DISTRICT_HALL.code), now)
    actions.refresh(now)
    return now


def log_in(page, base, username, then):
    page.goto(f"{base}/login/?next={quote(then)}")
    page.fill("#id_username", username)
    page.fill("#id_password", data.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def watched(page) -> list[str]:
    """The page's console errors and uncaught exceptions, collected as they happen."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def charts_drawn(page, count: int) -> None:
    page.wait_for_function(f"() => document.querySelectorAll('.chart canvas').length >= {count}", timeout=10000)


def test_the_dashboards_at_their_screen_sizes(new_page, live_server, district_history, screenshots):
    wall = new_page(viewport=TV, locale="zh-CN")
    errors = watched(wall)
    log_in(wall, live_server.url, "office", "/analytics/?period=30d&wall=1")
    charts_drawn(wall, 2)
    assert wall.locator(".topbar").count() == 0 and wall.locator("[data-reload-after='60']").count() == 1
    assert wall.inner_text("[data-measure=visits] .figure").replace(",", "").isdigit()
    wall.screenshot(path=screenshots / "analytics-district-wall-1920x1080.png")
    # Everything on the one screen: a wall does not scroll.
    assert wall.evaluate("document.documentElement.scrollHeight") <= TV["height"]
    assert wall.evaluate("document.documentElement.scrollWidth") <= TV["width"]
    assert errors == []

    phone = new_page(viewport=PHONE, locale="zh-CN")
    errors = watched(phone)
    log_in(phone, live_server.url, "office", "/analytics/?period=30d")
    charts_drawn(phone, 2)
    assert phone.locator("#table-halls tbody tr").count() == 13  # twelve halls and the district's total
    # The table scrolls inside its box; the page itself does not scroll sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.evaluate("(() => { const box = document.querySelector('#table-halls .table-scroll');"
                          " return box.scrollWidth > box.clientWidth; })()")  # fmt: skip
    phone.screenshot(path=screenshots / "analytics-district-phone-top.png")
    phone.locator("#table-halls").scroll_into_view_if_needed()
    phone.screenshot(path=screenshots / "analytics-district-phone-table.png")
    phone.click(".definitions summary")
    assert "取号后 15 分钟内被叫号的比例" in phone.inner_text(".definitions")
    phone.screenshot(path=screenshots / "analytics-district-phone.png", full_page=True)
    assert errors == []

    # A hall's manager on their PC.
    page = new_page(viewport=CONSOLE, locale="zh-CN")
    page.clock.install()  # the live floor's 30 s, without waiting them
    errors = watched(page)
    log_in(page, live_server.url, "manager", "/analytics/")  # one hall: the district page opens theirs
    assert page.url.endswith("/analytics/halls/longgang-district/")
    charts_drawn(page, 2)
    assert int(page.inner_text("[data-live=windows] .figure")) > 0
    assert page.locator("#table-item tbody tr").count() > 1
    page.screenshot(path=screenshots / "analytics-hall-1366x768.png")
    page.screenshot(path=screenshots / "analytics-hall-1366x768-full.png", full_page=True)
    # Every 30 s HTMX swaps in the live floor from its fragment URL.
    with page.expect_response("**/analytics/halls/longgang-district/live") as answer:
        page.clock.run_for(31000)
    assert answer.value.status == 200
    page.locator("#live [data-live=waiting]").wait_for()
    # The hall's year by month, from the dashboard's link.
    page.click("text=近一年按月报表")
    page.wait_for_url("**/analytics/report/**")
    charts_drawn(page, 1)
    assert page.locator("#table-report tbody tr").count() == 14  # 2016-12 to 2017-12, and the total
    page.screenshot(path=screenshots / "analytics-report-year-1366x768.png", full_page=True)
    assert errors == []
