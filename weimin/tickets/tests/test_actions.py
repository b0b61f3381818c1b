import hypothesis
import pytest
from django.test import override_settings
from hypothesis import strategies as st

from weimin.core import clock
from weimin.core.errors import InvalidInput, NotPermitted, Refused
from weimin.halls.models import Window
from weimin.tickets import actions, queue
from weimin.tickets.models import Ticket, TicketEvent
from weimin.tickets.rules import Status, in_queue_order

pytestmark = pytest.mark.django_db

ELDER = "11010519491231002X"  # born 1949: 67 on the article's Friday
ADULT = "34052419800101001X"


def take(hall, item, **kwargs):
    return actions.issue_ticket(hall, item, clock.now(), **kwargs).ticket


def events(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))


def test_numbers_per_hall_day_and_prefix(hall, window, item, freeze):
    freeze("2017-12-08 18:30")
    assert [take(hall, item).number for _ in range(3)] == ["B001", "B002", "B003"]
    freeze("2017-12-09 09:05")
    assert take(hall, item).number == "B001"  # a new business day starts again at 1


def test_ticket_at_18_40_before_and_after_the_extension(hall, window, item, freeze):
    freeze("2017-10-20 18:40")  # the Friday before 2017-10-23: closed since 18:00
    with pytest.raises(Refused) as refused:
        take(hall, item)
    assert refused.value.extra["next_opening"].startswith("2017-10-23T09:00")
    freeze("2017-10-23 18:40")
    assert take(hall, item).status == Status.WAITING


def test_cut_off_at_19_00(hall, window, item, freeze):
    freeze("2017-12-08 19:00")
    take(hall, item)
    freeze("2017-12-08 19:10")
    with pytest.raises(Refused) as refused:
        take(hall, item)
    assert "19:00" in refused.value.message
    assert refused.value.extra["next_opening"].startswith("2017-12-09T09:00")  # Saturday morning


@pytest.mark.parametrize(
    ("instant", "next_opening", "words"),
    [
        ("2026-10-01 10:00", "2026-10-08T09:00", "国庆节"),
        ("2017-10-04 10:00", "2017-10-09T09:00", "中秋节"),  # 2017: Mid-autumn fell inside the National Day week
        ("2026-02-17 10:00", "2026-02-24T09:00", "春节"),
    ],
)
def test_holiday_refusals_name_the_holiday_and_the_next_opening(
    hall, window, item, freeze, instant, next_opening, words
):
    freeze(instant)
    with pytest.raises(Refused) as refused:
        take(hall, item)
    assert refused.value.extra["next_opening"].startswith(next_opening)
    assert words in refused.value.message


def test_make_up_saturday_issues_tickets(hall, window, item, freeze):
    freeze("2026-02-14 18:40")
    assert take(hall, item).status == Status.WAITING


def test_unknown_item_at_this_hall_and_bad_inputs_name_the_field(hall, window, item, freeze):
    from weimin.halls.models import ServiceItem

    freeze("2017-12-08 18:30")
    other = ServiceItem.objects.create(
        code="x",
        name="未开办",
        department=item.department,
        category=item.category,
        handling_minutes=5,
        promised_days=1,
        statutory_days=1,
    )
    for kwargs, field in [
        ({"item": other}, "item"),
        ({"id_number": "340524198001010013"}, "id_number"),
        ({"phone": "call me"}, "phone"),
        ({"priority": "vip"}, "priority"),
        ({"priority": "appointment"}, "priority"),
    ]:
        with pytest.raises(InvalidInput) as invalid:
            actions.issue_ticket(hall, kwargs.pop("item", item), clock.now(), **kwargs)
        assert invalid.value.field == field


def test_elderly_priority_comes_from_the_id_number(hall, window, item, freeze):
    freeze("2017-12-08 18:30")
    assert take(hall, item, id_number=ELDER).priority == "elderly"
    assert take(hall, item, id_number=ADULT).priority == ""
    assert take(hall, item, id_number=ADULT, priority="pregnant").priority == "pregnant"
    ticket = take(hall, item, id_number=ADULT)
    assert ticket.id_masked == "340524********001X" and ADULT not in ticket.id_hash


def test_per_person_limit(hall, window, item, freeze):
    freeze("2017-12-08 18:30")
    for _ in range(3):
        take(hall, item, id_number=ADULT)
    with pytest.raises(Refused) as refused:
        take(hall, item, id_number=ADULT)
    assert refused.value.field == "id_number"
    take(hall, item, id_number=ELDER)  # another person is not affected
    with override_settings(WEIMIN_TICKETS_PER_PERSON_PER_DAY=5):
        take(hall, item, id_number=ADULT)


