"""The clerk's workstation at /console/: sign in, call and serve, take a case, hand over, acknowledge."""

import re

import pytest
from django.db import transaction

from weimin.cases.models import Case
from weimin.cases.tests.conftest import ADULT
from weimin.core import clock
from weimin.shifts.models import Handover
from weimin.tickets import actions, changes, queue
from weimin.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_console_needs_a_login_then_signs_in_and_calls(client, clerk, window):
    assert client.get("/console/").status_code == 302
    client.force_login(clerk)
    assert client.get("/console/").status_code == 302  # already on duty: straight to the window
    actions.issue_ticket(window.hall, window.items.get(), clock.now())
    panel = client.post(f"/console/{window.pk}/call-next", HTTP_HX_REQUEST="true").content.decode()
    assert "B001" in panel
    panel = client.post(f"/console/{window.pk}/call-next", HTTP_HX_REQUEST="true").content.decode()
    assert "仍有B001号" in panel  # refused, with the reason
    client.post(f"/console/{window.pk}/complete", HTTP_HX_REQUEST="true")
    assert Ticket.objects.get().status == "completed"
    signed_out = client.post(f"/console/{window.pk}/sign-out", follow=True).content.decode()
    assert "已签退5号窗口，今日服务1位。" in signed_out  # a clean sign-out says so
    assert "在此上岗" in signed_out


def test_unknown_console_button_is_not_a_page(client, clerk, window):
    client.force_login(clerk)
    assert client.post(f"/console/{window.pk}/explode").status_code == 404


def test_intake_form_decides_and_prints(client, clerk, window, at_window):
    client.force_login(clerk)
    page = client.get(f"/console/{window.pk}/case/").content.decode()
    assert "建设工程消防验收申报表" in page and "补正" in page
    # Every material starts 未核验: nothing is accepted by default.
    assert re.search(r'value=""[^>]*checked', page) and not re.search(r'value="present"[^>]*checked', page)
    unchecked = client.post(
        f"/console/{window.pk}/case/", {"kind": "person", "name": "张先生", "id_number": ADULT, "decision": "accept"}
    )
    assert unchecked.status_code == 200 and "请核验此项材料" in unchecked.content.decode()
    lines = {f"state_{m.pk}": "present" for m in at_window.item.materials.all()}
    bad = client.post(
        f"/console/{window.pk}/case/",
        {"kind": "person", "name": "张先生", "id_number": "340524198001010013", "decision": "accept", **lines},
    )
    assert bad.status_code == 200 and "身份证号码无效" in bad.content.decode()
    assert not Case.objects.exists()  # intake and decision together, or neither
    good = client.post(
        f"/console/{window.pk}/case/",
        {"kind": "person", "name": "张先生", "id_number": ADULT, "decision": "accept", **lines},
    )
    assert good.status_code == 302
    notice = client.get(good["Location"]).content.decode()
    assert "受理通知书" in notice and "340524********001X" in notice
    assert "经办窗口：5号窗口　经办人：huang" in notice and "申请人签收" in notice and "返回窗口工作台" in notice


def test_the_successor_acknowledges_a_handover(client, clerk, window, hall, item, make_clerk):
    from weimin.halls.models import Window

    other = Window.objects.create(hall=hall, number=6)
    other.items.add(item)
    li = make_clerk("li", other)
    actions.issue_ticket(hall, item, clock.now())
    actions.call_next(clerk, window, clock.now())
    Window.objects.create(hall=hall, number=7)  # wang holds a window that does not serve the item
    make_clerk("wang", Window.objects.get(number=7))
    client.force_login(clerk)
    # Something in hand: the sign-out asks first, naming it and offering who can take it, the hall last.
    asked = client.post(f"/console/{window.pk}/sign-out")
    page = asked.content.decode()
    assert asked.status_code == 200 and not Handover.objects.exists()
    assert "B001" in page and "交接并签退" in page
    assert f'value="{li.pk}" selected' in page and "li（6号窗口）" in page and "wang" not in page
    assert page.index(f'value="{li.pk}"') < page.index('value="hall"')
    done = client.post(f"/console/{window.pk}/sign-out", {"successor": li.pk, "confirm": "B001"}, follow=True)
    assert "已交接给li（6号窗口）：B001" in done.content.decode()
    handover = Handover.objects.get()
    assert handover.successor == li and handover.acknowledged_at is None
    client.force_login(li)
    assert "B001" in client.get(f"/console/{other.pk}/").content.decode()
    client.post(f"/console/handovers/{handover.pk}/acknowledge")
    handover.refresh_from_db()
    assert handover.acknowledged_at is not None


