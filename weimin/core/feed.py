"""A change feed: numbered versions of keyed things (a hall), told to the clients waiting in this process.

An action that changes a thing bumps its version in its own transaction through ``advance``:

- on PostgreSQL, ``pg_notify`` in that transaction, so every app process hears it on commit and never
  before (a rolled-back change is never announced). ONE listener thread per process (``LISTEN`` on a
  dedicated psycopg connection, started as a `weimin serve` worker loads, or on first use) wakes that process's
  waiting clients and keeps its cache of versions exact: while it listens, reading a version costs no
  query at all;
- in the publishing process, at once on commit (``transaction.on_commit``), whatever the database;
- on SQLite, or while the listener is down, other processes' changes are found by reading the cheap
  version counter again: at most every ``WEIMIN_FEED_POLL_SECONDS`` per key and process, however many
  clients wait.

A version read from the database replaces the one held, unless a newer one was heard while it was
being read.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Generator
from contextlib import suppress

from django.conf import settings
from django.db import connection, connections, transaction
from django.http import StreamingHttpResponse

from weimin.core.prepared import RowsAhead, cursor_for

logger = logging.getLogger(__name__)

FEEDS: list[ChangeFeed] = []  # every feed of the project, for ``start_listeners``


def let_go_of_the_database() -> None:
    """A stream waits minutes on a feed, which needs no query while the process listens and one read a
    poll when it does not: its thread must not keep a database connection meanwhile (every thread keeps its
    own for CONN_MAX_AGE, or takes one of the process's pool, and a process's stream threads would hold
    PostgreSQL's connections by the hundred). A read it needs later opens one again."""
    if connection.connection is not None and not connection.in_atomic_block:
        connection.close()


RECENT_EVENTS = 64  # per key: enough for a client a few seconds behind to get every event it missed
LISTENER_RETRY_SECONDS = 2.0
FIRST_LISTEN_SECONDS = 2.0  # how long the first reader waits for the listener before polling instead


def interrupt_all() -> None:
    """End every wait and stream in this process (a worker told to stop: its browsers reconnect to
    another at once instead of holding the worker for the whole graceful timeout)."""
    for feed in FEEDS:
        feed.interrupt()


def start_listeners() -> None:
    """Start every feed's listener in this process now (``core.serving.ready_worker``): a worker hears its
    halls' changes before its first client asks."""
    for feed in FEEDS:
        feed.start_listener()


# --- waiting on a worker's event loop (`weimin serve`) ---


def _wake_from_any_thread(futures) -> None:
    """Resolve the futures of streams waiting on an event loop, from any thread (the listener's, a request's
    commit, the visitors' news): one call into each loop for them all."""
    by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future]] = {}
    for future in futures:
        by_loop.setdefault(future.get_loop(), []).append(future)
    for loop, woken in by_loop.items():
        with suppress(RuntimeError):  # the loop closed (its worker stopping): nobody waits on it any more
            loop.call_soon_threadsafe(_resolve, woken)


def _resolve(futures) -> None:
    for future in futures:
        if not future.done():
            future.set_result(None)


async def _woken_or_timed_out(woken: asyncio.Future, timeout: float) -> None:
    timer = woken.get_loop().call_later(max(0.0, timeout), _resolve, (woken,))
    try:
        await woken
    finally:
        timer.cancel()


class Signal:
    """A flag set from any thread, waited for by one waiter at a time: a thread (``wait``) or a task on an event
    loop (``wait_async``)."""

    def __init__(self) -> None:
        self._set = threading.Event()
        self._woken: asyncio.Future | None = None

    def set(self) -> None:
        self._set.set()
        if (woken := self._woken) is not None:
            _wake_from_any_thread((woken,))

    def clear(self) -> None:
        self._set.clear()

    def wait(self, timeout: float) -> bool:
        return self._set.wait(timeout)

    async def wait_async(self, timeout: float) -> bool:
        # Set between the check and the future's publication: the second check sees it.
        if not self._set.is_set():
            self._woken = asyncio.get_running_loop().create_future()
            try:
                if not self._set.is_set():
                    await _woken_or_timed_out(self._woken, timeout)
            finally:
                self._woken = None
        return self._set.is_set()


