"""The hall change feed (tickets/changes.py): every change bumps the hall's version and is told on commit
only; streams follow it; what still polls is answered 304 without a query when nothing changed."""

import json
import re
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from weimin.core import clock
from weimin.core.errors import Refused
from weimin.tickets import actions, changes, queue, views
from weimin.tickets.changes import hall_changes
from weimin.tickets.models import HallVersion


def kinds_after(hall, version):
    return [(about["kind"], about.get("number"), about.get("window")) for _, about in hall_changes.events_after(
        hall.pk, version)]  # fmt: skip


def test_every_change_bumps_the_hall_and_is_told_on_commit(
    hall, item, window, clerk, django_capture_on_commit_callbacks
):
    start = hall_changes.version(hall.pk)  # the clerk's sign-in already counted
    with django_capture_on_commit_callbacks(execute=True):
        issued = actions.issue_ticket(hall, item, clock.now())
    with django_capture_on_commit_callbacks(execute=True):
        actions.call_next(clerk, window, clock.now())
    with django_capture_on_commit_callbacks(execute=True):
        actions.complete(clerk, issued.ticket, clock.now())
    assert hall_changes.version(hall.pk) == start + 3
    assert kinds_after(hall, start) == [("issued", "B001", None), ("called", "B001", 5), ("completed", "B001", 5)]


