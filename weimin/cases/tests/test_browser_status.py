"""Issue 10, point 8, on the applicant's phone: what to bring, the notice, and the same-day fast lane."""

import pytest

from weimin.cases.tests.conftest import ADULT, checks
from weimin.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_case_page_says_what_to_bring_and_how_to_come_back_tonight(new_page, live_server, screenshots,
                                                                        at_window, clerk, freeze):  # fmt: skip
    from weimin.cases import actions
    from weimin.core import clock

    case = actions.open_case(clerk, at_window, clock.now(), kind="person", name="张先生", id_number=ADULT,
                             phone="13800138000", materials=checks(form="missing", product="non_compliant",
                                                                   proxy="present"))  # fmt: skip
    notice = actions.decide(clerk, case, clock.now(), "correction")
    freeze("2017-12-08 18:50")
    phone = new_page(viewport=PHONE)
    phone.goto(f"{live_server.url}/cases/s/{notice.access_token}/")
    materials = phone.locator("[data-testid=supplements] .notice-materials li").all_inner_texts()
    assert materials == ["建设工程消防验收申报表 — 缺少", "消防产品质量合格证明文件 — 不合规"]
    lane = phone.inner_text("[data-testid=fast-lane]")
    assert "补正回访" in lane and "今天 19:30 前可办理" in lane
    phone.screenshot(path=screenshots / "case-status-supplements-phone.png", full_page=True)
    phone.click("[data-testid=notice-link]")
    phone.wait_for_url(f"**/notices/{notice.pk}/")
    assert "补正材料通知书" in phone.inner_text("main")
