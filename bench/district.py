"""District scenario benchmark (issue 15): the demo's 12 halls at their evening peak, against `weimin serve`
on PostgreSQL, at 1×, 2×, 4×… the load, and how many such districts this box carries.

    .venv/bin/python bench/district.py [--seconds 60] [--multiples 1,2,4] [--workers N] [--streams N]
                                       [--generators N] [--json]

On a throwaway PostgreSQL cluster it builds the demo district at 2017-12-08 18:30 (bench/queue.py's setup,
for every hall: bench clerks at the staffed windows with API tokens and console sessions, a kiosk) and
derives each hall's evening from the demo's own data: its staffed windows, its arrivals (the tickets the
demo issued between 18:00 and 18:30, doubled) and its items' handling minutes. 1× is then the district's
peak as the issue puts it — 1,500 visitors' phones (shared over the halls by arrivals), a TV per hall, a
console open at every staffed window, a clerk there calling, serving and completing in real time with
the demo's draws (weimin/demo/simulation.py: called → serving after 25 s, 5 % no-shows, service of an
item's handling minutes × U(0.5, 1.3)) and new visitors taking numbers at the kiosks at the demo's rate,
their phones following until the visit ends.

Every client behaves as its page does (push.js, display.js and the templates): it first asks for its
stream (a phone its own, /t/<token>/events, which tells only news that changes its page; the TV and the
console the hall's, ``?for=display|console``); refused (503: each process keeps
WEIMIN_PUSH_STREAMS_PER_PROCESS threads for streams, phones take at most half), it polls at its page's
interval with ``If-None-Match`` and asks for the stream again a minute later; with the stream it
refreshes on news as the page does (a phone: its number named at once, its place moved at a random
moment of the next 3 s, and every 60 s anyway; a console: on its own window's news at once, other news
at most once per 3 s at a random moment of them, and every 20 s; a TV: the feed on every change but a
visitor served, completed or not come, and every 5 s). The push delay is counted from the clerk's key
(the call-next request sent) to the frame naming the number on one of the hall's screens' streams (TV,
console); "phone called", to the frame on the visitor's own stream (other visitors' phones hear of the
call with the news that moves their place, spread over WEIMIN_PUSH_VISITOR_SPREAD_SECONDS: not counted).

k× is k times every hall's phones, TVs, consoles and arrivals, and clerks k times as quick (the windows
of k districts call k times as often): one district's queues carry k districts' visitors. A fraction
(0.5×) scales the phones, arrivals and clerks' pace, and keeps a TV per hall and a console per window.
The server is restarted for each multiple (the phones' tickets are issued afresh, the last multiple's
cancelled); after a warm-up, requests/s counts the answers received in the measured seconds, and the
latencies are those of the requests sent in them, waited for up to GRACE_S after. It prints per
operation p50/p99, errors by kind, requests/s as a ratio to pgbench's TPS in the same run, the box's idle
share and the share the hypervisor took from it (/proc/stat "steal"), the CPU seconds of the server
(`weimin serve`'s processes, PostgreSQL's processes) and of the load generator; it stops once a p99 passes
100 ms by far (BY_FAR times).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import math
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The repository instead of bench/ (run as a script): bench/queue.py would shadow the standard library's
# queue, which multiprocessing imports.
if sys.path[0] and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
else:
    sys.path.insert(0, str(ROOT))

from weimin.demo.data import DISTRICT_HALL, SUBDISTRICT_HALLS  # noqa: E402
from weimin.testing.pgcluster import throwaway_cluster  # noqa: E402
from weimin.testing.servers import free_port, wait_for  # noqa: E402

# The queue benchmark's client, setup and baseline, shared (its module name shadows the standard library's).
_spec = importlib.util.spec_from_file_location("bench_queue", ROOT / "bench" / "queue.py")
queue_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(queue_bench)
Client, percentile = queue_bench.Client, queue_bench.percentile

HALLS = [DISTRICT_HALL.code, *(hall.code for hall in SUBDISTRICT_HALLS)]
PHONES = 1500  # the issue's figure for a district's evening peak
TARGET_MS = 100
BY_FAR = 5  # a p99 past 5× the target: the next multiple would tell nothing more

# The demo's clerks (weimin/demo/simulation.py, LiveSimulation._clerk) and their service draw.
CALLED_TO_SERVING_S = 25
NO_SHOW_SHARE = 0.05
SERVICE_DRAW = (0.5, 1.3)
IDLE_CLERK_S = 3  # the demo's tick: a clerk with nobody waiting tries again

# The pages' intervals: (polling, while the stream is open), seconds.
PHONE = (5, 300)  # tickets/mine.html; data-push-calm="3", data-push-number
PHONE_CALM_S = 3
CONSOLE = (4, 20)  # workstation/console.html; data-push-calm="3", data-push-own-window
CONSOLE_CALM_S = 3
TV = (1, 5)  # display.js: POLL_MS, POLL_PUSHED_MS
TV_TIMEOUT_S = 4  # display.js: TIMEOUT_MS
STREAM_RETRY_S = 60  # push.js RETRY_MS, display.js PUSH_RETRY_MS: a refused stream is asked again
# htmx and EventSource wait as long as it takes (a client giving up would leave its request queued at the
# server, done for nobody, and send another): only the run's end stops them.
REQUEST_TIMEOUT_S = 600
LAG_PROBE_S = 0.05
GRACE_S = 30  # how long the requests of the window still out are waited for after it


@dataclass(frozen=True)
class HallModel:
    """One hall's evening peak at 1×."""

    code: str
    windows: int  # staffed windows (a console and a clerk each)
    arrivals_per_hour: float
    mean_handling_minutes: float  # as the demo draws it: the window's items' minutes × mean of SERVICE_DRAW
    phones: int


