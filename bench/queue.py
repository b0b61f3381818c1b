"""Queue benchmark: mixed traffic over HTTP against `weimin serve`, on PostgreSQL and on SQLite.

    .venv/bin/python bench/queue.py [--seconds 20] [--clients 64] [--workers 3] [--backends postgres,sqlite]

For each backend it builds the demo district (with the day's queue at 2017-12-08 18:30), signs bench
clerks in at windows, starts the production server and lets 64 concurrent keep-alive clients run a
hall's evening mix: visitors polling their ticket, taking numbers, reading the queue and opening
hours, the hall display polling its feed, and clerks calling and completing. It prints requests/s,
p50 and p99 latency, and — as the in-run baseline on this noisy machine — pgbench's simple-update
TPS on the same PostgreSQL cluster, with the ratio of the two.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from weimin.testing.pgcluster import as_server_user, pg_tool, throwaway_cluster  # noqa: E402
from weimin.testing.servers import free_port, wait_for  # noqa: E402

HALL = "longgang-district"
CLOCK = "2017-12-08T18:30"
# (operation, weight): a hall's evening as seen by the server.
MIX = [("ticket", 30), ("queue", 15), ("take", 12), ("feed", 15), ("hours", 8), ("staff", 20)]


def server_env(database_url: str | None, var_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env.update(
        {
            "SECRET_KEY": "bench",
            "WEIMIN_ALLOW_CLOCK": "1",
            "WEIMIN_CLOCK": CLOCK,
            "WEIMIN_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "weimin.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("WEIMIN_CLOCK_ANCHOR", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


SETUP = """
import json, django
django.setup()
from datetime import timedelta
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.core.management import call_command
from weimin.accounts.actions import add_device, enroll, issue_token
from weimin.accounts.models import Device
from weimin.core import clock
from weimin.demo.seed import seed_demo
from weimin.demo.simulation import prepare_day
from weimin.halls.models import Hall
from weimin.shifts.models import Duty
from weimin.shifts.actions import sign_in
from weimin.tickets import actions
from weimin.tickets.models import Ticket
call_command("migrate", verbosity=0)
seed_demo()
now = clock.now()
prepare_day(now)
admin = User.objects.get(username="admin")

def console_cookie(user):
    # A signed-in browser's session, as the login page would leave it: the console's pages need one.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

halls = {}
for code in %(halls)s:
    hall = Hall.objects.get(code=code)
    today = hall.local_date(now)
    # The demo's evening so far, before the bench changes anything: tickets taken in the last half hour.
    taken = Ticket.objects.filter(hall=hall, business_date=today, issued_at__gte=now - timedelta(minutes=30)).count()
    Duty.objects.filter(window__hall=hall, ended_at__isnull=True).update(ended_at=now)
    Ticket.objects.filter(hall=hall, status__in=["called", "serving"]).update(status="completed", window=None)
    clerks = [u for u in hall.staff.filter(user__username__startswith=code + "-").order_by("user__username")]
    windows = [w for w in hall.windows.filter(active=True).order_by("number") if w.items.exists()]
    staff = []
    for profile, window in zip(clerks, windows):
        sign_in(profile.user, window, now)
        staff.append({"window": window.pk, "number": window.number, "token": issue_token(profile.user),
                      "items": sorted(window.items.values_list("code", flat=True)),
                      "console": console_cookie(profile.user)})
    items = hall.service_items()
    visitors = []
    for n in range(%(visitors)d):
        issued = actions.issue_ticket(hall, items[n %% len(items)], now)
        visitors.append({"id": issued.ticket.pk, "token": issued.token})
    # Numbers are taken at the hall's enrolled kiosks (not limited per address, issue 9).
    kiosk = add_device(admin, Device(hall=hall, kind="kiosk", label="bench"), now)
    halls[code] = {"staff": staff, "visitors": visitors, "items": [i.code for i in items],
                   "minutes": {i.code: i.handling_minutes for i in items}, "taken_last_half_hour": taken,
                   "kiosk": enroll(kiosk.code, now)[1]}