class Wait:
    """What a stream waits for between two of its frames: ``block`` waits in the stream's thread (any WSGI
    server), ``wait_async`` on the worker's event loop (`weimin serve`); both return what the stream's steps
    are sent back."""

    def block(self):
        raise NotImplementedError

    async def wait_async(self):
        raise NotImplementedError


class FeedWait(Wait):
    """Until ``key``'s version passes ``after``, or ``timeout`` seconds: the version then (``ChangeFeed.wait``)."""

    def __init__(self, feed: ChangeFeed, key: int, after: int, timeout: float) -> None:
        self.feed, self.key, self.after, self.timeout = feed, key, after, timeout

    def block(self) -> int:
        return self.feed.wait(self.key, self.after, self.timeout)

    async def wait_async(self) -> int:
        return await self.feed.wait_async(self.key, self.after, self.timeout)


class SignalWait(Wait):
    """Until ``signal`` is set, or ``timeout`` seconds: whether it was."""

    def __init__(self, signal: Signal, timeout: float) -> None:
        self.signal, self.timeout = signal, timeout

    def block(self) -> bool:
        return self.signal.wait(self.timeout)

    async def wait_async(self) -> bool:
        return await self.signal.wait_async(self.timeout)


# A stream's steps: its frames, and the waits between them, each sent back what it returned.
Steps = Generator["str | Wait", object, None]


class _Frames:
    """The frames of ``steps`` for a WSGI server: a thread waits out each wait (the database let go meanwhile)."""

    def __init__(self, opening: str, steps: Steps, closing: Callable[[], None]) -> None:
        self.opening, self.steps, self.closing, self._open = opening, steps, closing, True

    def _step(self, reply: object) -> str | Wait | None:
        """The next frame or wait, sent what the last wait returned; None once the stream has ended."""
        try:
            return self.steps.send(reply)
        except StopIteration:
            return None

    def __iter__(self):
        yield self.opening
        step = self._step(None)
        while step is not None:
            if isinstance(step, Wait):
                let_go_of_the_database()
                step = self._step(step.block())
            else:
                yield step
                step = self._step(None)

    async def send_async(self, send: Callable[[str], object]) -> None:
        """The frames sent with ``send`` (a coroutine function), the waits awaited on this event loop."""
        await send(self.opening)
        step = self._step(None)
        while step is not None:
            if isinstance(step, Wait):
                step = self._step(await step.wait_async())
            else:
                await send(step)
                step = self._step(None)

    def close(self) -> None:
        if self._open:
            self._open = False
            self.steps.close()
            self.closing()