def test_call_next_requires_signing_in_and_one_ticket_at_a_time(hall, window, item, clerk, make_clerk):
    first, second = take(hall, item), take(hall, item)
    stranger = make_clerk("stranger")
    with pytest.raises(Refused, match="上岗"):
        actions.call_next(stranger, window, clock.now())
    called = actions.call_next(clerk, window, clock.now())
    assert (called, called.status, called.window) == (first, Status.CALLED, window)
    with pytest.raises(Refused) as refused:
        actions.call_next(clerk, window, clock.now())
    assert first.number in refused.value.message
    actions.complete(clerk, called, clock.now())
    assert actions.call_next(clerk, window, clock.now()) == second
    actions.complete(clerk, second, clock.now())
    assert actions.call_next(clerk, window, clock.now()) is None


def test_recall_then_no_show_then_rejoin(hall, window, item, clerk, freeze):
    ticket = take(hall, item)
    later = take(hall, item)
    actions.call_next(clerk, window, clock.now())
    for _ in range(3):
        actions.recall(clerk, ticket, clock.now())
    ticket = actions.recall(clerk, ticket, clock.now())  # the fourth: past the limit
    assert ticket.status == Status.NO_SHOW and ticket.window is None
    freeze("2017-12-08 18:50")
    ticket = actions.rejoin(clerk, ticket, clock.now())
    assert ticket.status == Status.WAITING and ticket.number == "B001"
    # Rejoined at the back: the ticket issued after it is called first.
    assert actions.call_next(clerk, window, clock.now()) == later
    assert events(ticket) == ["issued", "called", "recalled", "recalled", "recalled", "no_show", "rejoined"]


def test_rejoin_only_the_same_day(hall, window, item, clerk, freeze):
    ticket = take(hall, item)
    actions.call_next(clerk, window, clock.now())
    actions.mark_no_show(clerk, ticket, clock.now())
    freeze("2017-12-09 09:10")
    with pytest.raises(Refused, match="不是今天"):
        actions.rejoin(clerk, ticket, clock.now())


def test_transfer_goes_to_the_front_keeping_priority_and_issue_time(hall, window, item, clerk, make_clerk, freeze):
    from weimin.halls.models import ServiceItem

    tax = ServiceItem.objects.create(
        code="tax",
        name="税务",
        department=item.department,
        category=item.category,
        handling_minutes=5,
        promised_days=1,
        statutory_days=1,
    )
    tax_window = Window.objects.create(hall=hall, number=9)
    tax_window.items.add(tax)
    waiting_for_tax = take(hall, tax)
    elder = take(hall, item, id_number=ELDER)
    issued_at = elder.issued_at
    actions.call_next(clerk, window, clock.now())
    freeze("2017-12-08 18:45")
    moved = actions.transfer(clerk, elder, clock.now(), item=tax)
    assert (moved.status, moved.item, moved.priority, moved.issued_at) == (Status.WAITING, tax, "elderly", issued_at)
    assert moved.number == "B002"  # keeps its number
    tax_clerk = make_clerk("tax", tax_window)
    assert actions.call_next(tax_clerk, tax_window, clock.now()) == moved  # ahead of the earlier tax ticket
    actions.complete(tax_clerk, moved, clock.now())
    assert actions.call_next(tax_clerk, tax_window, clock.now()) == waiting_for_tax
    transferred = TicketEvent.objects.get(ticket=moved, kind="transferred")
    assert transferred.detail == {"from_item": item.code, "to_item": "tax", "to_window": None}


def test_transfer_to_a_named_window(hall, window, item, clerk, make_clerk):
    other = Window.objects.create(hall=hall, number=6)
    other.items.add(item)
    ticket = take(hall, item)
    take(hall, item)
    actions.call_next(clerk, window, clock.now())
    actions.transfer(clerk, ticket, clock.now(), window=other)
    colleague = make_clerk("li", other)
    assert actions.call_next(colleague, other, clock.now()) == ticket
    with pytest.raises(InvalidInput):
        actions.transfer(colleague, ticket, clock.now())


def test_fair_alternation_of_priority_and_normal(hall, window, item, clerk):
    normal = [take(hall, item) for _ in range(3)]
    priority = [take(hall, item, priority="disabled") for _ in range(4)]
    order = []
    while (ticket := actions.call_next(clerk, window, clock.now())) is not None:
        order.append(ticket)
        actions.complete(clerk, ticket, clock.now())
    # At most two priority calls in a row while normal tickets wait.
    assert order == [priority[0], priority[1], normal[0], priority[2], priority[3], normal[1], normal[2]]


def test_only_the_holder_of_the_window_acts_on_its_ticket(hall, window, item, clerk, make_clerk):
    ticket = take(hall, item)
    actions.call_next(clerk, window, clock.now())
    other = Window.objects.create(hall=hall, number=6)
    colleague = make_clerk("li", other)
    with pytest.raises(NotPermitted):
        actions.complete(colleague, ticket, clock.now())