def test_a_window_shows_only_to_its_holder_and_the_halls_managers(
    client, clerk, window, at_window, make_staff, district
):
    """The attack: any logged-in user (a Pinghu clerk) read the ticket, masked ID and applicant at a window."""
    from weimin.halls.models import Hall

    pinghu = Hall.objects.create(district=district, code="pinghu", name="平湖街道行政服务大厅", kind="subdistrict")
    for outsider in (make_staff("ping-01", "window_staff", halls=[pinghu]), make_staff("li", "window_staff")):
        client.force_login(outsider)
        for page in ("", "panel", "case/"):
            assert client.get(f"/console/{window.pk}/{page}").status_code == 404
        assert client.post(f"/console/{window.pk}/complete").status_code == 404
    client.force_login(make_staff("wu", "hall_manager"))
    assert "B001" in client.get(f"/console/{window.pk}/").content.decode()


def test_a_clerk_takes_a_case_from_the_halls_pool_at_the_console(client, clerk, window, at_window, make_clerk):
    from weimin.cases import actions as case_actions
    from weimin.cases.tests.conftest import checks

    case = case_actions.open_case(
        clerk, at_window, clock.now(), kind="person", name="张先生", id_number=ADULT, materials=checks(form="present")
    )
    case_actions.hand_over_case(clerk, case, None, clock.now(), window=window, reason="sign_out")
    client.force_login(clerk)
    panel = client.get(f"/console/{window.pk}/panel").content.decode()
    assert "大厅待领办件" in panel and case.number in panel
    taken = client.post(f"/console/{window.pk}/pool/{case.number}/take", follow=True).content.decode()
    assert f"办件{case.number}已由您接手" in taken
    case.refresh_from_db()
    assert case.clerk == clerk
    again = client.post(f"/console/{window.pk}/pool/{case.number}/take", follow=True).content.decode()
    assert "已不在大厅待领池" in again


def test_the_window_list_names_colleagues_and_a_clean_sign_out_can_log_out(
    client, clerk, window, hall, item, make_clerk
):
    from weimin.accounts.models import StaffProfile
    from weimin.halls.models import Window

    li = make_clerk("li", Window.objects.create(hall=hall, number=6))
    StaffProfile.objects.filter(user=li).update(display_name="李明")
    client.force_login(make_clerk("wang"))
    cards = client.get("/console/").content.decode()
    assert "李明在岗" in cards and "li在岗" not in cards
    client.force_login(clerk)
    out = client.post(f"/console/{window.pk}/sign-out", {"logout": "1"})
    assert out.status_code == 302 and out["Location"] == "/login/"
    assert client.get("/console/").status_code == 302  # logged out: the console asks for a login


def test_what_arrives_between_the_question_and_the_answer_is_asked_again(client, clerk, window, hall, item):
    from weimin.shifts.models import Handover

    actions.issue_ticket(hall, item, clock.now())
    actions.call_next(clerk, window, clock.now())
    client.force_login(clerk)
    again = client.post(f"/console/{window.pk}/sign-out", {"confirm": "B001,B002", "successor": "hall"})
    assert again.status_code == 200 and "请再核对" in again.content.decode() and not Handover.objects.exists()


def test_the_panel_answers_304_until_the_hall_or_the_minute_moves(
    client, clerk, window, freeze, django_capture_on_commit_callbacks
):
    freeze("2017-12-08 18:30")
    client.force_login(clerk)
    url = f"/console/{window.pk}/panel"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        actions.issue_ticket(window.hall, window.items.get(), clock.now())  # someone waits now
    waiting = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert waiting.status_code == 200 and "B001" in waiting.content.decode()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        changes.bump(window.hall_id, {"kind": "rated", "window": 9})  # elsewhere in the hall: nothing shown here
    elsewhere = client.get(url, headers={"If-None-Match": waiting["ETag"]})
    assert elsewhere.status_code == 304 and elsewhere["ETag"] != waiting["ETag"]  # read, not rendered
    freeze("2017-12-08 18:31")
    assert client.get(url, headers={"If-None-Match": elsewhere["ETag"]}).status_code == 200


