"""Fixtures shared by every app's tests."""

import os
import threading
import time
import warnings
from contextlib import suppress
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings as hypothesis_settings

from weimin.core import clock

# Machines here are shared and noisy (and make test runs two suites side by side): property tests check
# what holds, never how fast one example runs.
hypothesis_settings.register_profile("weimin", deadline=None)
hypothesis_settings.load_profile("weimin")

SHANGHAI = ZoneInfo("Asia/Shanghai")


def pytest_collection_modifyitems(config, items):
    """Browser and fuzz tests last: their browser and live-server threads must not exist while other
    tests fork."""
    items.sort(key=lambda item: any(item.get_closest_marker(name) for name in ("browser", "fuzz")))


def local(text: str) -> datetime:
    """'2017-12-08 18:30' in the halls' time zone → aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def _start_the_clock() -> None:
    """The real clock, or with ``WEIMIN_TEST_CLOCK=2026-12-01T19:10`` one running from that hall-local
    instant: a run of the suite at another hour of the day finds a test that passes only while halls issue
    tickets (CI runs at any hour)."""
    clock.reset()
    if start := os.environ.get("WEIMIN_TEST_CLOCK"):
        clock.run_from(clock.parse_clock(start))


@pytest.fixture(autouse=True)
def real_clock():
    """Every test starts and ends on the real clock, with no calendar (or analytics' month parts) cached
    from another test, and no live stream left running."""
    from weimin.analytics.queries import forget_parts
    from weimin.calendars.national import forget_office_entries
    from weimin.halls.hours import forget_hall_entries
    from weimin.halls.reference import forget_reference_data
    from weimin.tickets.changes import hall_changes
    from weimin.tickets.queue import forget_snapshots

    _start_the_clock()
    forget_office_entries()
    forget_hall_entries()
    forget_reference_data()
    forget_snapshots()
    forget_parts()
    yield
    clock.reset()
    hall_changes.interrupt()  # a live server's streams end with their test, before its database does
    hall_changes.forget()


class _TestClockTime:
    """What django-ratelimit reads as the time: weimin's clock, so ``freeze`` moves the limits' windows."""

    @staticmethod
    def time() -> float:
        return clock.now().timestamp()


@pytest.fixture(autouse=True)
def limits_on_the_test_clock(request, monkeypatch):
    """Limits on abuse count in windows of the test's clock, and no count outlives its test: a
    transactional test's tables are flushed afterwards, but the cache table is no model's, so it is
    cleared here."""
    import django_ratelimit.core

    monkeypatch.setattr(django_ratelimit.core, "time", _TestClockTime)
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    blocker = request.getfixturevalue("django_db_blocker") if transactional else None
    yield
    if blocker is not None:
        from django.core.cache import cache

        with blocker.unblock():
            cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and nothing left connected to it when it is dropped (PostgreSQL): not the hall
    change feed's listener, nor any other session."""
    yield
    from django.db import connections

    from weimin.tickets.changes import hall_changes

    hall_changes.stop()
    if connections["default"].vendor == "postgresql":
        with django_db_blocker.unblock():
            _let_other_sessions_end(connections["default"])


def _let_other_sessions_end(connection, seconds: float = 3.0, applications: tuple[str, ...] | None = None) -> None:
    """Before the test database is dropped: wait a moment for any other session on it (a request thread
    finishing), then name those left in a warning — the clue to a thread that keeps a connection — and
    end them, so that the drop does not fail with only "being accessed by other users". ``applications``:
    only the sessions of these application names (its test, while the feed's listener is still connected)."""
    others_sql = (
        "SELECT pid, application_name, state, left(query, 200), client_port FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        " AND (%(applications)s::text[] IS NULL OR application_name = ANY(%(applications)s::text[]))"
    )
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # inside a transaction the view is read once
            cursor.execute(others_sql, {"applications": None if applications is None else list(applications)})
            others = cursor.fetchall()
            if not others:
                return
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        named = [(*row[:4], _owner_of_port(row[4])) for row in others]
        warnings.warn(
            f"sessions still on the test database at its drop (pid, application, state, query, whose): {named}",
            stacklevel=2,
        )
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [[row[0] for row in others]])


def _owner_of_port(port: int | None) -> str:
    """The local process whose TCP socket has ``port`` (a session's client end), and if it is this one, its
    threads: whose connection was left. Read from /proc (Linux); "unknown" when it cannot be told."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with suppress(OSError), open(table) as rows:
            inodes.update(f[9] for f in map(str.split, list(rows)[1:]) if int(f[1].rpartition(":")[2], 16) == port)
    for pid in filter(str.isdigit, os.listdir("/proc") if inodes else ()):
        with suppress(OSError):
            if any(os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1] in inodes for fd in os.listdir(f"/proc/{pid}/fd")):
                if int(pid) == os.getpid():
                    return f"this test process, threads {sorted(t.name for t in threading.enumerate())}"
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
                return f"process {pid}: {command[:160]}"
    return "unknown"


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, stopped before the test database is dropped: its own fixture does not
    ask for the database, so a test that asks for it first kept it serving — a request thread of it
    still holding a connection — until after the drop ("test_postgres is being accessed by other users")."""
    return live_server


@pytest.fixture
def freeze():
    """``freeze('2017-12-08 18:30')`` stops weimin's clock at that hall-local instant."""

    def _freeze(text: str) -> datetime:
        instant = local(text)
        clock.freeze(instant)
        return instant

    return _freeze