def test_position_and_estimated_wait(hall, window, item, clerk):
    tickets = [take(hall, item) for _ in range(4)]
    where = queue.position(tickets[3])
    assert where.ahead == 3
    assert where.estimated_wait_minutes == 90  # 3 × 30 minutes at one staffed window
    actions.call_next(clerk, window, clock.now())
    assert queue.position(tickets[3]).ahead == 2


def test_close_past_days(hall, window, item, clerk, freeze):
    waiting = take(hall, item)
    called = take(hall, item)
    actions.call_next(clerk, window, clock.now())
    freeze("2017-12-09 08:00")
    assert actions.close_past_days(clock.now()) == 2
    waiting.refresh_from_db()
    called.refresh_from_db()
    assert waiting.status == called.status == Status.CLOSED
    # Issued at 18:30, before the 19:00 cut-off: the visitor was owed service, and the record says so.
    assert TicketEvent.objects.get(ticket=called, kind="closed").detail == {"reason": "not_served_before_close"}


def test_queue_snapshot_is_shared_and_at_most_its_age_old(hall, window, item, clerk, settings):
    import time

    settings.WEIMIN_QUEUE_SNAPSHOT_SECONDS = settings.WEIMIN_QUEUE_SNAPSHOT_HEARD_SECONDS = 0.3
    tickets = [take(hall, item) for _ in range(3)]
    assert queue.position(tickets[2]).ahead == 2
    actions.call_next(clerk, window, clock.now())
    assert queue.position(tickets[2]).ahead == 2  # an estimate from the shared snapshot…
    time.sleep(0.35)
    assert queue.position(tickets[2]).ahead == 1  # …no older than the setting


def waiting_in(snapshot) -> list:
    """Every waiting ticket a snapshot holds, in queue order."""
    return sorted((w for lane in snapshot.lanes.values() for w in lane), key=in_queue_order)


def heard_here(capture_on_commit_callbacks, action, *args, **kwargs):
    """The action, its news heard by this process on commit, as the listener hears it."""
    with capture_on_commit_callbacks(execute=True):
        return action(*args, **kwargs)


def test_the_snapshot_moves_the_tickets_the_news_tells_of(
    hall,
    window,
    item,
    clerk,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    django_assert_max_num_queries,
    settings,
):
    """Brought up to date from the hall's news, the snapshot is the one a whole read gives."""
    from weimin.shifts.actions import sign_out

    settings.WEIMIN_QUEUE_SNAPSHOT_SECONDS = 60
    today = clock.now().date()

    def acting(action, *args, **kwargs):
        return heard_here(django_capture_on_commit_callbacks, action, *args, **kwargs)

    tickets = [acting(take, hall, item) for _ in range(4)]
    queue.snapshot(hall.pk, today)  # held by the process
    called = acting(actions.call_next, clerk, window, clock.now())
    acting(actions.transfer, clerk, called, clock.now(), window=window)  # back to the front of the queue
    acting(take, hall, item, id_number=ELDER)  # the priority lane
    with django_assert_num_queries(0):  # the news tells where each ticket now waits
        updated = queue.snapshot(hall.pk, today)
    queue.forget_snapshots()
    assert updated == queue.snapshot(hall.pk, today) and len(waiting_in(updated)) == 5
    assert [w.id for w in waiting_in(updated)][:4] == [t.pk for t in tickets]  # queue order kept
    assert queue.snapshot(hall.pk, today).shown[called.pk] == (called.number, "")

    # News that only names a ticket (from a process of an earlier release): that ticket is read again.
    unsaid = acting(take, hall, item)
    acting(actions.announce, hall.pk, "cancelled", ticket=unsaid.pk, number=unsaid.number)
    with django_assert_max_num_queries(2) as read:
        assert len(waiting_in(queue.snapshot(hall.pk, today))) == 6
    assert read.captured_queries and all('"tickets_ticket"."id" =' in q["sql"] for q in read.captured_queries)

    acting(sign_out, clerk, window, clock.now())  # news of no ticket: the staffed windows read again
    assert queue.snapshot(hall.pk, today).staffed_windows == frozenset()

    for _ in range(queue.MOST_TICKETS_TOLD + 1):
        acting(take, hall, item)
    with django_assert_max_num_queries(2):  # too many: the whole read (tickets, staffed windows)
        assert len(waiting_in(queue.snapshot(hall.pk, today))) == 6 + queue.MOST_TICKETS_TOLD + 1