print(json.dumps(halls))
"""


def prepare(env: dict, halls: tuple[str, ...] = (HALL,), visitors: int = 200) -> dict:
    """The demo district at the clock's instant and, for each hall in ``halls``: bench clerks signed in at
    its staffed windows (API token and console session each), ``visitors`` tickets issued (id and token),
    an enrolled kiosk, its items' handling minutes and the tickets the demo issued in the last half hour.
    The integrity of the snapshot is not the point here: the demo's in-service tickets are closed off so
    that bench clerks start at empty windows."""
    script = SETUP % {"halls": json.dumps(list(halls)), "visitors": visitors}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"setup failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


class Client:
    """One keep-alive HTTP/1.1 connection: small, so the load generator does not eat the server's CPU.
    ``headers`` holds the last answer's headers (lower-case names). A kept-alive connection the server
    closed while it sat idle is opened again and the request sent once more, as a browser does."""

    def __init__(self, port: int):
        self.port, self.reader, self.writer = port, None, None
        self.headers: dict[str, str] = {}

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        reused = self.writer is not None
        if not reused:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
        if body:
            head += "Content-Type: application/json\r\n"
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n"
        try:
            self.writer.write(head.encode() + b"\r\n" + body)
            # The status line and headers in one read: a readline each cost the generator 60 % more CPU a request.
            answer = await self.reader.readuntil(b"\r\n\r\n")
        except (ConnectionError, asyncio.IncompleteReadError):
            answer = b""
        if not answer:
            self.writer.close()
            self.writer = None
            if reused:
                return await self.request(method, path, body, headers)
            raise ConnectionError("closed")
        status_line, *lines = answer[:-4].decode().split("\r\n")
        status = int(status_line.split()[1])
        self.headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            self.headers[name.lower()] = value.strip()
        length = int(self.headers.get("content-length", 0))
        payload = await self.reader.readexactly(length) if length else b""
        if self.headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status, payload


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * fraction) - 1)]


def next_request(op: str, rng: random.Random, fixture: dict, staff: dict | None, holding: int | None):
    if op == "ticket":
        visitor = rng.choice(fixture["visitors"])
        return "GET", f"/api/tickets/{visitor['id']}", b"", {"X-Visitor-Token": visitor["token"]}
    if op == "queue":
        return "GET", f"/api/halls/{HALL}/queue", b"", None
    if op == "take":
        body = json.dumps({"item": rng.choice(fixture["items"])}).encode()
        return "POST", f"/api/halls/{HALL}/tickets", body, {"Cookie": f"weimin_device={fixture['kiosk']}"}
    if op == "feed":
        return "GET", f"/halls/{HALL}/display/feed?after=0", b"", None
    if op == "hours":
        return "GET", f"/api/halls/{HALL}/hours", b"", None
    auth = {"Authorization": f"Bearer {staff['token']}"}
    if holding is None:
        return "POST", f"/api/windows/{staff['window']}/call-next", b"", auth
    return "POST", f"/api/tickets/{holding}/complete", b"", auth


async def load(port: int, fixture: dict, seconds: float, clients: int, rate: float = 0) -> dict:
    """Run the mix for ``seconds``. ``rate`` > 0 paces the clients to that many requests a second in
    all, latency counted from each request's scheduled start (a late server is not let off by the
    client waiting for it); ``rate`` 0 lets every client send as fast as answers come (saturation)."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    counts: dict[str, int] = {}
    examples: dict[str, str] = {}
    holdings = fixture.setdefault("holdings", {})
    by_op: dict[str, list[float]] = {}
    operations, weights = zip(*MIX, strict=True)
    deadline = time.monotonic() + seconds

    async def run(index: int) -> None:
        rng = random.Random(index)
        client = Client(port)
        staff = fixture["staff"][index] if index < len(fixture["staff"]) else None
        holding = holdings.get(index)  # a clerk keeps the ticket it called in the warm-up
        interval = clients / rate if rate else 0.0
        scheduled = time.perf_counter() + rng.random() * interval
        while time.monotonic() < deadline:
            if interval:
                scheduled += interval
                delay = scheduled - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            op = rng.choices(operations, weights)[0]
            if op == "staff" and staff is None:
                op = "ticket"
            method, path, body, headers = next_request(op, rng, fixture, staff, holding)
            started = scheduled if interval else time.perf_counter()
            try:
                status, payload = await client.request(method, path, body, headers)
            except (ConnectionError, OSError, asyncio.IncompleteReadError):
                errors[f"{op} connection"] = errors.get(f"{op} connection", 0) + 1
                client = Client(port)
                continue
            latencies.append(time.perf_counter() - started)
            by_op.setdefault(op, []).append(latencies[-1])
            counts[op] = counts.get(op, 0) + 1
            if status >= 400:
                errors[f"{op} {status}"] = errors.get(f"{op} {status}", 0) + 1
                examples.setdefault(f"{op} {status}", payload.decode(errors="replace")[:200])
            elif op == "staff":
                holding = json.loads(payload)["id"] if holding is None and status == 200 else None
                holdings[index] = holding

    started = time.monotonic()
    await asyncio.gather(*(run(i) for i in range(clients)))
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
        "errors": errors,
        "error_examples": examples,
        "mix": counts,
        "p99_ms_by_operation": {op: round(1000 * percentile(values, 0.99), 1) for op, values in sorted(by_op.items())},
    }


