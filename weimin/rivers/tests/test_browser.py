"""Issue 14 in a real browser: the river office (平湖街道治水办) on the demo's rivers — the district's elimination
rate and the bodies (1366×768), 木古河's schematic, reasons and trend charts, a sample refused for an impossible
value then saved, an import reporting its bad row, a survey recorded; the body page and the form on a phone
(390×844) without sideways overflow; no CSP violation anywhere."""

import pytest
from django.contrib.auth.hashers import make_password

from weimin.conftest import CONSOLE, PHONE
from weimin.demo.campaign import seed_campaign
from weimin.demo.rivers import seed_rivers
from weimin.rivers.models import Sample, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page) -> list[str]:
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    return problems


def log_in(page, url: str):
    page.goto(url)
    page.fill("#id_username", "river")
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def no_overflow(page, width: int):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page overflows sideways"


def test_the_river_office_follows_its_rivers(new_page, live_server, freeze, make_staff, screenshots, tmp_path):
    make_staff("river", "river_office", halls=[])
    freeze("2017-12-08 18:30")
    seed_rivers()
    seed_campaign(make_password("x"))  # the project clearing 木古河's banks
    page = new_page(viewport=CONSOLE)
    problems = watch(page)
    log_in(page, f"{live_server.url}/rivers/")
    assert page.inner_text("[data-testid=elimination-rate]") == "40.0%"
    assert "尚未" in page.inner_text("[data-testid=target-met]")
    assert "木古河" in page.inner_text("[data-testid=body-mugu]")
    no_overflow(page, CONSOLE["width"])
    page.screenshot(path=screenshots / "rivers-overview-office.png", full_page=True)

    page.click("[data-testid=body-mugu] a")
    page.wait_for_url("**/rivers/bodies/mugu/")
    assert page.inner_text("[data-testid=body-class]") == "轻度黑臭"
    assert page.locator("[data-testid=schematic] .river-point").count() == 9
    assert "2017-12-08" in page.inner_text("[data-testid=last-black-odorous]")
    clearing = page.inner_text("[data-testid=project-progress]")
    assert "木古河综合整治房屋征拆" in clearing and "/ 110000 m²" in clearing
    page.locator("[data-chart=chart-months] canvas").wait_for(timeout=5000)
    page.wait_for_timeout(500)  # the charts' entry animation
    no_overflow(page, CONSOLE["width"])
    page.screenshot(path=screenshots / "rivers-mugu-office.png", full_page=True)
    # A period in the summer: severe, with the whole river a severe stretch.
    page.fill("input[name=start]", "2017-07-01")
    page.fill("input[name=end]", "2017-07-31")
    page.click(".river-period button")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=body-class]") == "重度黑臭"
    assert "MUG-01" in page.inner_text("[data-testid=stretches]")
    page.screenshot(path=screenshots / "rivers-mugu-july-office.png")

    # A sample with dissolved oxygen above saturation is refused, the field named; then saved.
    page.goto(f"{live_server.url}/rivers/samples/new?point=MUG-09")
    assert page.input_value("input[name=date]") == "2017-12-08"  # today by default
    values = {"depth_cm": "60", "transparency_cm": "30", "do_mg_l": "35", "orp_mv": "80", "nh3n_mg_l": "3.5"}
    for name, value in values.items():
        page.fill(f"input[name={name}]", value)
    page.fill("input[name=sampler]", "刘庆良")
    page.click("[data-testid=save-sample]")
    page.wait_for_load_state()
    assert "溶解氧" in page.inner_text("[data-testid=error-do_mg_l]")
    page.screenshot(path=screenshots / "rivers-sample-refused-office.png", full_page=True)
    page.fill("input[name=do_mg_l]", "3.8")
    page.fill("input[name=date]", "2017-12-07")  # Friday's round is on file: this one is Thursday's
    page.click("[data-testid=save-sample]")
    page.wait_for_load_state()
    assert "已录入" in page.inner_text(".messages")
    assert Sample.objects.filter(point__code="MUG-09", taken_on="2017-12-07", sampler="刘庆良").exists()

    # An import with one impossible row: nothing saved, the row and column named.
    table = tmp_path / "samples.csv"
    table.write_text(
        "body,point,date,depth_cm,transparency_cm,do_mg_l,orp_mv,nh3n_mg_l,sampler\n"
        "mugu,MUG-01,2017-12-06,60,35,4.1,90,3.2,采样组\n"
        "mugu,MUG-02,2017-12-06,60,35,4.1,90,-3,采样组\n",
        encoding="utf-8-sig",
    )
    before = Sample.objects.count()
    page.goto(f"{live_server.url}/rivers/samples/import")
    page.set_input_files("input[name=file]", str(table))
    page.click("[data-testid=import]")
    page.wait_for_load_state()
    report = page.inner_text("[data-testid=import-errors]")
    assert "3" in report and "氨氮" in report and Sample.objects.count() == before
    page.screenshot(path=screenshots / "rivers-import-report-office.png", full_page=True)

    # A survey for 鹅公岭河 with enough valid questionnaires.
    page.goto(f"{live_server.url}/rivers/bodies/egongling/surveys/")
    for name, value in {"held_from": "2017-12-04", "held_to": "2017-12-08", "responses": "126", "valid": "118",
                        "satisfied": "109"}.items():  # fmt: skip
        page.fill(f"input[name={name}]", value)
    page.click("[data-testid=save-survey]")
    page.wait_for_load_state()
    assert "达到满意度要求" in page.inner_text("[data-testid=surveys]")
    assert Survey.objects.filter(body__code="egongling", valid=118).exists()
    no_overflow(page, CONSOLE["width"])
    page.screenshot(path=screenshots / "rivers-surveys-office.png", full_page=True)
    assert problems == []

    phone = new_page(viewport=PHONE)
    phone_problems = watch(phone)
    log_in(phone, f"{live_server.url}/rivers/bodies/mugu/")
    phone.locator("[data-chart=chart-indicators] canvas").wait_for(timeout=5000)
    phone.wait_for_timeout(500)
    no_overflow(phone, PHONE["width"])
    phone.screenshot(path=screenshots / "rivers-mugu-phone-top.png")
    phone.screenshot(path=screenshots / "rivers-mugu-phone.png", full_page=True)
    phone.goto(f"{live_server.url}/rivers/samples/new")
    no_overflow(phone, PHONE["width"])
    phone.screenshot(path=screenshots / "rivers-sample-form-phone.png", full_page=True)
    phone.goto(f"{live_server.url}/rivers/")
    no_overflow(phone, PHONE["width"])
    phone.screenshot(path=screenshots / "rivers-overview-phone.png", full_page=True)
    assert phone_problems == []
