from itertools import permutations

import pytest
from django.core.management import call_command

from weimin.cases import actions as case_actions
from weimin.cases.tests.conftest import ADULT, checks
from weimin.core import clock
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.core.integrity import all_problems
from weimin.halls.models import Window
from weimin.shifts import actions
from weimin.shifts.models import Duty, Handover
from weimin.tickets import actions as ticket_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_windows(hall, item, window, make_clerk, freeze):
    """Clerks huang (window 5), li (6) and wang (7), all serving the item, on the Friday evening."""
    freeze("2017-12-08 18:30")
    clerks = {}
    for name, number in [("huang", 5), ("li", 6), ("wang", 7)]:
        desk = window if number == 5 else Window.objects.create(hall=hall, number=number)
        desk.items.add(item)
        clerks[name] = make_clerk(name, desk)
        clerks[name].staff_profile.skills.add(item)
    return clerks


def busy(clerk, hall, item, window):
    """A ticket at the clerk's window and a case awaiting the clerk's decision."""
    ticket_actions.issue_ticket(hall, item, clock.now())
    ticket = ticket_actions.call_next(clerk, window, clock.now())
    case = case_actions.open_case(
        clerk, ticket, clock.now(), kind="person", name="张先生", id_number=ADULT, materials=checks(form="present")
    )
    return ticket, case


def test_sign_out_hands_everything_to_the_chosen_successor(three_windows, hall, item, window):
    huang, li = three_windows["huang"], three_windows["li"]
    ticket, case = busy(huang, hall, item, window)
    handover = actions.sign_out(huang, window, clock.now(), successor=li)
    assert [(i.kind, i.label) for i in handover.items.all()] == [("ticket", ticket.number), ("case", case.number)]
    assert handover.successor == li and handover.open
    ticket.refresh_from_db()
    case.refresh_from_db()
    li_window = Window.objects.get(hall=hall, number=6)
    assert ticket.status == "waiting" and ticket.target_window == li_window and ticket.front
    assert case.clerk == li
    assert all_problems() == []
    # The successor serves the ticket first and decides the case.
    assert ticket_actions.call_next(li, li_window, clock.now()) == ticket
    case_actions.decide(li, case, clock.now(), "accept", materials=checks(product="present", proxy="present"))
    with pytest.raises(NotPermitted):
        actions.acknowledge(three_windows["wang"], handover, clock.now())
    assert actions.acknowledge(li, handover, clock.now()).acknowledged_at is not None


def test_the_system_proposes_a_successor_by_skills(three_windows, hall, item, window):
    huang, li, wang = three_windows["huang"], three_windows["li"], three_windows["wang"]
    li.staff_profile.skills.clear()
    ticket, case = busy(huang, hall, item, window)
    assert actions.sign_out(huang, window, clock.now()).successor == wang


def test_successor_must_be_on_duty_here(three_windows, hall, item, window, make_clerk):
    huang = three_windows["huang"]
    busy(huang, hall, item, window)
    absent = make_clerk("absent")
    with pytest.raises(InvalidInput) as refused:
        actions.sign_out(huang, window, clock.now(), successor=absent)
    assert refused.value.field == "successor"
    assert Duty.objects.open().filter(user=huang).exists()  # nothing changed


def test_nothing_in_hand_means_no_handover(three_windows, window):
    assert actions.sign_out(three_windows["huang"], window, clock.now()) is None
    assert not Handover.objects.exists()


@pytest.mark.parametrize("order", list(permutations(["huang", "li", "wang"])))
def test_ownership_invariant_under_sign_outs_in_any_order(three_windows, hall, item, order):
    windows = {name: Duty.objects.open().get(user=user).window for name, user in three_windows.items()}
    for name, user in three_windows.items():
        busy(user, hall, item, windows[name])
        ticket_actions.issue_ticket(hall, item, clock.now())
    assert all_problems() == []
    for name in order:
        actions.sign_out(three_windows[name], windows[name], clock.now())
        assert all_problems() == []
    # After the last sign-out nothing is owned by an absent person: cases in the pool, tickets queued.
    from weimin.cases.models import Case
    from weimin.tickets.models import Ticket

    assert not Case.objects.filter(clerk__isnull=False, status="intake").exists()
    assert not Ticket.objects.filter(status__in=["called", "serving"]).exists()
    assert not Ticket.objects.filter(status="waiting", target_window__isnull=False).exists()