class EventStream(StreamingHttpResponse):
    """``text/event-stream`` from ``steps``, a generator of frames (str) and of the ``Wait``s between them.
    Its first step runs here, in the view's thread: only it may read the database (the ones after run on
    the worker's event loop in `weimin serve`, ``core.serving``: a district's thousands of screens hold no
    thread each). Under any other server a thread waits for each wait. ``closing`` runs once, when the
    response is closed — at its end, or when its client is gone."""

    def __init__(self, steps: Steps, closing: Callable[[], None]) -> None:
        try:
            opening = next(steps)
        except BaseException:
            closing()
            raise
        self.frames = _Frames(opening, steps, closing)
        super().__init__(self.frames, content_type="text/event-stream")
        self["Cache-Control"] = "no-cache"
        self["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once


class ChangeFeed:
    def __init__(self, channel: str, load_version: Callable[[int], int]) -> None:
        self.channel = channel
        self._load_version = load_version
        self._hooks: list[Callable[[int | None], None]] = []
        self._start_afresh()
        # A forked child (a worker of `weimin serve`, of a pool, of a test) has none of the parent's threads:
        # a lock one of them held at the fork would stay held for ever, and the listener did not come along.
        os.register_at_fork(after_in_child=self._start_afresh)
        FEEDS.append(self)

    def _start_afresh(self) -> None:
        """The state of a feed that has heard nothing yet in this process (its hooks are kept)."""
        # One lock for the feed's state; a condition per key on it, so an event wakes only the clients of
        # its key (a hall's screens), not every stream thread of the process.
        self._lock = threading.RLock()
        self._waiting: dict[int, threading.Condition] = {}
        # The streams waiting on the worker's event loop (``wait_async``), by key: futures of that loop.
        self._awaiting: dict[int, set[asyncio.Future]] = {}
        # Bumped on every event heard, per key, and for all keys at once (a reset, an interrupt): a waiter
        # never sleeps through one.
        self._generations: dict[int, int] = {}
        self._generation = 0
        self._epoch = 0  # bumped by ``interrupt``: every wait of an earlier epoch ends
        self._versions: dict[int, tuple[int, float]] = {}  # key → (version, when loaded or heard)
        self._recent: dict[int, deque[tuple[int, dict]]] = {}
        self._listening = False
        self._listening_since = 0.0  # versions loaded before the listener began may miss a change
        self._listener: threading.Thread | None = None
        self._stop = threading.Event()
        self._ready = threading.Event()  # set once the listener first listened, or failed to
        self._ended = False  # ``stop``: no listener again in this process

    # --- publishing (inside an action's transaction) ---

    def advance(self, key: int, bump_sql: str, params: list, about: dict, ahead: RowsAhead | None = None) -> int:
        """Run ``bump_sql`` — one statement that raises the key's version and ends ``RETURNING version`` —
        and publish the new version with ``about``; on PostgreSQL the ``NOTIFY`` goes in the same
        statement, and so do the rows ``ahead`` (the change itself): one round trip on every change.
        Returns the new version."""
        if connection.vendor == "postgresql":
            # {"key": …, "version": <the new version>, …about}: the version is only known to the statement.
            head = json.dumps({"key": key}, ensure_ascii=False)[:-1] + ', "version": '
            tail = (", " + json.dumps(about, ensure_ascii=False)[1:]) if about else "}"
            parts, ahead_params, returned = ahead.head() if ahead is not None else ("", [], "")
            with cursor_for(connection) as cursor:
                cursor.execute(
                    f"WITH {parts}bumped AS ({bump_sql}) "
                    f"SELECT version{returned}, pg_notify(%s, %s || version::text || %s) FROM bumped",
                    [*ahead_params, *params, self.channel, head, tail],
                )
                version, *found = cursor.fetchone()
            if ahead is not None:
                ahead.written(found[:-1])
        else:
            if ahead is not None:
                ahead.save_each()
            with connection.cursor() as cursor:
                cursor.execute(bump_sql, params)
                version = cursor.fetchone()[0]
        transaction.on_commit(lambda: self._heard(key, version, about))
        return version

    def _heard(self, key: int, version: int, about: dict) -> None:
        with self._lock:
            known = self._versions.get(key)
            if known is None or version > known[0]:
                self._versions[key] = (version, time.monotonic())
            recent = self._recent.setdefault(key, deque(maxlen=RECENT_EVENTS))
            # Kept in order of version. Heard in order, almost always; one heard out of order (another process's,
            # or its own a second time: on commit, then from the listener) is looked for among those kept.
            if not recent or recent[-1][0] < version:
                recent.append((version, about))
            elif not any(seen == version for seen, _ in recent) and (
                len(recent) < RECENT_EVENTS or version > recent[0][0]  # full: older than all kept, not kept
            ):
                if len(recent) == RECENT_EVENTS:
                    recent.popleft()
                recent.insert(bisect.bisect(recent, version, key=lambda event: event[0]), (version, about))
            self._wake(key)

    def on_news(self, hook: Callable[[int | None], None]) -> None:
        """Call ``hook`` with the key of every event heard, or None when every waiter is woken (an
        interrupt, a reset), holding the feed's lock: it must be quick and take no lock that is held
        while calling the feed."""
        self._hooks.append(hook)

    def _wake(self, key: int | None) -> None:
        """Wake the waiters of ``key``, or every waiter (None). Called holding the lock."""
        for hook in self._hooks:
            hook(key)
        if key is None:
            self._generation += 1
            for waiters in self._waiting.values():
                waiters.notify_all()
            awaiting = [future for futures in self._awaiting.values() for future in futures]
            self._awaiting.clear()
        else:
            self._generations[key] = self._generations.get(key, 0) + 1
            if (waiters := self._waiting.get(key)) is not None:
                waiters.notify_all()
            awaiting = self._awaiting.pop(key, ())
        if awaiting:
            _wake_from_any_thread(awaiting)

    def _seen(self, key: int) -> tuple[int, int]:
        return self._generation, self._generations.get(key, 0)

    # --- reading ---

    @property
    def listening(self) -> bool:
        return self._listening

    def version(self, key: int) -> int:
        """The key's version: from memory while the listener hears every change (no query), else read
        again once the stored one is older than WEIMIN_FEED_POLL_SECONDS."""
        self._ensure_listener()
        started = time.monotonic()
        if (held := self._held(key, started)) is not None:
            return held
        loaded = self._load_version(key)
        with self._lock:
            known = self._versions.get(key)
            if known is not None and known[1] > started and known[0] > loaded:
                return known[0]  # heard while this read ran: newer than what it read
            self._versions[key] = (loaded, started)  # the database's word (lower after a database reset)
            return loaded

    def _held(self, key: int, now: float) -> int | None:
        """The key's version when memory alone tells it: heard by the listener, or read less than
        WEIMIN_FEED_POLL_SECONDS ago; None when it must be read."""
        known = self._versions.get(key)
        if known is None:
            return None
        heard = self._listening and known[1] >= self._listening_since
        return known[0] if heard or now - known[1] < settings.WEIMIN_FEED_POLL_SECONDS else None

    def events_after(self, key: int, version: int) -> list[tuple[int, dict]] | None:
        """Every event after ``version`` up to the current one, oldest first; None when some of them are
        not held here: no longer kept, never heard here (another process's change found by polling), or
        not heard yet (another process's change is heard after this process's next one)."""
        current = self.version(key)
        return self._held_between(key, version, current) if current > version else []

    def events_between(self, key: int, after: int, current: int) -> list[tuple[int, dict]] | None:
        """``events_after`` up to ``current`` (a version just read; no query) for a client at ``after`` that is
        behind it; None when it is not (-1: it saw none; past ``current``: from before a database reset)."""
        return self._held_between(key, after, current) if 0 <= after < current else None

    def _held_between(self, key: int, after: int, current: int) -> list[tuple[int, dict]] | None:
        events = sorted((event for event in list(self._recent.get(key, ())) if after < event[0] <= current),
                        key=lambda event: event[0])  # fmt: skip
        # Versions are held once each: as many as the versions between, from the next to the current, is all.
        return events if len(events) == current - after else None

    def events_through(self, key: int, after: int, upto: int, timeout: float) -> list[tuple[int, dict]] | None:
        """The events after ``after`` up to ``upto`` (a version just read), oldest first, waiting up to
        ``timeout`` seconds for those not heard yet: the listener hears another process's change after this
        process's own later one, a moment on. None when some are not held here and will not be: no longer
        kept, never heard here (polling), or ``after`` not behind ``upto`` (a database reset)."""
        if not 0 <= after < upto:
            return None
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                recent = self._recent.get(key, ())
                held = {version: about for version, about in recent if after < version <= upto}
                if len(held) == upto - after:
                    return [(version, held[version]) for version in range(after + 1, upto + 1)]
                gone = len(recent) == RECENT_EVENTS and min(version for version, _ in recent) > after + 1
                remaining = deadline - time.monotonic()
                if not self._listening or gone or remaining <= 0:
                    return None
                if (waiters := self._waiting.get(key)) is None:
                    waiters = self._waiting[key] = threading.Condition(self._lock)
                waiters.wait(remaining)

    @property
    def epoch(self) -> int:
        return self._epoch

    def wait(self, key: int, after: int, timeout: float) -> int:
        """Block until the key's version passes ``after``, ``timeout`` seconds pass or ``interrupt``; the
        version then (``after`` when interrupted: nothing more is read)."""
        deadline, epoch = time.monotonic() + timeout, self._epoch
        while True:
            with self._lock:
                seen = self._seen(key)
            if self._epoch != epoch:
                return after
            current = self.version(key)
            remaining = deadline - time.monotonic()
            if current > after or remaining <= 0:
                return current
            slice_ = remaining if self._listening else min(remaining, settings.WEIMIN_FEED_POLL_SECONDS)
            let_go_of_the_database()  # a poll's read (no listener) opened one
            with self._lock:
                if self._seen(key) == seen:
                    if (waiters := self._waiting.get(key)) is None:
                        waiters = self._waiting[key] = threading.Condition(self._lock)
                    waiters.wait(slice_)

    async def wait_async(self, key: int, after: int, timeout: float) -> int:
        """``wait`` on the worker's event loop, holding no thread: a stream of `weimin serve`. It reads the
        version from memory while the feed listens; when it polls, in the loop's executor (the loop's thread
        must not wait on the database)."""
        loop = asyncio.get_running_loop()
        deadline, epoch = time.monotonic() + timeout, self._epoch
        while True:
            with self._lock:
                seen = self._seen(key)
            if self._epoch != epoch:
                return after
            current = self._held(key, time.monotonic())
            if current is None:
                current = await loop.run_in_executor(None, self._polled, key)
            remaining = deadline - time.monotonic()
            if current > after or remaining <= 0:
                return current
            woken = loop.create_future()
            with self._lock:
                if self._seen(key) != seen:
                    continue
                self._awaiting.setdefault(key, set()).add(woken)
            try:
                slice_ = remaining if self._listening else min(remaining, settings.WEIMIN_FEED_POLL_SECONDS)
                await _woken_or_timed_out(woken, slice_)
            finally:
                with self._lock:
                    if (awaiting := self._awaiting.get(key)) is not None:
                        awaiting.discard(woken)

    def _polled(self, key: int) -> int:
        try:
            return self.version(key)
        finally:
            let_go_of_the_database()

    def interrupt(self) -> None:
        """End every wait — and so every stream — of this process now; their clients reconnect (tests,
        before their database goes away under a live server's streams)."""
        with self._lock:
            self._epoch += 1
            self._wake(None)

    def forget(self) -> None:
        """Drop every version and event held (tests: a new database starts from nothing)."""
        with self._lock:
            self._versions.clear()
            self._recent.clear()

    # --- the listener (PostgreSQL) ---

    def _ensure_listener(self) -> None:
        if self._listener is None and not self._ended:
            self.start_listener()

    def start_listener(self) -> None:
        """Start the listener thread (PostgreSQL only) and wait a moment for its first ``LISTEN``."""
        if connection.vendor != "postgresql" or not settings.WEIMIN_FEED_LISTEN:
            return
        with self._lock:
            if self._listener is not None:
                return
            self._stop.clear()
            self._ready.clear()
            self._listener = threading.Thread(target=self._listen, name=f"listen-{self.channel}", daemon=True)
            self._listener.start()
        self._ready.wait(FIRST_LISTEN_SECONDS)

    def _listen(self) -> None:
        database = connections["default"]
        while not self._stop.is_set():
            try:
                # A connection of its own, never the pool's (`weimin serve`): it is held as long as the process.
                listener = database.Database.connect(**database.get_connection_params())
                try:
                    listener.autocommit = True
                    listener.execute(f"LISTEN {self.channel}")
                    with self._lock:  # changes made while nobody listened are unknown: read again
                        self._versions.clear()
                        self._recent.clear()
                        self._listening = True
                        self._listening_since = time.monotonic()
                        self._wake(None)
                    self._ready.set()
                    while not self._stop.is_set():
                        for notice in listener.notifies(timeout=1.0):
                            self._hear(notice.payload)
                finally:
                    self._listening = False
                    listener.close()
            except Exception:
                logger.exception("change feed %s: listener lost, polling until it is back", self.channel)
                self._ready.set()
                self._stop.wait(LISTENER_RETRY_SECONDS)

    def _hear(self, payload: str) -> None:
        try:
            about = json.loads(payload)
            key, version = int(about.pop("key")), int(about.pop("version"))
        except (ValueError, KeyError, TypeError):
            logger.warning("change feed %s: unreadable notice ignored", self.channel)
            return
        self._heard(key, version, about)

    def stop(self) -> None:
        """End the listener thread and close its connection, for good: the process polls from then on (tests,
        before their database is dropped — a stream or the visitors' news still reading a version must not
        start a listener again, whose connection would keep the database from being dropped)."""
        self._ended = True
        listener = self._listener
        if listener is None:
            return
        self._stop.set()
        listener.join(timeout=5)
        self._listener = None
        self.forget()