def evening_model(halls: dict, phones: int = PHONES) -> list[HallModel]:
    """Each hall's evening from bench/queue.py's setup: its staffed windows, its arrivals (the demo's tickets of
    the last half hour, per hour) and handling minutes; ``phones`` shared over the halls by arrivals (largest
    remainders, so they add up)."""
    draw_mean = sum(SERVICE_DRAW) / 2
    arrivals = {code: 2.0 * hall["taken_last_half_hour"] for code, hall in halls.items()}
    total = sum(arrivals.values()) or 1.0
    shares = {code: phones * rate / total for code, rate in arrivals.items()}
    counts = {code: math.floor(share) for code, share in shares.items()}
    for code in sorted(shares, key=lambda c: counts[c] - shares[c])[: phones - sum(counts.values())]:
        counts[code] += 1
    model = []
    for code, hall in halls.items():
        per_window = [sum(hall["minutes"][i] for i in s["items"]) / len(s["items"]) for s in hall["staff"]]
        mean = draw_mean * sum(per_window) / len(per_window) if per_window else 0.0
        model.append(HallModel(code, len(hall["staff"]), arrivals[code], round(mean, 1), counts[code]))
    return model


# --- the phones' tickets, issued afresh for each multiple (the server is down meanwhile) ---

VISITORS = """
import json, random, sys, django
django.setup()
from weimin.core import clock
from weimin.halls.models import Hall, ServiceItem, Window
from weimin.shifts.models import Duty
from weimin.tickets import actions, queue
from weimin.tickets.models import Ticket
plan = json.loads(sys.stdin.read())
now, rng = clock.now(), random.Random(plan["seed"])
for ticket in Ticket.objects.filter(pk__in=plan["cancel"], status="waiting"):
    actions.cancel_ticket(ticket, now)
items = {item.code: item for item in ServiceItem.objects.all()}
out, visits = {}, {}
for code, (count, windows) in plan["halls"].items():
    hall = Hall.objects.get(code=code)
    out[code] = []
    for _ in range(count):
        issued = actions.issue_ticket(hall, items[rng.choice(rng.choice(windows))], now)
        out[code].append({"id": issued.ticket.pk, "token": issued.token, "number": issued.ticket.number})
for window in Window.objects.filter(pk__in=plan["windows"]):
    clerk = Duty.objects.holder_of(window).user
    if (left := queue.ticket_at_window(window)) is not None:  # the last multiple's visit, cut short
        actions.complete(clerk, left, now)
    called = actions.call_next(clerk, window, now)
    visits[window.pk] = called and {"id": called.pk, "number": called.number, "item": called.item.code}
print(json.dumps({"phones": out, "visits": visits}))
"""


def issue_visitors(env: dict, halls: dict, model: list[HallModel], multiple: float, cancel: list[int]) -> dict:
    """Each hall's ``multiple`` × phones tickets (items drawn as the demo's arrivals draw them); the
    previous multiple's tickets still waiting are cancelled, so queues stay one district's length. Then
    every staffed window calls one: at 18:30 each is somewhere in a visit (``clerk`` draws where), so the
    run starts with calls, servings and completes spread as the evening has them, not 125 calls at once.
    Returns {"phones": {hall: [ticket…]}, "visits": {window id: ticket or None}}."""
    plan = {
        "seed": round(multiple * 100),
        "cancel": cancel,
        "halls": {m.code: (round(m.phones * multiple), [s["items"] for s in halls[m.code]["staff"]]) for m in model},
        "windows": [s["window"] for m in model for s in halls[m.code]["staff"]],
    }
    out = subprocess.run(
        [sys.executable, "-c", VISITORS], input=json.dumps(plan), env=env, capture_output=True, text=True, cwd=ROOT
    )
    if out.returncode:
        raise SystemExit(f"issuing the phones' tickets failed:\n{out.stderr}")
    issued = json.loads(out.stdout.strip().splitlines()[-1])
    return {"phones": issued["phones"], "visits": {int(k): v for k, v in issued["visits"].items()}}


# --- the load: one asyncio loop per generator process, each driving whole halls ---