def test_a_closed_browser_signs_out_through_the_same_handover(three_windows, hall, item, window, freeze):
    huang = three_windows["huang"]
    busy(huang, hall, item, window)
    freeze("2017-12-08 18:50")  # huang closed the browser at 18:30; the others' consoles still poll
    for user in (three_windows["li"], three_windows["wang"]):
        actions.touch(Duty.objects.open().get(user=user), clock.now())
    call_command("expire-duties")
    handover = Handover.objects.get()
    assert handover.from_user == huang and handover.reason == "session_expired"
    assert handover.successor in (three_windows["li"], three_windows["wang"])
    assert not Duty.objects.open().filter(user=huang).exists()
    assert all_problems() == []


def test_a_held_window_is_refused_unless_a_window_wanted_receiver_frees_it(three_windows, hall, item, make_clerk):
    """shifts knows no receiver: one that signs the holder out through the normal actions lets the
    newcomer in; without one (or when it leaves the holder), the window stays refused."""
    from weimin.shifts.signals import window_wanted

    li, six = three_windows["li"], Window.objects.get(hall=hall, number=6)
    newcomer = make_clerk("zhao")
    with pytest.raises(Refused, match="6号窗口已由li上岗"):
        actions.sign_in(newcomer, six, clock.now())
    calls = []

    def free_it(sender, *, window, holder, user, now, **kwargs):
        calls.append((window, holder.user, user, now))
        if user == newcomer:
            actions.sign_out(holder.user, window, now)

    window_wanted.connect(free_it)
    try:
        seven = Window.objects.get(hall=hall, number=7)
        with pytest.raises(Refused, match="7号窗口已由wang上岗"):
            actions.sign_in(make_clerk("qian"), seven, clock.now())  # the receiver leaves wang there
        duty = actions.sign_in(newcomer, six, clock.now())
    finally:
        window_wanted.disconnect(free_it)
    assert [(w.number, holder.username, user.username) for w, holder, user, _now in calls] == [
        (7, "wang", "qian"),
        (6, "li", "zhao"),
    ]
    assert duty.user == newcomer and Duty.objects.open().get(window=six) == duty
    assert not Duty.objects.open().filter(user=li).exists()
    assert not duty.yields  # no receiver says it would give the window up
    assert all_problems() == []