def run_backend(name: str, database_url: str | None, args) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"weimin-bench-{name}-") as var_dir:
        env = server_env(database_url, var_dir)
        fixture = prepare(env)[HALL]
        port = free_port()
        command = [sys.executable, "-m", "weimin.manage", "serve", "--addr", f"127.0.0.1:{port}",
                   "--workers", str(args.workers), "--threads", str(args.threads)]  # fmt: skip
        with open(Path(var_dir) / "server.log", "w") as log:
            server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_for(f"http://127.0.0.1:{port}/api/halls", server)
                asyncio.run(load(port, fixture, 3, args.clients))  # warm-up: imports, connections, caches
                return {
                    "paced": asyncio.run(load(port, fixture, args.seconds, args.clients, rate=args.rate)),
                    "saturation": asyncio.run(load(port, fixture, args.seconds, args.clients)),
                }
            finally:
                server.terminate()
                server.wait(timeout=20)


def pgbench_tps(database_url: str, seconds: int) -> float:
    """The baseline: pgbench's built-in simple-update script (-N) on the same cluster, same run."""
    from urllib.parse import urlparse

    url = urlparse(database_url)
    common = ["-h", url.hostname, "-p", str(url.port), "-U", url.username]
    subprocess.run(
        as_server_user([pg_tool("pgbench"), "-i", "-q", "-s", "4", *common, "postgres"]),
        check=True,
        capture_output=True,
    )
    out = subprocess.run(
        as_server_user([pg_tool("pgbench"), "-N", "-c", "8", "-j", "2", "-T", str(seconds), *common, "postgres"]),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("tps"))
    return float(line.split("=")[1].split()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--rate", type=float, default=320, help="offered requests/s in all for the paced run")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    args = parser.parse_args()
    results = {}
    with throwaway_cluster() as database_url:
        baseline = pgbench_tps(database_url, 10)
        for backend in args.backends.split(","):
            results[backend] = run_backend(backend, database_url if backend == "postgres" else None, args)
    report = {
        "pgbench_simple_update_tps": baseline,
        "clients": args.clients,
        "seconds": args.seconds,
        "workers": args.workers,
        "threads": args.threads,
        "results": results,
    }
    for runs in results.values():
        for result in runs.values():
            result["ratio_to_pgbench_tps"] = round(result["requests_per_s"] / baseline, 3)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"baseline: pgbench simple-update {baseline:.0f} TPS (8 clients, same cluster, same run)")
    print(f"{args.clients} clients, {args.seconds:.0f} s a run; paced run offers {args.rate:.0f} req/s in all")
    print(f"{'backend':10} {'run':11} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7}  errors")
    for backend, runs in results.items():
        for run, r in runs.items():
            print(
                f"{backend:10} {run:11} {r['requests_per_s']:8.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} "
                f"{r['ratio_to_pgbench_tps']:7.3f}  {r['errors'] or '-'}"
            )
    print("target (PostgreSQL, 2 cores): >= 300 req/s with p99 <= 100 ms (the paced run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