class Recorder:
    """Latencies (ms) per operation and errors by kind of the requests sent between ``measure_from`` (the
    warm-up over) and ``until`` (time.monotonic(): the same clock in every process on Linux) — waited for
    after ``until`` too, so a slow answer is counted, not dropped — and the answers received meanwhile."""

    def __init__(self, measure_from: float, until: float):
        self.measure_from, self.until = measure_from, until
        self.ms: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.examples: dict[str, str] = {}
        self.refused = 0
        self.answered = 0  # answers received between measure_from and until, whenever asked: the throughput
        self.pending = 0  # requests of the window still unanswered
        self.taken: list[int] = []  # tickets taken during the run (cancelled before the next multiple)
        self.lag: list[float] = []  # how late this generator's loop woke (ms): its latencies include it

    def counts(self, started: float) -> bool:
        return self.measure_from <= started < self.until

    def over(self) -> bool:
        return time.monotonic() >= self.until

    def sent(self, started: float) -> None:
        self.pending += self.counts(started)

    def add(self, op: str, started: float) -> None:
        now = time.monotonic()
        self.answered += self.measure_from <= now < self.until
        if self.counts(started):
            self.ms.setdefault(op, []).append((now - started) * 1000)

    def error(self, kind: str, started: float, example: str = "") -> None:
        if self.counts(started):
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if example:
                self.examples.setdefault(kind, example[:200])


class Hall:
    """One hall's clients in one generator process: calls sent (for the push delay) and stream frames heard."""

    def __init__(self, code: str, port: int, rec: Recorder, rng: random.Random):
        self.code, self.port, self.rec, self.rng = code, port, rec, rng
        self.keys: dict[str, float] = {}  # number → when the clerk's call-next was sent
        self.heard: list[tuple[str, float]] = []  # (number, when a screen's stream was told of its call)
        self.told: list[tuple[str, float]] = []  # (number, when its visitor's own stream was told)


async def timed(rec: Recorder, client: Client, op: str, method: str, path: str, body: bytes = b"",
                headers: dict | None = None, timeout: float = REQUEST_TIMEOUT_S):  # fmt: skip
    """One request, its latency recorded under ``op`` (304s under ``op 304``); None when it failed."""
    started = time.monotonic()
    rec.sent(started)
    try:
        status, payload = await asyncio.wait_for(client.request(method, path, body, headers), timeout)
    except TimeoutError:
        rec.error(f"{op} timeout", started)
        client.writer = None  # the answer may still come: never read it as the next one's
        return None
    except (ConnectionError, OSError, asyncio.IncompleteReadError) as error:
        rec.error(f"{op} connection", started, repr(error))
        client.writer = None
        return None
    finally:
        rec.pending -= rec.counts(started)
    rec.add(f"{op} 304" if status == 304 else op, started)
    if status >= 400:
        rec.error(f"{op} {status}", started, payload.decode(errors="replace"))
        return None
    return status, payload


class Stream:
    """A page's EventSource on a raw socket: None from ``open`` when refused (the page polls meanwhile)."""

    def __init__(self, hall: Hall, path: str, cookie: str = "", number: str | None = None):
        self.hall, self.path, self.cookie = hall, path, cookie
        self.number = number  # a phone's: the ticket it follows
        self.last_id: str | None = None
        self.writer = None

    async def open(self) -> asyncio.StreamReader | None:
        rec, started = self.hall.rec, time.monotonic()
        rec.sent(started)
        try:
            reader, self.writer = await asyncio.open_connection("127.0.0.1", self.hall.port)
            lines = [f"GET {self.path} HTTP/1.1", "Host: 127.0.0.1",
                     "Accept: text/event-stream"]  # fmt: skip
            if self.last_id is not None:
                lines.append(f"Last-Event-ID: {self.last_id}")
            if self.cookie:
                lines.append(f"Cookie: {self.cookie}")
            self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
            status_line = await asyncio.wait_for(reader.readline(), REQUEST_TIMEOUT_S)
            status = int(status_line.split()[1])
            headers = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.lower()] = value.strip().lower()
        except (TimeoutError, ConnectionError, OSError, IndexError, ValueError) as error:
            rec.error("stream connection", started, repr(error))
            self.close()
            return None
        finally:
            rec.pending -= rec.counts(started)
        rec.add("stream connect" if status == 200 else f"stream {status}", started)
        if status != 200:
            if status != 503:
                rec.error(f"stream {status}", started)
            elif rec.counts(started):
                rec.refused += 1
            self.close()
            return None
        self.chunked = headers.get("transfer-encoding") == "chunked"
        return reader

    async def frames(self, reader: asyncio.StreamReader):
        """Each event as (kind, data): the stream's comments and retry lines are skipped."""
        buffer = b""
        while True:
            if self.chunked:
                size = int((await reader.readline()).split(b";")[0] or b"0", 16)
                if size == 0:
                    return
                buffer += (await reader.readexactly(size + 2))[:-2]
            else:
                data = await reader.read(65536)
                if not data:
                    return
                buffer += data
            while b"\n\n" in buffer:
                frame, buffer = buffer.split(b"\n\n", 1)
                event, data = "message", None
                for line in frame.decode().split("\n"):
                    field, _, value = line.partition(": ")
                    if field == "event":
                        event = value
                    elif field == "data":
                        data = json.loads(value)
                    elif field == "id":
                        self.last_id = value
                if data is not None:
                    if event == "change" and data.get("kind") == "called":
                        if self.number is None:
                            self.hall.heard.append((data.get("number"), time.monotonic()))
                        elif data.get("number") == self.number:
                            self.hall.told.append((self.number, time.monotonic()))
                    yield event, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