@hypothesis.settings(
    max_examples=25, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(
    steps=st.lists(
        st.sampled_from(["take", "elder", "call", "complete", "no-show", "rejoin", "transfer", "cancel"]),
        min_size=1,
        max_size=16,
    )
)
def test_a_snapshot_kept_up_step_by_step_is_the_one_read_whole(
    steps, hall, window, item, clerk, django_capture_on_commit_callbacks, settings
):
    """Lane by lane, whatever the changes: the same lanes as a whole read, every visitor the same place."""
    from django.db import transaction

    from weimin.tickets.changes import hall_changes

    settings.WEIMIN_QUEUE_SNAPSHOT_SECONDS = settings.WEIMIN_QUEUE_SNAPSHOT_HEARD_SECONDS = 60
    today = clock.now().date()
    with transaction.atomic():
        hall_changes.forget()  # the versions an earlier example's rollback took back
        queue.forget_snapshots()
        at_window = missed = None
        for step in steps:
            with django_capture_on_commit_callbacks(execute=True):
                now = clock.now()
                if step in ("take", "elder"):
                    take(hall, item, priority="elderly" if step == "elder" else "")
                elif step == "call" and at_window is None:
                    at_window = actions.call_next(clerk, window, now)
                elif step == "complete" and at_window is not None:
                    at_window = actions.complete(clerk, at_window, now) and None
                elif step == "no-show" and at_window is not None:
                    missed, at_window = actions.mark_no_show(clerk, at_window, now), None
                elif step == "rejoin" and missed is not None:
                    missed = actions.rejoin(clerk, missed, now) and None
                elif step == "transfer" and at_window is not None:
                    at_window = actions.transfer(clerk, at_window, now, window=window) and None
                elif step == "cancel" and (first := Ticket.objects.filter(status=Status.WAITING).first()):
                    actions.cancel_ticket(first, now)
            kept = queue.snapshot(hall.pk, today)  # brought up to date from the news
            places = {t.pk: queue.position(t).ahead for t in Ticket.objects.filter(status=Status.WAITING)}
        queue.forget_snapshots()
        assert kept == queue.snapshot(hall.pk, today)
        assert places == {t.pk: queue.position(t).ahead for t in Ticket.objects.filter(status=Status.WAITING)}
        transaction.set_rollback(True)
    queue.forget_snapshots()


@pytest.mark.parametrize("listening", [True, False])
def test_a_snapshot_kept_up_by_news_heard_as_made_is_read_whole_only_now_and_then(
    listening,
    hall,
    window,
    item,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
    settings,
    monkeypatch,
    freeze,
):
    """While the process hears every change as it is made, an aged snapshot is brought up to date from the
    news (WEIMIN_QUEUE_SNAPSHOT_HEARD_SECONDS), for a number's placement too; polling for news, it is read
    whole once it is a second old, and a placement takes the one held. (Snapshots age by the monotonic
    clock, which the frozen one does not stop.)"""
    import time

    from weimin.core.feed import ChangeFeed

    monkeypatch.setattr(ChangeFeed, "listening", property(lambda feed: listening))
    settings.WEIMIN_QUEUE_SNAPSHOT_SECONDS, settings.WEIMIN_QUEUE_SNAPSHOT_HEARD_SECONDS = 1, 60
    freeze("2017-12-08 18:30")
    today = clock.now().date()
    heard_here(django_capture_on_commit_callbacks, take, hall, item)
    queue.snapshot(hall.pk, today)  # held by the process
    time.sleep(1.1)  # past the second; the reads below come well within the next one
    newest = heard_here(django_capture_on_commit_callbacks, take, hall, item)
    with django_assert_max_num_queries(2) as read:
        assert [w.id for w in waiting_in(queue.snapshot(hall.pk, today))][-1] == newest.pk
    assert bool(read.captured_queries) is not listening  # placed as the news tells, or the whole read
    placed = heard_here(django_capture_on_commit_callbacks, take, hall, item)
    with django_assert_max_num_queries(2) as read:  # a number's placement: polling, the snapshot held
        held = {w.id for w in waiting_in(queue.snapshot(hall.pk, today, current=False))}
    assert (placed.pk in held) is listening and not read.captured_queries  # listening: moved as the news tells


def test_the_snapshot_is_read_whole_when_a_change_between_is_not_heard_yet(
    hall, window, item, freeze, django_capture_on_commit_callbacks, settings
):
    """Another process's change may be heard after this process's next one: a gap in the news."""
    settings.WEIMIN_QUEUE_SNAPSHOT_SECONDS = 60
    freeze("2017-12-08 18:30")
    today = clock.now().date()

    queue.snapshot(hall.pk, today)
    heard_here(django_capture_on_commit_callbacks, take, hall, item)
    unheard = take(hall, item)  # committed, its news not heard here yet
    heard_here(django_capture_on_commit_callbacks, take, hall, item)
    assert unheard.pk in {w.id for w in waiting_in(queue.snapshot(hall.pk, today))}