def test_a_refused_change_tells_nobody(hall, item, window, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issued = actions.issue_ticket(hall, item, clock.now())
    before = hall_changes.version(hall.pk)
    with django_capture_on_commit_callbacks(execute=True) as told, pytest.raises(Refused):
        actions.complete(clerk, issued.ticket, clock.now())  # never called: an illegal transition
    assert told == [] and hall_changes.version(hall.pk) == before
    with (
        django_capture_on_commit_callbacks(execute=False) as told,  # rolled back: never told
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        actions.cancel_ticket(issued.ticket, clock.now())
        raise RuntimeError
    assert told == []


def test_the_display_feed_answers_304_without_a_query_until_the_hall_changes(
    client, hall, item, window, clerk, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("tickets:display-feed", args=[hall.code])
    first = client.get(url, {"after": 0})
    assert first.status_code == 200 and first["Cache-Control"] == "private, no-cache"
    with django_assert_num_queries(0):
        again = client.get(url, {"after": 0}, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.issue_ticket(hall, item, clock.now())
    changed = client.get(url, {"after": 0}, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert changed.json()["waiting"][0]["waiting"] == 1  # the snapshot was read again with the version
    other = client.get(url, {"after": 1}, headers={"If-None-Match": changed["ETag"]})
    assert other.status_code == 200  # another question, another tag


def test_the_ticket_status_answers_304_without_even_reading_the_token(
    client, hall, item, window, clerk, freeze, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = actions.issue_ticket(hall, item, clock.now())
    url = reverse("tickets:mine-status", args=[issued.token])
    answer = client.get(url)
    assert answer.status_code == 200
    # The first answer's tag is a version behind (its hall was known only once the ticket was read, see
    # shown_etag): the next ask reads once and is told 304 with the version read before; from then on, none.
    first = client.get(url, headers={"If-None-Match": answer["ETag"]})
    assert first.status_code == 304 and first["ETag"] != answer["ETag"]
    with django_assert_num_queries(0):
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    freeze("2017-12-08 18:31")  # what the page shows depends on no clock
    with django_assert_num_queries(0):
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        other = actions.issue_ticket(hall, item, clock.now())
    other_url = reverse("tickets:mine-status", args=[other.token])
    assert client.get(other_url, headers={"If-None-Match": first["ETag"]}).status_code == 200  # not this ticket's
    # The hall moved on, but a number issued behind this visitor changes nothing it shows: 304, with the
    # hall's new version in the tag (the next ask costs no query again).
    behind = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert behind.status_code == 304 and behind["ETag"] != first["ETag"]
    with django_assert_num_queries(0):
        assert client.get(url, headers={"If-None-Match": behind["ETag"]}).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        actions.call_next(clerk, window, clock.now())
    called = client.get(url, headers={"If-None-Match": behind["ETag"]})
    assert called.status_code == 200 and "go-to" in called.content.decode()


def test_a_change_made_while_the_status_is_read_shows_at_the_next_ask(
    client, hall, item, window, clerk, monkeypatch, django_capture_on_commit_callbacks
):
    """The tag vouches only for what was read after the hall's version it names: a call committed while
    the status is being read (by another thread of a real server) must not hide behind 304s until the
    hall moves again. Both ways in: the first ask (the hall known only from the ticket) and a held tag."""
    with django_capture_on_commit_callbacks(execute=True):
        first, second = (actions.issue_ticket(hall, item, clock.now()) for _ in range(2))
    by_token = views.ticket_by_token

    def called_meanwhile(token):
        ticket = by_token(token)
        with django_capture_on_commit_callbacks(execute=True):
            actions.call_next(clerk, window, clock.now())
        return ticket

    url = reverse("tickets:mine-status", args=[first.token])
    with monkeypatch.context() as patched:
        patched.setattr(views, "ticket_by_token", called_meanwhile)
        stale = client.get(url)
    assert stale.status_code == 200 and "go-to" not in stale.content.decode()  # read before the call
    again = client.get(url, headers={"If-None-Match": stale["ETag"]})
    assert again.status_code == 200 and "go-to" in again.content.decode()

    url = reverse("tickets:mine-status", args=[second.token])
    held = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        actions.complete(clerk, first.ticket, clock.now())  # the hall moves on: the next ask reads again
    with monkeypatch.context() as patched:
        patched.setattr(views, "ticket_by_token", called_meanwhile)
        stale = client.get(url, headers={"If-None-Match": held["ETag"]})
    assert stale.status_code == 304  # what it read (still waiting, first in line) is what the page holds
    again = client.get(url, headers={"If-None-Match": stale["ETag"]})
    assert again.status_code == 200 and "go-to" in again.content.decode()


def read_events(response, until, timeout=5.0, heard_at=None):
    """The stream's frames as (event id, data) until ``until(frames)`` holds; ``heard_at`` gets when each came."""
    frames, deadline = [], time.monotonic() + timeout
    for chunk in response.streaming_content:
        for block in chunk.decode().split("\n\n"):
            fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and line[0] != ":")
            if "id" in fields:  # a change (beats carry none)
                frames.append((int(fields["id"]), fields["data"]))
                if heard_at is not None:
                    heard_at.append(time.monotonic())
        if until(frames) or time.monotonic() > deadline:
            break
    response.close()
    return frames


@pytest.mark.django_db(transaction=True)
def test_the_stream_tells_a_call_made_in_another_thread(client, hall, item, window, clerk, settings):
    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 0.2
    issued = actions.issue_ticket(hall, item, clock.now())
    known = hall_changes.version(hall.pk)
    response = client.get(reverse("tickets:hall-events", args=[hall.code]), headers={"Last-Event-ID": str(known)})
    assert response["Content-Type"] == "text/event-stream" and response["Cache-Control"] == "no-cache"
    threading.Timer(0.3, lambda: actions.call_next(clerk, window, clock.now())).start()
    started = time.monotonic()
    frames = read_events(response, lambda frames: any('"called"' in data for _, data in frames))
    assert time.monotonic() - started < 1.5
    told = {"version": known + 1, "kind": "called", "number": issued.ticket.number, "window": 5, "moved": True,
            "windows": [5]}  # fmt: skip
    assert [(version, json.loads(data)) for version, data in frames] == [(known + 1, told)]


@pytest.mark.django_db(transaction=True)
def test_the_hall_stream_tells_whether_a_change_moved_anyones_place(client, hall, item, window, clerk, settings):
    """Consoles of other windows (push.js) skip a visitor served or completed: nobody's place moved."""
    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 0.2
    known = hall_changes.version(hall.pk)
    response = client.get(reverse("tickets:hall-events", args=[hall.code]), headers={"Last-Event-ID": str(known)})

    def the_visit():
        ticket = actions.issue_ticket(hall, item, clock.now()).ticket
        actions.call_next(clerk, window, clock.now())
        actions.start_serving(clerk, ticket, clock.now())
        actions.complete(clerk, ticket, clock.now())

    threading.Timer(0.3, the_visit).start()
    frames = read_events(response, lambda frames: len(frames) == 4, timeout=5)
    told = [(about["kind"], about["moved"]) for about in (json.loads(data) for _, data in frames)]
    assert told == [("issued", True), ("called", True), ("serving", False), ("completed", False)]


@pytest.mark.django_db(transaction=True)
def test_the_hall_stream_names_the_windows_whose_consoles_list_the_ticket(
    client, hall, item, window, clerk, manager, settings
):
    """A console (push.js) leaves alone the news of a ticket it does not list: only the windows serving its
    item — or the one window it was sent to — list it; a transfer, those it left and those it joined."""
    from weimin.halls.models import ServiceItem, Window

    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 0.2
    other = ServiceItem.objects.create(
        code="x", name="另一事项", department=item.department, category=item.category, handling_minutes=5,
        promised_days=1, statutory_days=1,
    )  # fmt: skip
    Window.objects.create(hall=hall, number=7).items.add(other)
    Window.objects.create(hall=hall, number=8).items.add(item, other)
    known = hall_changes.version(hall.pk)
    response = client.get(reverse("tickets:hall-events", args=[hall.code]), headers={"Last-Event-ID": str(known)})

    def the_changes():
        first = actions.issue_ticket(hall, item, clock.now()).ticket
        second = actions.issue_ticket(hall, other, clock.now()).ticket
        actions.issue_ticket(hall, item, clock.now())
        actions.call_next(clerk, window, clock.now())  # the first, at window 5
        actions.transfer(manager, second, clock.now(), item=item)
        actions.complete(clerk, first, clock.now())

    threading.Timer(0.3, the_changes).start()
    frames = read_events(response, lambda frames: len(frames) == 6, timeout=5)
    told = [(about["kind"], about.get("window"), about.get("windows")) for about in (json.loads(d) for _, d in frames)]
    assert told == [
        ("issued", None, [5, 8]),
        ("issued", None, [7, 8]),
        ("issued", None, [5, 8]),
        ("called", 5, [5, 8]),
        ("transferred", None, [5, 7, 8]),
        ("completed", 5, None),  # no one's place moved: no console but window 5's asks
    ]


@pytest.mark.django_db(transaction=True)
def test_a_visitors_stream_tells_only_what_changes_their_page(client, hall, item, window, clerk, settings):
    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 0.2
    ahead = actions.issue_ticket(hall, item, clock.now()).ticket
    mine = actions.issue_ticket(hall, item, clock.now())
    known = hall_changes.version(hall.pk)
    response = client.get(reverse("tickets:mine-events", args=[mine.token]))  # the page just loaded: as of now

    def the_evening():
        for act in (
            lambda: actions.issue_ticket(hall, item, clock.now()),  # behind: my place stays
            lambda: actions.call_next(clerk, window, clock.now()),  # the one ahead: my place moves
            lambda: actions.complete(clerk, ahead, clock.now()),  # nothing of mine
            lambda: actions.call_next(clerk, window, clock.now()),  # mine
        ):
            time.sleep(0.5)  # each heard on its own: the stream tells a batch of news whole
            act()

    threading.Thread(target=the_evening).start()
    frames = read_events(response, lambda frames: len(frames) == 3, timeout=5)
    first, page, called = (json.loads(data) for _, data in frames)
    assert first["kind"] == "resync"  # a first stream's first word: the page reads its part again
    assert 'data-testid="next-up"' in page["html"]  # the place moved: the page part itself, no news to ask on
    assert (called["kind"], called["number"]) == ("called", mine.ticket.number)  # named: the page asks
    assert [version for version, _ in frames] == [known, known + 2, known + 4]


@pytest.mark.django_db(transaction=True)
def test_a_visitors_stream_tells_their_call_at_once_and_a_moved_place_spread(
    client, hall, item, window, clerk, settings, monkeypatch
):
    # A call moves every phone's place in the hall: their streams' work is spread over the next moments.
    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 0.1
    settings.WEIMIN_PUSH_VISITOR_SPREAD_SECONDS = 0.6
    monkeypatch.setattr(changes.random, "uniform", lambda low, high: high)  # the latest moment
    ahead = actions.issue_ticket(hall, item, clock.now()).ticket
    mine = actions.issue_ticket(hall, item, clock.now())
    known = hall_changes.version(hall.pk)
    response = client.get(reverse("tickets:mine-events", args=[mine.token]), headers={"Last-Event-ID": str(known)})
    acted = []

    def the_evening():
        for at, act in (
            (0.2, lambda: actions.call_next(clerk, window, clock.now())),  # the one ahead: my place moves
            (0.3, lambda: actions.complete(clerk, ahead, clock.now())),  # told with it
            (1.2, lambda: actions.call_next(clerk, window, clock.now())),  # mine
        ):
            time.sleep(max(0.0, started + at - time.monotonic()))
            acted.append(time.monotonic())
            act()

    started = time.monotonic()
    threading.Thread(target=the_evening).start()
    heard_at = []
    frames = read_events(response, lambda frames: len(frames) == 2, heard_at=heard_at)
    page, called = (json.loads(data) for _, data in frames)
    assert 'data-testid="next-up"' in page["html"] and (called["kind"], called["number"]) == (
        "called",
        mine.ticket.number,
    )
    assert [version for version, _ in frames] == [known + 2, known + 3]  # the completion came with the page
    assert 0.5 <= heard_at[0] - acted[0] < 0.9  # the place moved: within the spread
    assert heard_at[1] - acted[2] < 0.3  # named: at once


@pytest.mark.django_db(transaction=True)
def test_a_visitors_judge_reads_no_place_for_news_that_moved_no_one(client, hall, item, window, clerk, settings,
                                                                    monkeypatch):  # fmt: skip
    # Every phone of the hall is judged on every change: a visitor served or completed costs them nothing.
    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 0.2
    ahead = actions.issue_ticket(hall, item, clock.now()).ticket
    mine = actions.issue_ticket(hall, item, clock.now())
    actions.call_next(clerk, window, clock.now())
    known = hall_changes.version(hall.pk)
    response = client.get(reverse("tickets:mine-events", args=[mine.token]))
    placed, position = [], queue.position
    monkeypatch.setattr(queue, "position", lambda ticket, **kw: placed.append(ticket.pk) or position(ticket, **kw))

    def the_visit():
        actions.start_serving(clerk, ahead, clock.now())
        actions.complete(clerk, ahead, clock.now())
        time.sleep(0.5)
        actions.issue_ticket(hall, item, clock.now())  # behind mine: judged, and nothing to tell

    threading.Timer(0.5, the_visit).start()  # after the stream's first word (its resync), read at once
    frames = read_events(response, lambda frames: False, timeout=2.0)
    assert [(version, json.loads(data)["kind"]) for version, data in frames] == [(known, "resync")]  # only
    assert placed == [mine.ticket.pk]  # for the issue only


@pytest.mark.django_db(transaction=True)
def test_a_moved_place_comes_as_the_status_part_in_the_visitors_language_with_a_form_that_works(
    hall, item, window, clerk, settings
):
    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 0.2
    for _ in range(2):
        actions.issue_ticket(hall, item, clock.now())
    mine = actions.issue_ticket(hall, item, clock.now())
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    visitor.get(reverse("tickets:mine", args=[mine.token]))
    known = hall_changes.version(hall.pk)
    response = visitor.get(reverse("tickets:mine-events", args=[mine.token]), headers={"Last-Event-ID": str(known)})
    threading.Timer(0.3, lambda: actions.call_next(clerk, window, clock.now())).start()
    frames = read_events(response, lambda frames: len(frames) == 1)
    assert [version for version, _ in frames] == [known + 1]
    page = json.loads(frames[0][1])["html"]
    assert "1 person ahead of you" in page  # rendered by the process's news thread, in the visitor's language
    status = visitor.get(reverse("tickets:mine-status", args=[mine.token])).content.decode()
    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert unmasked.sub("", page) == unmasked.sub("", status)  # what the page would have asked for
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cancelled = visitor.post(reverse("tickets:mine-cancel", args=[mine.token]), {"csrfmiddlewaretoken": token})
    assert cancelled.status_code == 302  # the part's form is the page's: its token passes the CSRF check
    mine.ticket.refresh_from_db()
    assert mine.ticket.status == "cancelled"


@pytest.mark.django_db(transaction=True)
def test_a_visitors_stream_taken_up_again_sends_the_place_moved_while_its_line_was_down(
    client, hall, item, window, clerk, settings
):
    # The phone shows two ahead, as of ``known``; its line drops, a call moves it up, the browser reconnects.
    # What the place is now is not what the page shows: the part is sent.
    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 0.2
    for _ in range(2):
        actions.issue_ticket(hall, item, clock.now())
    mine = actions.issue_ticket(hall, item, clock.now())
    known = hall_changes.version(hall.pk)
    actions.call_next(clerk, window, clock.now())
    response = client.get(reverse("tickets:mine-events", args=[mine.token]), headers={"Last-Event-ID": str(known)})
    frames = read_events(response, lambda frames: len(frames) == 1)
    assert [version for version, _ in frames] == [known + 1]
    assert "前面还有1人" in json.loads(frames[0][1])["html"]


@pytest.mark.django_db(transaction=True)
def test_visitors_news_wakes_only_the_streams_it_concerns_and_survives_a_broken_one(hall, item, window, freeze):
    freeze("2017-12-08 10:30")

    def broken(events):
        raise RuntimeError("a page's judge failed")

    after = hall_changes.version(hall.pk)
    judges = {"named": lambda events: changes.Telling.NOW, "untouched": lambda events: changes.Telling.NOTHING}
    watches = {name: changes._Watch(hall.pk, after, judge) for name, judge in {**judges, "broken": broken}.items()}
    for watch in watches.values():
        changes.visitor_news.watch(watch)
    try:
        actions.issue_ticket(hall, item, clock.now())
        assert watches["named"].told.wait(2) and '"issued"' in changes.visitor_news.take(watches["named"])
        assert watches["broken"].told.wait(2) and '"issued"' in changes.visitor_news.take(watches["broken"])
        assert not watches["untouched"].told.wait(0.3)  # not even a beat: its thread sleeps on
        assert watches["untouched"].after == hall_changes.version(hall.pk)
    finally:
        for watch in watches.values():
            changes.visitor_news.unwatch(watch)


@pytest.mark.django_db(transaction=True)
def test_a_moved_place_is_told_as_news_when_its_page_part_cannot_be_rendered(hall, item, window, freeze):
    freeze("2017-12-08 10:30")

    def broken():
        raise RuntimeError("a page's part failed")

    after = hall_changes.version(hall.pk)
    watches = {
        "shown": changes._Watch(hall.pk, after, lambda events: changes.Telling.SOON, lambda: "<p>moved</p>"),
        "broken": changes._Watch(hall.pk, after, lambda events: changes.Telling.SOON, broken),
    }
    for watch in watches.values():
        changes.visitor_news.watch(watch)
    try:
        actions.issue_ticket(hall, item, clock.now())
        told = {name: watch.told.wait(2) and changes.visitor_news.take(watch) for name, watch in watches.items()}
        assert (
            told["shown"]
            == f'id: {after + 1}\nevent: page\ndata: {{"version": {after + 1}, "html": "<p>moved</p>"}}\n\n'
        )
        assert "event: change" in told["broken"] and '"issued"' in told["broken"]  # the page asks, as before
    finally:
        for watch in watches.values():
            changes.visitor_news.unwatch(watch)


@pytest.mark.django_db(transaction=True)
def test_polling_holds_back_a_change_not_heard_yet_and_then_tells_it_as_a_gap(hall, settings):
    # Polling reads the counter: it can find this process's commit before the commit's hook tells the feed.
    if connection.vendor == "postgresql":
        pytest.skip("the process listens: it hears every change, and reads no counter")
    settings.WEIMIN_FEED_POLL_SECONDS = 0.05
    after = hall_changes.version(hall.pk)
    watch = changes._Watch(hall.pk, after, lambda events: changes.Telling.NOW)
    changes.visitor_news.watch(watch)
    try:
        HallVersion.objects.update_or_create(hall=hall, defaults={"version": after + 1})  # committed, not heard
        assert not watch.told.wait(0.2)  # found by polling, held back
        hall_changes._heard(hall.pk, after + 1, {"kind": "called", "number": "A001"})  # the commit's hook
        assert watch.told.wait(1) and '"kind": "called"' in changes.visitor_news.take(watch)
        HallVersion.objects.filter(hall=hall).update(version=after + 2)  # another process's: never heard here
        started = time.monotonic()
        assert watch.told.wait(2) and '"kind": "resync"' in changes.visitor_news.take(watch)
        assert time.monotonic() - started >= changes._UNHEARD_GRACE - 0.05  # once the grace is over
    finally:
        changes.visitor_news.unwatch(watch)


@pytest.mark.django_db(transaction=True)
def test_an_interrupt_ends_a_visitors_stream_at_once(client, hall, item, window, freeze, settings):
    freeze("2017-12-08 10:30")
    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 30
    token = actions.issue_ticket(hall, item, clock.now()).token
    response = client.get(reverse("tickets:mine-events", args=[token]))
    threading.Timer(0.2, hall_changes.interrupt).start()
    started = time.monotonic()
    b"".join(response.streaming_content)
    assert time.monotonic() - started < 2


def test_a_visitors_stream_needs_their_secret(client, hall):
    for token in ("not-a-ticket", "x" * 43):
        assert client.get(reverse("tickets:mine-events", args=[token])).status_code == 404


def test_a_new_client_is_told_the_version_and_a_stream_ends_in_time(client, hall, settings):
    settings.WEIMIN_PUSH_STREAM_SECONDS = 0.3
    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 0.1
    response = client.get(reverse("tickets:hall-events", args=[hall.code]))
    started = time.monotonic()
    body = b"".join(response.streaming_content).decode()
    assert time.monotonic() - started < 1.0
    mode = "listening" if connection.vendor == "postgresql" else "polling"
    resync = '{"version": 0, "kind": "resync"}'
    assert body.startswith(f": {mode}\nretry: 2000\n\nid: 0\nevent: change\ndata: {resync}\n\n")
    assert "event: beat\ndata: {}\n\n" in body  # the line is alive


def test_the_pages_wait_for_a_missed_beat_before_they_give_up_a_line():
    # A page drops a silent line and starts again (push.js, display.js): never while the next beat is due.
    from django.conf import settings as defaults

    static = Path(__file__).resolve().parents[2] / "core" / "static" / "weimin"
    for script in ("push.js", "display.js"):
        silent_ms = int(re.search(r"SILENT_STREAM_MS = (\d+)", (static / script).read_text()).group(1))
        assert silent_ms / 1000 >= defaults.WEIMIN_PUSH_HEARTBEAT_SECONDS + 15, script


@pytest.mark.django_db(transaction=True)
def test_a_stream_waits_without_holding_a_database_connection(client, hall, settings, monkeypatch):
    # Every thread keeps its own connection: hundreds of streams would hold PostgreSQL's every connection.
    settings.WEIMIN_PUSH_STREAM_SECONDS = 0.3
    settings.WEIMIN_PUSH_HEARTBEAT_SECONDS = 0.1
    held, wait = [], hall_changes.wait
    monkeypatch.setattr(hall_changes, "wait", lambda *args: held.append(connection.connection) or wait(*args))
    b"".join(client.get(reverse("tickets:hall-events", args=[hall.code])).streaming_content)
    assert held and held == [None] * len(held)


def test_phones_give_way_to_the_halls_screens_when_streams_run_short(client, hall, item, window, freeze, settings):
    settings.WEIMIN_PUSH_STREAMS_PER_PROCESS = 2
    freeze("2017-12-08 10:30")
    url = reverse("tickets:hall-events", args=[hall.code])
    phone = client.get(url, {"for": "visitor"})
    assert phone.status_code == 200
    own = reverse("tickets:mine-events", args=[actions.issue_ticket(hall, item, clock.now()).token])
    refused = client.get(own)  # a visitor's own stream is a phone's too
    assert refused.status_code == 503 and refused["Retry-After"] == "60"  # the page keeps polling
    display = client.get(url, {"for": "display"})
    assert display.status_code == 200
    assert client.get(url, {"for": "display"}).status_code == 503
    phone.close()  # even unread, a closed stream gives its slot back
    display.close()
    assert client.get(url, {"for": "visitor"}).status_code == 200


@pytest.mark.django_db(transaction=True)  # closing a stream closes the connection, as a server's end of request does
def test_one_tickets_token_holds_at_most_a_few_streams(client, hall, item, window, freeze, settings):
    # The phones' half of the slots is shared by a hall's every visitor: one token must not take them all.
    settings.WEIMIN_PUSH_STREAMS_PER_TICKET = 2
    freeze("2017-12-08 10:30")
    mine, theirs = (
        reverse("tickets:mine-events", args=[actions.issue_ticket(hall, item, clock.now()).token]) for _ in range(2)
    )
    held = [client.get(mine), client.get(mine)]
    assert [stream.status_code for stream in held] == [200, 200]
    refused = client.get(mine)
    assert refused.status_code == 503 and refused["Retry-After"] == "60"  # the page keeps polling
    other = client.get(theirs)
    assert other.status_code == 200  # another visitor's stream is not held up
    held.pop().close()  # even unread, a closed stream gives its place back
    for stream in (client.get(mine), *held, other):
        assert stream.status_code == 200
        stream.close()


def test_a_tag_names_a_hall_and_its_version_never_a_secret(hall):
    tag = changes.etag(hall.pk, "some-visitor-token", "2017-12-08T10:30")
    assert "some-visitor-token" not in tag and tag.startswith(f'W/"h{hall.pk}.v0.')


def test_the_consoles_and_pads_news_from_other_apps_is_told_too(
    hall, item, window, clerk, make_clerk, django_capture_on_commit_callbacks
):
    from weimin.halls.models import Window
    from weimin.ratings.actions import rate_ticket
    from weimin.shifts.actions import sign_out

    other = Window.objects.create(hall=hall, number=6)
    other.items.add(item)
    start = hall_changes.version(hall.pk)
    with django_capture_on_commit_callbacks(execute=True):
        make_clerk("li", other)  # signs in
        issued = actions.issue_ticket(hall, item, clock.now())
        actions.call_next(clerk, window, clock.now())
        done = actions.complete(clerk, issued.ticket, clock.now())
        rate_ticket(done, clock.now(), level=5)  # the pad beside window 5 stops asking
        sign_out(clerk, window, clock.now())
    assert [kind for kind, _, where in kinds_after(hall, start) if kind not in ("issued", "called", "completed")] == [
        "signed_in", "rated", "signed_out"]  # fmt: skip
    assert [where for kind, _, where in kinds_after(hall, start) if kind in ("signed_in", "rated", "signed_out")] == [
        6, 5, 5]  # fmt: skip