class Page:
    """What push.js and display.js do for a page: poll at ``intervals[0]`` until a stream is open, then at
    ``intervals[1]`` and on news (``news`` says whether, and how soon); a refused stream is asked again
    after STREAM_RETRY_S; a stream the server ends is reopened with Last-Event-ID."""

    queues_news = False  # htmx drops a trigger while its request is in flight; display.js reads once more
    calm_s = 0.0  # data-push-calm: at most one refresh per calm_s for news not about this page

    def __init__(self, hall: Hall, stream: str, intervals: tuple[float, float], cookie: str = "", number=None):
        self.hall, self.intervals = hall, intervals
        self.stream = Stream(hall, stream, cookie, number)
        self.pushed = False
        self.wake = asyncio.Event()
        self.done = False
        self.last_refresh, self.calm = 0.0, None  # the refresh waiting out the calm period, if any

    async def refresh(self) -> None:
        raise NotImplementedError

    def about_me(self, data: dict) -> bool:
        """data-push-number, data-push-own-window: news refreshed at once, calm or not."""
        return False

    def news(self, data: dict) -> None:
        if not self.calm_s or self.about_me(data) or data.get("kind") == "resync":
            self.wake.set()
        elif self.calm is None:
            delay = max(self.hall.rng.uniform(0, self.calm_s), self.last_refresh + self.calm_s - time.monotonic())
            self.calm = asyncio.get_running_loop().call_later(delay, self.calmed)

    def calmed(self) -> None:
        self.calm = None
        self.wake.set()

    def shown(self) -> None:
        """The page part came with the news: a refresh it held back is not needed."""
        if self.calm is not None:
            self.calm.cancel()
            self.calm = None
        self.last_refresh = time.monotonic()

    async def follow(self, first_delay: float) -> None:
        await asyncio.sleep(first_delay)
        while not self.done and not self.hall.rec.over():
            reader = await self.stream.open()
            if reader is None:
                await asyncio.sleep(STREAM_RETRY_S)
                continue
            self.pushed = True
            try:
                async for event, data in self.stream.frames(reader):
                    if event == "change":  # a resync too, the stream's first word included (push.js)
                        self.news(data)
                    elif event == "page":  # the part itself, sent by the server: no refresh (push.js)
                        self.shown()
                    if self.done:
                        break
            except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError):
                pass
            self.pushed = False
            self.stream.close()
            await asyncio.sleep(2)  # the server's retry: 2,000 ms

    async def poll(self, phase: float) -> None:
        """The page's timer: a request every interval (dropped while one is in flight, as htmx does)."""
        await asyncio.sleep(phase)
        next_at = time.monotonic()
        while not self.done and not self.hall.rec.over():
            timeout = max(0.0, next_at - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout)
            self.wake.clear()
            if self.done or self.hall.rec.over():
                return
            if self.calm is not None:  # this refresh is the one the calm period held back
                self.calm.cancel()
                self.calm = None
            self.last_refresh = time.monotonic()
            await self.refresh()
            if not self.queues_news:
                self.wake.clear()
            next_at = time.monotonic() + self.intervals[1 if self.pushed else 0]

    async def run(self, phase: float, stream_delay: float) -> None:
        follower = asyncio.create_task(self.follow(stream_delay))
        try:
            await self.poll(phase)
        finally:
            follower.cancel()
            self.stream.close()
            if self.calm is not None:
                self.calm.cancel()


class Revalidating(Page):
    """An htmx fragment answered with ``Cache-Control: private, no-cache`` and an ETag: the browser keeps it and
    asks with If-None-Match each time (a 304 reaches htmx as the kept 200)."""

    def __init__(self, hall: Hall, stream: str, intervals: tuple[float, float], cookie: str = "", number=None):
        super().__init__(hall, stream, intervals, cookie, number)
        self.client, self.etag = Client(hall.port), None

    async def fragment(self, op: str, path: str, headers: dict | None = None):
        headers = {"HX-Request": "true", **(headers or {}), **({"If-None-Match": self.etag} if self.etag else {})}
        answer = await timed(self.hall.rec, self.client, op, "GET", path, headers=headers)
        if answer is not None:
            self.etag = self.client.headers.get("etag", self.etag)
        return answer


