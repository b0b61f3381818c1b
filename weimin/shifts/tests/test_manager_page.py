"""What the manager's page and the visitor see after a handover (issue 10): the hall's open items,
the pool, bad ratings before they are late, 补休 balances that are not zero, where to go."""

import pytest

from weimin.cases import actions as case_actions
from weimin.cases.tests.conftest import ADULT, checks
from weimin.core import clock
from weimin.halls.models import Window
from weimin.ratings import actions as ratings
from weimin.shifts import actions
from weimin.shifts.models import CompTimeEntry
from weimin.tickets import actions as ticket_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def li(hall, item, make_clerk, clerk):
    desk = Window.objects.create(hall=hall, number=6)
    desk.items.add(item)
    li = make_clerk("li", desk)
    li.staff_profile.skills.add(item)
    return li


def test_the_visitor_and_the_display_are_told_where_to_go_after_a_handover(client, clerk, li, hall, item, window):
    issued = ticket_actions.issue_ticket(hall, item, clock.now())
    ticket_actions.call_next(clerk, window, clock.now())
    actions.sign_out(clerk, window, clock.now(), successor=li)
    mine = client.get(f"/t/{issued.token}/status").content.decode()
    assert "请到6号窗口" in mine.replace(" ", "")
    feed = client.get(f"/halls/{hall.code}/display/feed").json()
    assert feed["sent"] == [{"number": issued.ticket.number, "window": 6}]


def test_the_manager_sees_the_halls_items_the_pool_new_bad_ratings_and_nonzero_balances(
    client, clerk, hall, item, window, manager, make_clerk
):
    ticket_actions.issue_ticket(hall, item, clock.now())
    ticket = ticket_actions.call_next(clerk, window, clock.now())
    case = case_actions.open_case(
        clerk, ticket, clock.now(), kind="person", name="张先生", id_number=ADULT, materials=checks(form="present")
    )
    served = ticket_actions.complete(clerk, ticket, clock.now())
    ratings.rate_ticket(served, clock.now(), level=1, comment="等太久")  # new today: not late yet
    make_clerk("zero")  # a 0.0 h balance is not listed
    CompTimeEntry.objects.create(user=clerk, day="2017-12-04", minutes=90, recorded_at=clock.now())
    actions.sign_out(clerk, window, clock.now())  # nobody else on duty: the case goes to the hall
    client.force_login(manager)
    page = client.get(f"/halls/{hall.code}/manage/").content.decode()
    assert "所有交接均已确认" not in page
    assert "大厅（未指定接手人）" in page and case.number in page and "在大厅待领池" in page
    assert "待领池中没有办件" not in page and "目前无人在岗可接手" in page
    follow_ups = page.split("待跟进的差评", 1)[1].split("补休", 1)[0]
    assert "非常不满意" in follow_ups and "已逾期" not in follow_ups
    assert "1.5 h" in page and "zero" not in page
    # A clerk signs in; the manager assigns the case; the handover's item is taken.
    li_window = Window.objects.create(hall=hall, number=6)
    li = make_clerk("li", li_window)
    done = client.post(f"/halls/{hall.code}/pool/{case.number}/assign", {"clerk": li.pk}, follow=True)
    page = done.content.decode()
    assert f"办件{case.number}已交由li负责" in page and "待领池中没有办件" in page
    assert "所有交接均已确认" in page


def test_the_manager_sends_a_ticket_handed_to_the_hall_to_a_window(client, clerk, hall, item, window, manager):
    issued = ticket_actions.issue_ticket(hall, item, clock.now())
    ticket_actions.call_next(clerk, window, clock.now())
    actions.sign_out(clerk, window, clock.now(), to_hall=True)
    desk = Window.objects.create(hall=hall, number=6)
    desk.items.add(item)
    actions.sign_in(clerk, desk, clock.now())
    client.force_login(manager)
    page = client.get(f"/halls/{hall.code}/manage/").content.decode()
    assert "排在队列最前，等待叫号" in page and 'data-testid="send-ticket"' in page
    sent = client.post(f"/halls/{hall.code}/handed-tickets/{issued.ticket.pk}/send", {"window": desk.pk}, follow=True)
    page = sent.content.decode()
    assert f"{issued.ticket.number}号将在6号窗口下一个办理" in page and "所有交接均已确认" in page
    issued.ticket.refresh_from_db()
    assert issued.ticket.target_window == desk and issued.ticket.front
    refused = client.post(f"/halls/{hall.code}/handed-tickets/{issued.ticket.pk}/send", {"window": "x"}, follow=True)
    assert "请选择本大厅的窗口" in refused.content.decode()


def test_the_manager_calls_the_rater_back_and_closes_the_follow_up(
    client, clerk, hall, item, window, manager, make_staff
):
    """A bad rating's call-back number is read whole by whoever handles the follow-up, masked for anyone
    else; contact and resolution are recorded from the page, a wrong answer loses nothing."""
    ticket_actions.issue_ticket(hall, item, clock.now())
    served = ticket_actions.complete(clerk, ticket_actions.call_next(clerk, window, clock.now()), clock.now())
    follow_up = ratings.rate_ticket(served, clock.now(), level=1, comment="等太久", phone="13912345678").follow_up
    office = make_staff("office", "district_office", halls=[])
    client.force_login(office)
    page = client.get(f"/halls/{hall.code}/manage/").content.decode()
    assert "13912345678" not in page and "139****5678" in page and 'data-testid="contacted"' not in page
    assert client.post(f"/halls/{hall.code}/follow-ups/{follow_up.pk}/contacted").status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.contacted_at is None  # the office reads, the hall's manager handles

    client.force_login(manager)
    page = client.get(f"/halls/{hall.code}/manage/").content.decode()
    assert 'href="tel:13912345678"' in page
    client.post(f"/halls/{hall.code}/follow-ups/{follow_up.pk}/contacted")
    follow_up.refresh_from_db()
    assert follow_up.contacted_at == clock.now() and follow_up.handled_by == manager
    refused = client.post(f"/halls/{hall.code}/follow-ups/{follow_up.pk}/resolve",
                          {"resolution": "explained", "note": "x" * 501}, follow=True)  # fmt: skip
    assert "最多 500 个字" in refused.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.resolved_at is None
    answer = {"resolution": "rectified", "note": "晚高峰增开一个窗口", "rater_answer": "满意"}
    done = client.post(f"/halls/{hall.code}/follow-ups/{follow_up.pk}/resolve", answer, follow=True)
    follow_up.refresh_from_db()
    assert (follow_up.resolution, follow_up.rater_answer) == ("rectified", "满意")
    assert "等太久" not in done.content.decode().split("待跟进的差评", 1)[1]
    assert client.post(f"/halls/other/follow-ups/{follow_up.pk}/contacted").status_code == 404
