"""Issue 13 in a real browser, on the demo's 木古河 project at the demo clock: a cadre on a phone (390×844) logs a
missed call by the owner's number and sees the call-back on their page; the leader (1366×768) sees it among the
missed calls not returned; the dashboard draws the burn-down. Screenshots of each page at its user's size."""

import pytest
from django.contrib.auth.hashers import make_password

from weimin.campaign.models import Household, Task
from weimin.conftest import CONSOLE, PHONE
from weimin.demo.campaign import seed_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(new_page, url: str, username: str, viewport: dict):
    page = new_page(viewport=viewport)
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def no_sideways_overflow(page, viewport: dict) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "the page overflows sideways"


def test_a_missed_call_reaches_the_cadres_phone_and_the_leaders_page(new_page, live_server, freeze, screenshots):
    freeze("2017-12-08 18:30")
    seed_campaign(make_password("x"))
    problems = []
    household = Household.objects.filter(cadre__username="campaign-wang", status="negotiating").order_by("number")[0]
    owner = household.owners.first()

    cadre = log_in(new_page, f"{live_server.url}/campaign/", "campaign-wang", PHONE)
    cadre.on("pageerror", lambda error: problems.append(str(error)))
    assert cadre.url.endswith("/campaign/projects/mugu-river/mine/")
    before = cadre.locator("[data-testid=task-callback]").count()
    form = cadre.locator("[data-testid=log-call]")
    form.locator("[data-testid=call-phone]").fill(owner.phone)
    form.locator("select[name=outcome]").select_option("missed")
    form.locator("select[name=purpose]").select_option("other")
    form.locator("[data-testid=log-call-submit]").click()
    cadre.wait_for_load_state()
    assert "回电" in cadre.inner_text(".messages") and "19:30" in cadre.inner_text(".messages")
    assert cadre.locator("[data-testid=task-callback]").count() == before + 1
    assert household.number in cadre.inner_text("[data-testid=my-tasks]")
    task = Task.objects.get(household=household, done_at=None, kind="callback")
    assert task.assignee.username == "campaign-wang" and task.leader.username == "campaign"
    assert owner.phone not in cadre.content().split('data-testid="my-households"')[1]  # masked in the list
    assert cadre.inner_text(".campaign-links") == "我的包户 · 进度"  # no leader's page to a 403
    no_sideways_overflow(cadre, PHONE)
    cadre.screenshot(path=screenshots / "campaign-cadre-phone.png", full_page=True)

    cadre.click(f"a[href='/campaign/households/{household.token}/']")
    cadre.wait_for_load_state()
    assert owner.id_number in cadre.inner_text("[data-testid=owners]")  # the bound cadre reads it whole
    no_sideways_overflow(cadre, PHONE)
    cadre.screenshot(path=screenshots / "campaign-household-phone.png", full_page=True)

    leader = log_in(new_page, f"{live_server.url}/campaign/", "campaign", CONSOLE)
    leader.on("pageerror", lambda error: problems.append(str(error)))
    assert leader.url.endswith("/campaign/projects/mugu-river/lead/")
    assert leader.inner_text("[data-testid=unreturned-count]") == "3"  # two seeded today, and this one
    assert household.number in leader.inner_text("[data-testid=unreturned]")
    assert "已签约" in leader.inner_text("[data-testid=signing-rates]")
    no_sideways_overflow(leader, CONSOLE)
    leader.screenshot(path=screenshots / "campaign-leader.png", full_page=True)

    leader.goto(f"{live_server.url}/campaign/projects/mugu-river/")
    leader.locator(".chart canvas").wait_for(timeout=5000)
    leader.wait_for_timeout(500)
    assert "第二临时党支部" in leader.inner_text("[data-testid=by-team]")
    assert leader.inner_text("[data-testid=by-team] thead th >> nth=0") == "小组"
    no_sideways_overflow(leader, CONSOLE)
    leader.screenshot(path=screenshots / "campaign-dashboard.png", full_page=True)

    leader.goto(f"{live_server.url}/campaign/households/{household.token}/file")
    assert "征收补偿档案" in leader.inner_text("[data-testid=case-file]")
    leader.screenshot(path=screenshots / "campaign-case-file.png", full_page=True)
    assert problems == []