class Phone(Revalidating):
    """tickets/mine.html: the status fragment, 304 while nothing changed; at the visit's end the page once
    more (it then offers the rating and polls no more). Its stream is its own (/t/<token>/events), which
    tells only the news that changes its page: its number named at once, its place within PHONE_CALM_S."""

    calm_s = PHONE_CALM_S

    def __init__(self, hall: Hall, visitor: dict):
        super().__init__(hall, f"/t/{visitor['token']}/events", PHONE, number=visitor["number"])
        self.visitor = visitor

    def about_me(self, data: dict) -> bool:
        return data.get("number") == self.visitor["number"]

    async def refresh(self) -> None:
        if await self.fragment("phone status", f"/t/{self.visitor['token']}/status") is None:
            return
        if self.client.headers.get("hx-refresh") == "true":
            await timed(self.hall.rec, self.client, "phone page", "GET", f"/t/{self.visitor['token']}/")
            self.done = True
            self.wake.set()


class Console(Revalidating):
    """workstation/console.html's panel: news of its own window at once, the hall's other news at most every
    CONSOLE_CALM_S."""

    calm_s = CONSOLE_CALM_S

    def __init__(self, hall: Hall, staff: dict):
        super().__init__(hall, f"/halls/{hall.code}/events?for=console", CONSOLE, staff["console"])
        self.staff = staff

    async def refresh(self) -> None:
        await self.fragment(
            "console panel", f"/console/{self.staff['window']}/panel", {"Cookie": self.staff["console"]}
        )

    def about_me(self, data: dict) -> bool:
        return data.get("window") == self.staff["number"]

    def news(self, data: dict) -> None:
        if not self.about_me(data):  # push.js leaves alone another window's news that changes nothing here:
            if data.get("moved") is False:  # a visitor served or completed
                return
            if data.get("windows") is not None and self.staff["number"] not in data["windows"]:
                return  # a ticket this window does not list
        super().news(data)


class Display(Page):
    """The hall's TV (display.js): the feed after the last call it showed, revalidated with its ETag."""

    queues_news = True

    def __init__(self, hall: Hall):
        super().__init__(hall, f"/halls/{hall.code}/events?for=display", TV)
        self.client, self.etag, self.after = Client(hall.port), None, 0

    def news(self, data: dict) -> None:
        if data.get("moved") is False and data.get("kind") != "recalled":
            return  # display.js: a visitor served, completed or a no-show changes nothing on the screen
        super().news(data)

    async def refresh(self) -> None:
        headers = {"If-None-Match": self.etag} if self.etag else {}
        answer = await timed(self.hall.rec, self.client, "tv feed", "GET",
                             f"/halls/{self.hall.code}/display/feed?after={self.after}", headers=headers,
                             timeout=TV_TIMEOUT_S)  # fmt: skip
        if answer is None:
            return
        status, payload = answer
        self.etag = self.client.headers.get("etag", self.etag)
        if status == 200:
            calls = json.loads(payload)["calls"]
            if calls:
                self.after = calls[-1]["id"]


async def clerk(hall: Hall, staff: dict, minutes: dict, multiple: float, visit: dict | None) -> None:
    """A clerk at a staffed window, with the demo's draws, ``multiple`` times as quick; ``visit`` is the
    ticket the setup called here, the visit in progress at 18:30, which the clerk takes up at a uniform
    point of it (so completes come from the start, and calls as spread as the evening's)."""
    rec, rng, client = hall.rec, hall.rng, Client(hall.port)
    auth = {"Authorization": f"Bearer {staff['token']}"}
    mean = sum(minutes[i] for i in staff["items"]) / len(staff["items"])
    while not rec.over():
        past = None
        if visit is None:
            sent = time.monotonic()
            answer = await timed(rec, client, "call-next", "POST", f"/api/windows/{staff['window']}/call-next",
                                 headers=auth)  # fmt: skip
            if answer is None or answer[0] == 204:
                await asyncio.sleep(IDLE_CLERK_S / multiple)
                continue
            visit, past = json.loads(answer[1]), 0.0
            hall.keys[visit["number"]] = sent
        ticket, visit = visit, None
        walk = CALLED_TO_SERVING_S / multiple
        service = minutes.get(ticket["item"], mean) * 60 * rng.uniform(*SERVICE_DRAW) / multiple
        if past is None:
            past = rng.uniform(0, walk + service)
        if past < walk:
            await asyncio.sleep(walk - past)
            if rng.random() < NO_SHOW_SHARE:
                await timed(rec, client, "no-show", "POST", f"/api/tickets/{ticket['id']}/no-show", headers=auth)
                continue
            await timed(rec, client, "serving", "POST", f"/api/tickets/{ticket['id']}/serving", headers=auth)
        await asyncio.sleep(walk + service - max(past, walk))
        for _ in range(2):  # a refused or lost answer: the clerk presses again (not the next call before it)
            if await timed(rec, client, "complete", "POST", f"/api/tickets/{ticket['id']}/complete", headers=auth):
                break
            await asyncio.sleep(IDLE_CLERK_S / multiple)