def test_a_visitor_completed_while_the_panel_is_read_is_gone_at_the_next_ask(
    client, clerk, window, monkeypatch, django_capture_on_commit_callbacks
):
    """The panel's tag vouches only for what was read after the hall's version it names: a ticket
    completed while the panel is read (by another thread of a real server: the clerk's key) must not stay
    on the screen behind 304s until the hall moves again."""
    with django_capture_on_commit_callbacks(execute=True):
        issued = actions.issue_ticket(window.hall, window.items.get(), clock.now())
        actions.call_next(clerk, window, clock.now())
    outlook = queue.window_outlook

    def completed_meanwhile(*args):
        with django_capture_on_commit_callbacks(execute=True):
            actions.complete(clerk, issued.ticket, clock.now())
        return outlook(*args)

    client.force_login(clerk)
    url = f"/console/{window.pk}/panel"
    with monkeypatch.context() as patched:
        patched.setattr(queue, "window_outlook", completed_meanwhile)
        stale = client.get(url)
    assert 'data-testid="current-number">B001' in stale.content.decode()  # read before the key
    again = client.get(url, headers={"If-None-Match": stale["ETag"]})
    assert again.status_code == 200 and "current-number" not in again.content.decode()


def test_the_panel_lists_the_next_from_the_snapshot_and_reads_little(
    client, clerk, window, freeze, django_capture_on_commit_callbacks, django_assert_max_num_queries, statements
):
    """Every open console polls its panel: a 304 reads who asks (the session; the user with roles and halls)
    and, in one statement, the window's holder and the handovers waiting; a render lists the next from the
    hall's queue snapshot, read once per change of the hall for all its consoles (here: the two queries of
    the snapshot, the version)."""
    freeze("2017-12-08 18:30")
    client.force_login(clerk)
    url = f"/console/{window.pk}/panel"
    client.get(url)  # the process's reference data loaded
    with django_capture_on_commit_callbacks(execute=True):
        actions.issue_ticket(window.hall, window.items.get(), clock.now())
        actions.issue_ticket(window.hall, window.items.get(), clock.now(), priority="elderly")
    with django_assert_max_num_queries(13):
        first = client.get(url)
    listed = re.sub(r"\s+", " ", first.content.decode())
    assert "<strong>B002</strong>" in listed and "老年人（60岁以上）" in listed and "<strong>B001</strong>" in listed
    assert listed.index("B002") < listed.index("B001")  # the priority lane first, as call-next takes them
    assert "普通" not in listed  # the normal lane is not labelled
    with statements() as sql:
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert len(sql) == 3 and "shifts_duty" in sql[2] and "shifts_handover" in sql[2]


def test_the_transfer_form_offers_the_halls_items_and_other_windows_as_they_are_now(
    client, clerk, window, hall, item, at_window, settings
):
    """Its choices are rendered once per window, language and set of choices: a window added shows at once
    (its save clears the process's reference data), and each language has its own."""
    from weimin.halls.models import Window

    Window.objects.create(hall=hall, number=6)
    client.force_login(clerk)
    url = f"/console/{window.pk}/panel"

    def offered() -> tuple[list[str], list[str]]:
        page = client.get(url).content.decode()
        return re.findall(r'<option value="([\w-]+)">', page), re.findall(r"转到事项|To item", page)

    windows_by_number = {w.number: str(w.pk) for w in Window.objects.filter(hall=hall)}
    assert offered() == ([item.code, windows_by_number[6]], ["转到事项"])  # not window 5: it is this one
    Window.objects.create(hall=hall, number=7)
    windows_by_number = {w.number: str(w.pk) for w in Window.objects.filter(hall=hall)}
    assert offered() == ([item.code, windows_by_number[6], windows_by_number[7]], ["转到事项"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert offered()[1] == ["To item"]
