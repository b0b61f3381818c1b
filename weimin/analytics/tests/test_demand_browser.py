"""The demand page in a real browser, on the manager's PC and on a phone: no console error, the heat map
drawn on its canvas."""

import random

import pytest

from weimin.analytics import actions
from weimin.analytics.tests.history import hold, served
from weimin.conftest import CONSOLE, PHONE
from weimin.halls.models import ServiceItem, Window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEEK = ["2017-12-04", "2017-12-05", "2017-12-06", "2017-12-07", "2017-12-08"]


def busier_week(hall, item, window, make_clerk, freeze):
    """A week at the district hall: a morning peak, a quiet afternoon, an evening with two windows for few
    visitors, and a Saturday crowd at one window."""
    rng = random.Random(11)
    design = ServiceItem.objects.create(code="fire-design", name="消防设计审查", department=item.department,
                                        category=item.category, handling_minutes=20, promised_days=10,
                                        statutory_days=20)  # fmt: skip
    freeze("2017-12-04 08:00")
    huang, li = make_clerk("huang"), make_clerk("li")
    six = Window.objects.create(hall=hall, number=6)
    for day in WEEK:
        hold(huang, window, day, ("09:00", "12:00"), ("14:00", "19:30"))
        hold(li, six, day, ("09:00", "12:00"), ("18:00", "19:30"))
        for start, end, per_half_hour in ((9, 12, 4), (14, 18, 2), (18, 19.5, 1)):
            for half in range(int((end - start) * 2)):
                minute = int(start * 60) + 30 * half
                times = sorted(f"{(minute + rng.randrange(30)) // 60:02d}:{(minute + rng.randrange(30)) % 60:02d}"
                               for _ in range(rng.randint(per_half_hour - 1, per_half_hour + 1)))  # fmt: skip
                served(hall, rng.choice([item, design]), window, huang, day, times, service_minutes=rng.uniform(8, 14))
    hold(huang, window, "2017-12-09", ("09:00", "13:00"))
    saturday = [f"{9 + m // 60:02d}:{m % 60:02d}" for m in range(0, 240, 6)]
    served(hall, design, window, huang, "2017-12-09", saturday, service_minutes=12)
    actions.refresh(freeze("2017-12-10 08:00"))


def watch_errors(page) -> list[str]:
    """Every error the page logs on its console or throws."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


# Heat cells are drawn in the scale's reds: count the strongly red pixels on the chart's canvas.
RED_PIXELS = """() => {
    const canvas = document.querySelector('.chart-heat canvas');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let red = 0;
    for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i] > 150 && pixels[i + 1] < 120 && pixels[i + 2] < 120) red++;
    }
    return red;
}"""


@pytest.mark.parametrize(("name", "viewport"), [("console", CONSOLE), ("phone", PHONE)])
def test_the_demand_page_draws_its_heat_map(new_page, live_server, screenshots, hall, item, window, make_clerk,
                                            freeze, make_staff, name, viewport):  # fmt: skip
    busier_week(hall, item, window, make_clerk, freeze)
    make_staff("wu", "hall_manager")
    page = new_page(viewport=viewport, locale="zh-CN")
    errors = watch_errors(page)
    page.goto(live_server.url + "/login/?next=/analytics/demand/%3Ffrom%3D2017-12-04%26to%3D2017-12-09")
    page.fill("#id_username", "wu")
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_url("**/analytics/demand/**")
    page.locator(".chart-heat canvas").wait_for()
    page.wait_for_timeout(300)  # ECharts' first frame
    assert page.evaluate(RED_PIXELS) > 500, "the heat map's cells are drawn"
    assert "周六" in page.inner_text(".recommendations")
    # A pointer over a cell shows its tooltip, drawn on the canvas: no HTML with style attributes for the CSP
    # to block (reported on the console).
    box = page.locator(".chart-heat").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 4, box["y"] + 25)
    page.wait_for_timeout(500)
    page.screenshot(path=screenshots / f"analytics-demand-{name}.png", full_page=True)
    assert errors == []