async def arrivals(hall: Hall, fixture: dict, per_hour: float, spawn) -> None:
    """Visitors taking numbers at the hall's kiosk (Poisson), each phone then following its ticket; the item
    drawn as the demo's arrivals draw it (a staffed window's item)."""
    rec, rng, client = hall.rec, hall.rng, Client(hall.port)
    cookie = {"Cookie": f"weimin_device={fixture['kiosk']}"}
    while per_hour > 0:
        await asyncio.sleep(rng.expovariate(per_hour / 3600))
        if rec.over():
            return
        body = json.dumps({"item": rng.choice(rng.choice(fixture["staff"])["items"])}).encode()
        answer = await timed(rec, client, "take", "POST", f"/api/halls/{hall.code}/tickets", body, cookie)
        if answer is not None:
            ticket = json.loads(answer[1])
            rec.taken.append(ticket["id"])
            spawn(ticket)


async def loop_lag(rec: Recorder) -> None:
    """The generator's own delay: every LAG_PROBE_S, how much later than asked its event loop wakes. A busy
    loop reads answers late, and every latency it reports grows by as much."""
    while not rec.over():
        started = time.monotonic()
        await asyncio.sleep(LAG_PROBE_S)
        if rec.counts(started):
            rec.lag.append((time.monotonic() - started - LAG_PROBE_S) * 1000)


async def drive_halls(port: int, plan: list[dict], multiple: float, measure_from: float, until: float, seed: int):
    """Run the plan's halls until ``until``, measuring from ``measure_from``."""
    rng = random.Random(seed)
    rec = Recorder(measure_from, until)
    tasks, halls, pages = [], [], []

    def start(page: Page, phase: float, stream_delay: float) -> None:
        pages.append(page)
        tasks.append(asyncio.create_task(page.run(phase, stream_delay)))

    for entry in plan:
        hall = Hall(entry["code"], port, rec, random.Random(rng.random()))
        halls.append(hall)
        fixture = entry["fixture"]
        for visitor in entry["visitors"]:  # their pages open: each asks for its stream, as a page does on load
            start(Phone(hall, visitor), rng.uniform(0, PHONE[0]), rng.uniform(0, PHONE[0]))
        for _ in range(max(1, round(multiple))):
            start(Display(hall), rng.uniform(0, 1), rng.uniform(0, 2))
            for staff in fixture["staff"]:
                start(Console(hall, staff), rng.uniform(0, CONSOLE[0]), rng.uniform(0, 2))
        for staff in fixture["staff"]:
            visit = entry["visits"].get(staff["window"])
            tasks.append(asyncio.create_task(clerk(hall, staff, fixture["minutes"], multiple, visit)))

        def spawn(ticket: dict, hall: Hall = hall) -> None:
            start(Phone(hall, ticket), 0, 0)

        tasks.append(asyncio.create_task(arrivals(hall, fixture, entry["arrivals_per_hour"] * multiple, spawn)))
    tasks.append(asyncio.create_task(loop_lag(rec)))
    await asyncio.sleep(max(0.0, rec.measure_from - time.monotonic()))
    cpu_at = time.process_time()
    await asyncio.sleep(max(0.0, until - time.monotonic()))
    cpu = time.process_time() - cpu_at
    for page in pages:  # no more requests; those of the window still out are waited for
        page.wake.set()
    while rec.pending and time.monotonic() < until + GRACE_S:
        await asyncio.sleep(0.2)
    if rec.pending:
        rec.errors[f"unanswered {GRACE_S} s after the run"] = rec.pending
    for task in tasks:
        task.cancel()
    await asyncio.wait(tasks, timeout=10)
    for op, told in (("push delay", "heard"), ("phone called", "told")):
        rec.ms[op] = [
            (when - hall.keys[number]) * 1000
            for hall in halls
            for number, when in getattr(hall, told)
            if number in hall.keys and rec.counts(hall.keys[number])
        ]
    return {"ms": rec.ms, "errors": rec.errors, "examples": rec.examples, "refused": rec.refused,
            "answered": rec.answered, "taken": rec.taken, "cpu_s": cpu, "lag": rec.lag}  # fmt: skip


def generator(port: int, plan: list[dict], multiple: float, measure_from: float, until: float, seed: int, out) -> None:
    out.put(asyncio.run(drive_halls(port, plan, multiple, measure_from, until, seed)))


# --- CPU accounting from /proc ---

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds of the process and of its reaped children)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry)] = (int(fields[1]), sum(int(f) for f in fields[11:15]) / CLOCK_TICKS)
    return found


def tree_cpu(roots: list[int]) -> float:
    """CPU seconds so far of the processes ``roots`` and all their descendants (exited ones through their
    parents' reaped-children times)."""
    processes = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0.0, list(roots)
    while todo:
        pid = todo.pop()
        if pid in processes:
            total += processes[pid][1]
            todo += children.get(pid, [])
    return total


def postmaster_pid(port: int) -> int:
    for entry in os.listdir("/proc"):
        try:
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv[0].endswith(b"postgres") and b"-p" in argv and argv[argv.index(b"-p") + 1] == str(port).encode():
            return int(entry)
    raise SystemExit(f"no PostgreSQL postmaster on port {port}")


