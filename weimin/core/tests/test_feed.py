"""The change feed's waiting (core/feed.py): news wakes the clients of its own key only — a hall's
streams —, however many other halls' clients wait in the same process."""

import threading
import time

import pytest
from django.db import connection, connections

from weimin.core.feed import FEEDS, RECENT_EVENTS, ChangeFeed


def test_news_wakes_only_the_waiters_of_its_own_hall(settings):
    settings.WEIMIN_FEED_LISTEN = False
    feed = ChangeFeed("test_wake", lambda key: 0)
    try:
        feed._listening, feed._listening_since = True, 0.0  # as while the listener hears every change
        feed._heard(1, 1, {})
        feed._heard(2, 1, {})
        looks, version = [], feed.version
        feed.version = lambda key: looks.append(key) or version(key)
        told = []
        waiter = threading.Thread(target=lambda: told.append(feed.wait(1, 1, 5.0)))
        waiter.start()
        time.sleep(0.2)
        for other in range(2, 6):
            feed._heard(2, other, {})  # another hall's news, four times
        time.sleep(0.2)
        assert waiter.is_alive() and looks == [1]  # looked once, then slept through them
        started = time.monotonic()
        feed._heard(1, 2, {})
        waiter.join(2)
        assert told == [2] and looks == [1, 1] and time.monotonic() - started < 0.5
    finally:
        FEEDS.remove(feed)


def test_an_event_heard_twice_is_held_once():
    # The publishing process hears its own change on commit, and again from the listener.
    feed = ChangeFeed("test_twice", lambda key: 0)
    try:
        for version in (2, 2, 3, 4, 3, 4, 6, 5, 5, 6, 1):
            feed._heard(1, version, {"v": version})
        assert list(feed._recent[1]) == [(v, {"v": v}) for v in (1, 2, 3, 4, 5, 6)]
        for version in range(7, 7 + RECENT_EVENTS):
            feed._heard(1, version, {"v": version})
        feed._heard(1, 8, {"v": 8})
        feed._heard(1, 3, {"v": 3})  # older than every event kept, all of them newer: not kept
        assert [v for v, _ in feed._recent[1]] == list(range(7, 7 + RECENT_EVENTS))
    finally:
        FEEDS.remove(feed)


def test_events_heard_out_of_order_are_waited_for_a_moment(settings):
    """A process hears its own change on commit, another's from the listener a moment later: the events up
    to its own are all there once the other's arrives; those no longer kept are not waited for."""
    settings.WEIMIN_FEED_LISTEN = False
    feed = ChangeFeed("test_late", lambda key: 0)
    try:
        feed._listening, feed._listening_since = True, 0.0
        feed._heard(1, 1, {"n": 1})
        feed._heard(1, 3, {"n": 3})  # this process's own: version 2, another's, not heard yet
        threading.Timer(0.1, feed._heard, (1, 2, {"n": 2})).start()
        started = time.monotonic()
        assert feed.events_through(1, 1, 3, 5.0) == [(2, {"n": 2}), (3, {"n": 3})]
        assert 0.05 < time.monotonic() - started < 2.0
        assert feed.events_through(1, 0, 3, 5.0) == [(1, {"n": 1}), (2, {"n": 2}), (3, {"n": 3})]
        assert feed.events_through(1, 3, 3, 5.0) is None  # not behind
        started = time.monotonic()
        assert feed.events_through(1, 3, 4, 0.1) is None and time.monotonic() - started >= 0.1  # never came
        for version in range(4, 4 + RECENT_EVENTS):
            feed._heard(1, version, {})
        started = time.monotonic()
        assert feed.events_through(1, 1, 4, 5.0) is None and time.monotonic() - started < 1.0  # no longer kept
        last = 3 + RECENT_EVENTS
        assert feed.events_through(1, last - 1, last, 5.0) == [(last, {})]
        feed._listening = False  # polling: what is not held now will not be heard
        started = time.monotonic()
        assert feed.events_through(1, last - 1, last + 1, 5.0) is None and time.monotonic() - started < 1.0
    finally:
        FEEDS.remove(feed)


def test_the_news_hooks_hear_every_key_and_outlive_a_fork(settings):
    settings.WEIMIN_FEED_LISTEN = False
    feed = ChangeFeed("test_hooks", lambda key: 0)
    try:
        heard = []
        feed.on_news(heard.append)
        feed._heard(3, 1, {})
        feed._start_afresh()  # as in a worker forked after the hook was set (os.register_at_fork)
        feed._heard(4, 1, {})
        feed.interrupt()
        assert heard == [3, 4, None]
    finally:
        FEEDS.remove(feed)


def test_a_stopped_feed_never_listens_again():
    # Stopped before the test database is dropped: a reader left behind must not connect it again.
    feed = ChangeFeed("test_stopped", lambda key: 0)
    try:
        feed.start_listener()
        feed.stop()
        assert feed.version(1) == 0 and feed._listener is None and not feed.listening
    finally:
        FEEDS.remove(feed)


@pytest.mark.django_db(transaction=True)
def test_a_polling_wait_holds_no_connection_while_it_sleeps(settings):
    # No listener (SQLite, or PostgreSQL's listener lost): every stream thread reads the version each poll,
    # and must not keep the connection (the process's pool's, on PostgreSQL) between reads.
    settings.WEIMIN_FEED_LISTEN = False
    settings.WEIMIN_FEED_POLL_SECONDS = 0.2
    readers = []

    def load_version(key):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        readers.append(connections["default"])  # the waiting thread's own (``connection`` is a proxy)
        return 0

    feed = ChangeFeed("test_polling_wait", load_version)
    try:
        held = []
        threading.Timer(0.3, lambda: held.append(readers[-1].connection)).start()  # between two polls
        assert feed.wait(1, 0, 0.5) == 0
        assert len(readers) >= 2 and held == [None]
    finally:
        FEEDS.remove(feed)