@pytest.fixture
def statements(db):
    """``with statements() as sql:`` — the SQL text of every statement the default connection runs meanwhile
    (a prepared statement's too, which Django's query log shows as None on PostgreSQL)."""
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def _statements():
        seen: list[str] = []

        def record(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            yield seen

    return _statements


@pytest.fixture
def district(db):
    from weimin.halls.models import District

    return District.objects.create(code="longgang", name="龙岗区")


@pytest.fixture
def hall(district):
    """The district hall with the article's two schedules (extended service from 2017-10-23)."""
    from weimin.demo.seed import seed_schedules
    from weimin.halls.choices import HallKind
    from weimin.halls.models import Hall

    hall = Hall.objects.create(
        district=district, code="longgang-district", name="龙岗区行政服务大厅", kind=HallKind.DISTRICT
    )
    seed_schedules(hall)
    return hall


@pytest.fixture
def item(db):
    from weimin.halls.models import Department, ItemCategory, Material, ServiceItem

    item = ServiceItem.objects.create(
        code="fire-acceptance",
        name="建设工程消防验收",
        department=Department.objects.create(code="fire", name="区公安消防大队"),
        category=ItemCategory.objects.create(code="fire", name="消防审批", ticket_prefix="B"),
        handling_minutes=30,
        promised_days=15,
        statutory_days=20,
    )
    Material.objects.create(item=item, position=1, name="建设工程消防验收申报表")
    Material.objects.create(item=item, position=2, name="消防产品质量合格证明文件", tolerance_eligible=True)
    Material.objects.create(item=item, position=3, name="委托书", required=False)
    return item


@pytest.fixture
def window(hall, item):
    from weimin.halls.models import Window

    window = Window.objects.create(hall=hall, number=5)
    window.items.add(item)
    return window


@pytest.fixture
def make_staff(hall):
    """``make_staff('wu', 'hall_manager')`` creates a member of the hall in that role group."""
    from django.contrib.auth.models import Group, User

    from weimin.accounts.models import StaffProfile

    def _make(username: str, role: str, *, halls=None):
        user = User.objects.create_user(username, password="x")
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, display_name=username).halls.add(*([hall] if halls is None else halls))
        return user

    return _make


@pytest.fixture
def make_clerk(make_staff):
    """``make_clerk('huang', window)`` creates window staff of the hall, signed in at ``window`` if given."""
    from weimin.shifts.actions import sign_in

    def _make(username: str, window=None):
        user = make_staff(username, "window_staff")
        if window is not None:
            sign_in(user, window, clock.now())
        return user

    return _make


@pytest.fixture
def manager(make_staff):
    """The hall's manager (大厅负责人)."""
    return make_staff("wu", "hall_manager")


@pytest.fixture
def approver(make_staff):
    """The back-office approver who concludes the hall's cases (办结)."""
    return make_staff("zhou", "approver")


@pytest.fixture
def clerk(make_clerk, window, freeze):
    """Window staff signed in at window 5 on the article's Friday evening."""
    freeze("2017-12-08 18:30")
    return make_clerk("huang", window)


@pytest.fixture
def at_window(hall, window, item, clerk):
    """A ticket called to window 5 by the clerk, on the article's Friday evening."""
    from weimin.tickets import actions

    actions.issue_ticket(hall, item, clock.now())
    return actions.call_next(clerk, window, clock.now())


CHROMIUM = "/usr/bin/chromium"

# Each page is tried at its user's screen size.
PHONE = {"width": 390, "height": 844}
KIOSK = {"width": 1080, "height": 1920}  # portrait
CONSOLE = {"width": 1366, "height": 768}  # the clerk's and the manager's PC
TV = {"width": 1920, "height": 1080}  # the hall's display
PAD = {"width": 800, "height": 1280}  # the 好差评 tablet on the counter, portrait


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (``playwright install`` cannot download browsers here)."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: apt-get install chromium fonts-noto-cjk (as .ci/run does)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page(viewport=...)`` opens a page in its own browser context — a device of its own (kiosk,
    phone, TV, clerk's PC) — closed after the test, so no page keeps polling into the next test."""
    contexts = []

    def _new(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots():
    """Where browser tests leave their screenshots for a person to look at: var/screenshots/."""
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.VAR_DIR).parent / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def enroll(db):
    """``enroll("kiosk")`` / ``enroll("pad", window)``: a device of the hall (the district hall unless
    ``hall=``) enrolled as its manager would, through its one-time link; returns the secret the device's
    cookie carries (``client.cookies[COOKIE] = secret``, or ``enrolled_context`` in browser tests)."""
    from django.contrib.auth.models import User

    from weimin.accounts import actions
    from weimin.accounts.models import Device
    from weimin.halls.models import Hall

    def _enroll(kind: str, window=None, *, hall=None) -> str:
        hall = hall or (window.hall if window is not None else Hall.objects.get(code="longgang-district"))
        by = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("root", password="x")
        link = actions.add_device(by, Device(hall=hall, kind=kind, window=window), clock.now())
        return actions.enroll(link.code, clock.now())[1]

    return _enroll


def enrolled_context(context, base_url: str, secret: str):
    """A browser context (a kiosk, a pad) that carries an enrolled device's cookie."""
    from weimin.accounts.devices import COOKIE

    context.add_cookies([{"name": COOKIE, "value": secret, "url": base_url, "httpOnly": True}])
    return context