def cpu_times() -> tuple[float, float, float]:
    """(idle, stolen, total) jiffies of the box (idle counts iowait; stolen: time the hypervisor gave this
    virtual machine's cores to others — a run that lost much of it measured a smaller box)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return values[3] + values[4], values[7], sum(values[:8])


# --- one multiple ---


def run_multiple(args, env: dict, halls: dict, model: list[HallModel], visitors: dict, multiple: float,
                 pg_pid: int, var_dir: str) -> dict:  # fmt: skip
    port = free_port()
    command = [sys.executable, "-m", "weimin.manage", "serve", "--addr", f"127.0.0.1:{port}"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    generators = args.generators or max(1, min(4, round(multiple)))
    # Whole halls per generator, the largest first to the least loaded.
    plans: list[list[dict]] = [[] for _ in range(generators)]
    loads = [0] * generators
    for m in sorted(model, key=lambda m: -m.phones):
        index = loads.index(min(loads))
        loads[index] += m.phones
        plans[index].append({"code": m.code, "fixture": halls[m.code], "visitors": visitors["phones"][m.code],
                             "visits": visitors["visits"], "arrivals_per_hour": m.arrivals_per_hour})  # fmt: skip
    with open(Path(var_dir) / f"server-{multiple:g}x.log", "w") as log:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(f"http://127.0.0.1:{port}/api/halls", server)
            processes = multiprocessing.get_context("fork")
            out = processes.Queue()
            measure_from = time.monotonic() + args.warmup
            until = measure_from + args.seconds
            workers = [
                processes.Process(target=generator, args=(port, plan, multiple, measure_from, until,
                                                          round(multiple * 100) + n, out))
                for n, plan in enumerate(plans)
            ]  # fmt: skip
            for worker in workers:
                worker.start()
            time.sleep(max(0.0, measure_from - time.monotonic()))
            idle0, stolen0, total0 = cpu_times()
            server0, pg0 = tree_cpu([server.pid]), tree_cpu([pg_pid])
            time.sleep(max(0.0, until - time.monotonic()))
            idle1, stolen1, total1 = cpu_times()
            server1, pg1 = tree_cpu([server.pid]), tree_cpu([pg_pid])
            parts = [out.get(timeout=GRACE_S + 60) for _ in workers]
            for worker in workers:
                worker.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    # What the server logged of its failures (a traceback's last line), the causes behind the 500s.
    failures = Counter(
        line[:200] for line in (Path(var_dir) / f"server-{multiple:g}x.log").read_text().splitlines()
        if re.match(r"[\w.]+(Error|Exception): ", line)
    )  # fmt: skip
    ms: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    examples: dict[str, str] = {}
    for part in parts:
        for op, values in part["ms"].items():
            ms.setdefault(op, []).extend(values)
        for kind, n in part["errors"].items():
            errors[kind] = errors.get(kind, 0) + n
        examples.update(part["examples"])
    operations = {
        op: {"n": len(v), "p50_ms": round(percentile(v, 0.5), 1), "p99_ms": round(percentile(v, 0.99), 1)}
        for op, v in sorted(ms.items())
        if v
    }
    answered = sum(part["answered"] for part in parts)
    lag = [ms for part in parts for ms in part["lag"]] or [0.0]
    return {
        "multiple": multiple,
        "phones": sum(len(v) for v in visitors["phones"].values()),
        "generators": generators,
        "requests_per_s": round(answered / args.seconds, 1),
        "operations": operations,
        "generator_lag_ms": {"p50": round(percentile(lag, 0.5), 1), "p99": round(percentile(lag, 0.99), 1)},
        "streams_refused": sum(part["refused"] for part in parts),
        "errors": errors,
        "error_examples": examples,
        "server_failures": dict(failures.most_common(5)),
        "idle_share": round((idle1 - idle0) / max(1, total1 - total0), 3),
        "stolen_share": round((stolen1 - stolen0) / max(1, total1 - total0), 3),
        "cpu_s": {
            "app": round(server1 - server0, 1),
            "postgres": round(pg1 - pg0, 1),
            "generator": round(sum(part["cpu_s"] for part in parts), 1),
        },
        "taken": [ticket for part in parts for ticket in part["taken"]],
    }


def within_target(result: dict) -> bool:
    return all(op["p99_ms"] <= TARGET_MS for op in result["operations"].values()) and not result["errors"]


def print_report(report: dict) -> None:
    print(f"baseline: pgbench simple-update {report['pgbench_simple_update_tps']:.0f} TPS (same cluster, same run)")
    print("the demo district's evening peak at 1× (18:30; arrivals = the demo's tickets 18:00–18:30 × 2):")
    print(f"  {'hall':20} {'windows':>7} {'arrivals/h':>10} {'handling min':>12} {'phones':>6}")
    for m in report["model"]:
        print(f"  {m['code']:20} {m['windows']:7} {m['arrivals_per_hour']:10.0f} {m['mean_handling_minutes']:12.1f} "
              f"{m['phones']:6}")  # fmt: skip
    windows = sum(m["windows"] for m in report["model"])
    print(f"  district: {windows} staffed windows (a clerk and a console each), {len(report['model'])} TVs, "
          f"{sum(m['arrivals_per_hour'] for m in report['model']):.0f} arrivals/h, {PHONES} phones")  # fmt: skip
    cores = os.cpu_count()
    for r in report["results"]:
        server = r["cpu_s"]["app"] + r["cpu_s"]["postgres"]
        print(
            f"\n{r['multiple']:g}×: {r['phones']} phones, {r['requests_per_s']:.0f} req/s "
            f"(ratio {r['ratio_to_pgbench_tps']:.3f} to pgbench), box idle {100 * r['idle_share']:.0f} %, "
            f"stolen by the hypervisor {100 * r['stolen_share']:.0f} %, "
            f"server {server / report['seconds']:.2f} of {cores} cores (app {r['cpu_s']['app']:.0f} s, "
            f"PostgreSQL {r['cpu_s']['postgres']:.0f} s), generator {r['cpu_s']['generator'] / report['seconds']:.2f} "
            f"cores ({r['generators']} processes, loop late by p50 {r['generator_lag_ms']['p50']:.1f} / p99 "
            f"{r['generator_lag_ms']['p99']:.1f} ms); {r['streams_refused']} stream requests refused (503)"
        )
        print(f"  {'operation':18} {'n':>7} {'p50 ms':>8} {'p99 ms':>8}")
        for op, o in r["operations"].items():
            flag = "  > 100 ms" if o["p99_ms"] > TARGET_MS else ""
            print(f"  {op:18} {o['n']:7} {o['p50_ms']:8.1f} {o['p99_ms']:8.1f}{flag}")
        print(f"  errors: {r['errors'] or '-'}")
        for kind, example in r["error_examples"].items():
            print(f"    {kind}: {example!r}")
        for failure, n in r["server_failures"].items():
            print(f"  server log, {n}×: {failure}")
    print(f"\n{report['verdict']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="measured seconds per multiple")
    parser.add_argument("--warmup", type=float, default=15, help="seconds per multiple before measuring")
    parser.add_argument("--multiples", default="1,2,4", help="of the district's peak, in order (0.5 allowed)")
    parser.add_argument("--workers", type=int, default=0, help="server workers (default: weimin serve's)")
    parser.add_argument("--streams", type=int, default=0, help="stream slots per process (default: the setting)")
    parser.add_argument("--generators", type=int, default=0, help="load generator processes (default: one per ×)")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    args = parser.parse_args()
    multiples = [float(m) for m in args.multiples.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="weimin-bench-district-") as var_dir, throwaway_cluster() as url:
        env = queue_bench.server_env(url, var_dir)
        # One clock for the setup and every server started after it: the evening runs on from 18:30.
        env["WEIMIN_CLOCK_ANCHOR"] = repr(time.time())
        if args.streams:
            env["WEIMIN_PUSH_STREAMS_PER_PROCESS"] = str(args.streams)
        baseline = queue_bench.pgbench_tps(url, 10)
        halls = queue_bench.prepare(env, HALLS, visitors=0)
        model = evening_model(halls)
        pg_pid = postmaster_pid(int(url.rsplit(":", 1)[1].split("/")[0]))
        taken: list[int] = []
        issued: dict = {"phones": {}}
        for multiple in multiples:
            cancel = [v["id"] for vs in issued["phones"].values() for v in vs] + taken
            issued = issue_visitors(env, halls, model, multiple, cancel)
            result = run_multiple(args, env, halls, model, issued, multiple, pg_pid, var_dir)
            taken = result.pop("taken")
            result["ratio_to_pgbench_tps"] = round(result["requests_per_s"] / baseline, 3)
            results.append(result)
            if not args.json:
                print(f"{multiple:g}×: {result['requests_per_s']} req/s, worst p99 "
                      f"{max(o['p99_ms'] for o in result['operations'].values())} ms", file=sys.stderr)  # fmt: skip
            if any(o["p99_ms"] > BY_FAR * TARGET_MS for o in result["operations"].values()):
                break
    held = [r["multiple"] for r in results if within_target(r)]
    failed = [r["multiple"] for r in results if not within_target(r)]
    if not held:
        verdict = f"the box carries less than {min(failed):g}× a district's evening peak (a p99 over {TARGET_MS} ms)"
    elif not failed or max(held) > min(failed):
        verdict = f"the box carries at least {max(held):g}× a district's evening peak (every p99 ≤ {TARGET_MS} ms)"
    else:
        verdict = (f"the box carries {max(held):g}× a district's evening peak but not {min(failed):g}× "
                   f"(every p99 ≤ {TARGET_MS} ms at {max(held):g}×)")  # fmt: skip
    report = {
        "pgbench_simple_update_tps": baseline,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "model": [asdict(m) for m in model],
        "results": results,
        "verdict": verdict,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
