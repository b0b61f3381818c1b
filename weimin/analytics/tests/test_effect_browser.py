"""The effect report in a real browser, on the manager's PC and on a phone."""

from datetime import timedelta

import pytest

from weimin.analytics import actions
from weimin.analytics.tests.test_effect_report import START, served_visits
from weimin.conftest import CONSOLE, PHONE
from weimin.demo import data
from weimin.demo.seed import seed_demo
from weimin.halls.models import Hall

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every weekday's visits, week by week: four weeks before 2017-10-23, six after (the last two with evenings).
WEEKS = ((30, 0), (34, 0), (28, 0), (32, 0), (40, 6), (42, 8), (39, 7), (44, 9), (41, 8), (45, 10))


def test_the_effect_report_draws_its_chart_without_errors(new_page, live_server, freeze, screenshots):
    seed_demo()
    hall = Hall.objects.get(code="longgang-district")
    window = hall.windows.filter(items__isnull=False).first()
    item = window.items.first()
    for n, (per_day, evening) in enumerate(WEEKS):
        for weekday in range(6):  # Monday to Saturday
            day = START + timedelta(weeks=n - 4, days=weekday)
            saturday = weekday == 5
            served_visits(hall, item, window, day, per_day - 3 * saturday, evening=evening, wait_minutes=9 + n % 3)
    actions.refresh(freeze("2017-12-06 10:00"))

    problems = []  # console errors and uncaught exceptions, on either screen
    for size, name in ((CONSOLE, "console"), (PHONE, "phone")):
        page = new_page(viewport=size)
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{live_server.url}/analytics/effect/?hall=longgang-district&start=2017-10-23&weeks=8")
        page.fill("#id_username", "manager")
        page.fill("#id_password", data.DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/analytics/effect/**")
        page.locator(".effect-chart canvas").wait_for(timeout=5000)
        page.wait_for_timeout(800)  # ECharts' entry animation
        painted = page.evaluate(
            """() => { const c = document.querySelector('.effect-chart canvas');
                       const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                       let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
        )
        assert painted > 5000, "the chart's canvas is blank"
        summary = page.inner_text("[data-testid=summary]")
        assert "服务人次" in summary and "升幅超出正常波动" in summary and "尚未结束" in summary
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], "the page overflows sideways"
        page.screenshot(path=screenshots / f"analytics-effect-{name}.png", full_page=True)
        page.locator(".effect-chart").screenshot(path=screenshots / f"analytics-effect-chart-{name}.png")
        assert problems == []