def test_the_back_office_cannot_end_or_move_a_duty(client, three_windows, hall):
    """Editing the row would skip the handover: the duty log is read-only in the admin."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    client.force_login(User.objects.create_superuser("root", password="x"))
    duty = Duty.objects.open().get(user=three_windows["huang"])
    url = reverse("admin:shifts_duty_change", args=[duty.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="ended_at' not in page.content.decode()
    client.post(url, {"ended_at_0": "2017-12-08", "ended_at_1": "18:40:00", "window": duty.window_id})
    duty.refresh_from_db()
    assert duty.ended_at is None
    assert client.get(reverse("admin:shifts_duty_add")).status_code == 403
    assert client.get(reverse("admin:shifts_duty_changelist")).status_code == 200


# --- issue 10: who can take what, the hall's open items, the pool ---


def test_the_successor_list_offers_everyone_who_can_take_the_items_best_first(three_windows, hall, item, window):
    from weimin.shifts.queries import in_hand, successors

    huang, li, wang = three_windows["huang"], three_windows["li"], three_windows["wang"]
    Window.objects.get(number=7).items.clear()  # wang's window no longer serves the ticket's item
    li.staff_profile.skills.clear()  # li cannot take the case
    ticket, case = busy(huang, hall, item, window)
    current, fast_lane, cases = in_hand(huang, window)
    found = successors(huang, window, [current], cases)
    assert [(s.user, s.takes, s.takes_all) for s in found] == [
        (li, (ticket.number,), False),
        (wang, (case.number,), False),
    ]


def test_a_handover_to_the_hall_stays_open_item_by_item_until_someone_takes_each(
    three_windows, hall, item, window, manager, freeze, settings
):
    from weimin.shifts.queries import open_hall_handovers

    huang, li = three_windows["huang"], three_windows["li"]
    ticket, case = busy(huang, hall, item, window)
    handover = actions.sign_out(huang, window, clock.now(), to_hall=True)
    assert handover.successor is None
    ticket.refresh_from_db()
    case.refresh_from_db()
    assert ticket.front and ticket.target_window is None and case.clerk is None
    [(found, items)] = open_hall_handovers(hall)
    assert found == handover and [(i.item.label, i.open) for i in items] == [(ticket.number, True), (case.number, True)]
    # Past WEIMIN_POOL_CASE_MAX_HOURS, `weimin integrity` counts the case still waiting in the pool.
    settings.WEIMIN_POOL_CASE_MAX_HOURS = 1
    assert all_problems() == []
    freeze("2017-12-08 19:31")
    assert [p["check"] for p in all_problems()] == ["case_pool_waiting"]
    # li's window calls the ticket first; the manager gives the case to li: the handover closes.
    li_window = Window.objects.get(number=6)
    assert ticket_actions.call_next(li, li_window, clock.now()) == ticket
    [(found, items)] = open_hall_handovers(hall)
    assert [(i.item.label, i.open, i.now_with) for i in items] == [
        (ticket.number, False, "6号窗口"),
        (case.number, True, ""),
    ]
    with pytest.raises(NotPermitted):
        case_actions.take_case(make_outsider(hall), case, clock.now())
    case_actions.take_case(manager, case, clock.now(), clerk=li)
    case.refresh_from_db()
    assert case.clerk == li and open_hall_handovers(hall) == [] and all_problems() == []
    with pytest.raises(Refused):
        case_actions.take_case(three_windows["wang"], case, clock.now())


def test_what_the_chosen_successor_cannot_take_goes_to_the_hall(three_windows, hall, item, window):
    from weimin.shifts.queries import open_hall_handovers

    huang, li = three_windows["huang"], three_windows["li"]
    li.staff_profile.skills.clear()  # li's window serves the ticket's item; li's skills do not cover the case
    ticket, case = busy(huang, hall, item, window)
    handover = actions.sign_out(huang, window, clock.now(), successor=li)
    assert [(i.label, i.to_hall) for i in handover.items.all()] == [(ticket.number, False), (case.number, True)]
    ticket.refresh_from_db()
    case.refresh_from_db()
    assert ticket.target_window == Window.objects.get(number=6) and case.clerk is None
    [(found, items)] = open_hall_handovers(hall)
    assert found == handover and [(i.item.label, i.open) for i in items] == [(case.number, True)]


def make_outsider(hall):
    """Window staff of the hall who is not signed in at any window."""
    from django.contrib.auth.models import Group, User

    from weimin.accounts.models import StaffProfile

    user = User.objects.create(username="off-duty")
    user.groups.add(Group.objects.get(name="window_staff"))
    StaffProfile.objects.create(user=user).halls.add(hall)
    return user


def test_a_consoles_standing_is_its_holder_and_the_readers_handovers_newest_first(
    three_windows, hall, window, statements
):
    from datetime import timedelta

    from weimin.shifts.queries import console_standing

    huang, li = three_windows["huang"], three_windows["li"]
    now = clock.now()
    handed = [
        Handover.objects.create(
            hall=hall,
            window=window,
            from_user=huang,
            successor=li,
            reason="sign_out",
            created_at=now - timedelta(minutes=minutes),
            acknowledged_at=acknowledged,
        )
        for minutes, acknowledged in [(30, None), (5, None), (1, now)]
    ]
    with statements() as sql:
        standing = console_standing(window, li.pk)
    assert len(sql) == 1  # asked on every refresh of a console: one statement
    held = Duty.objects.get(window=window, ended_at__isnull=True)
    assert standing.holder == held and standing.holder.user_id == huang.pk
    assert (standing.holder.started_at, standing.holder.last_seen_at) == (held.started_at, held.last_seen_at)
    assert standing.handovers == [handed[1].pk, handed[0].pk]  # the acknowledged one is not waiting
    nobody = console_standing(Window.objects.create(hall=hall, number=9), huang.pk)
    assert nobody.holder is None and nobody.handovers == []
