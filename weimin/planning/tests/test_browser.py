"""Issue 12 in a real browser (the manager's and the clerk's PC, 1366×768): the manager plans next week, sees
the run's live status and the roster, edits a shift into a labour-rule violation and sees it refused,
approves; the clerk sees the shift on the console."""

import pytest

from weimin.conftest import CONSOLE
from weimin.planning.models import RosterShift, RosterStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(new_page, url: str, username: str):
    page = new_page(viewport=CONSOLE)
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    return page


def test_the_manager_plans_edits_and_approves_and_the_clerk_sees_the_shift(
    new_page, live_server, hall, recorded, manager, screenshots
):
    problems = []
    page = log_in(new_page, f"{live_server.url}/planning/halls/{hall.code}/?week=2017-W49", "wu")
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.wait_for_url("**/planning/halls/**")
    assert "尚无排班表" in page.inner_text("[data-testid=no-roster]")
    page.click("[data-testid=plan-week]")
    page.locator("[data-testid=roster-grid]").wait_for(timeout=90_000)  # the run's status page reloads when done
    assert "草稿" in page.inner_text("[data-testid=roster-status]")
    assert "差距" in page.inner_text("[data-testid=solver]")
    assert "按此排班仿真" in page.inner_text("[data-testid=simulated]")
    page.locator(".coverage-chart canvas").wait_for(timeout=5000)
    page.wait_for_timeout(600)
    page.screenshot(path=screenshots / "planning-roster-manager.png", full_page=True)

    # Monday 07:00–21:00 is 13 working hours: more than 8 regular and 3 overtime.
    shift = RosterShift.objects.filter(roster__hall=hall, day="2017-12-04").order_by("user_id").first()
    cell = page.locator(f"[data-testid=cell-{shift.user_id}-2017-12-04]")
    cell.locator("summary").click()
    cell.locator("input[name=start]").fill("07:00")
    cell.locator("input[name=end]").fill("21:00")
    cell.locator("button[type=submit]:not([name=off])").click()
    page.wait_for_load_state()
    alert = page.inner_text(".messages")
    assert "违反劳动规则" in alert and "加班" in alert
    page.screenshot(path=screenshots / "planning-edit-refused.png")
    shift.refresh_from_db()
    assert (shift.start.hour, shift.end.hour) != (7, 21)

    page.click("[data-testid=approve]")
    page.wait_for_load_state()
    assert "已批准" in page.inner_text("[data-testid=roster-status]")
    assert shift.roster.__class__.objects.get(pk=shift.roster_id).status == RosterStatus.APPROVED
    assert page.evaluate("document.documentElement.scrollWidth") <= CONSOLE["width"], "the page overflows sideways"
    assert problems == []

    clerk = log_in(new_page, f"{live_server.url}/console/", shift.user.username)
    mine = clerk.inner_text("[data-testid=my-shifts]")
    assert "12-04" in mine and f"{shift.start:%H:%M}–{shift.end:%H:%M}" in mine
    clerk.screenshot(path=screenshots / "planning-my-shifts-console.png", full_page=True)
