"""Push benchmark: how long a call takes to reach the hall's screens, across two app instances.

    .venv/bin/python bench/push.py [--calls 60] [--streams 24] [--workers 2]

On a throwaway PostgreSQL cluster it builds the demo district (bench/queue.py's setup: the day's queue
at 2017-12-08 18:30, bench clerks signed in with API tokens), starts two `weimin serve` instances (A and
B) on one database, opens ``--streams`` server-sent event clients of the hall (half on each instance),
and has the clerks call and complete through instance A, one call at a time. For each call it records
when each stream was told of it, counted from the moment the call's request was sent (the clerk's key),
and prints p50/p99/max for streams of A (the calling instance) and of B (told through NOTIFY). It then
times the display feed asked 1,000 times on one keep-alive connection, with and without the ETag the
browser holds (a 304 costs no query).
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from weimin.testing.pgcluster import throwaway_cluster  # noqa: E402
from weimin.testing.servers import free_port, wait_for  # noqa: E402

# The queue benchmark's environment and setup, shared (its module name shadows the standard library's).
_spec = importlib.util.spec_from_file_location("bench_queue", ROOT / "bench" / "queue.py")
queue_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(queue_bench)
HALL = queue_bench.HALL


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Stream(threading.Thread):
    """One SSE client: the arrival time of each event's ticket number."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.told, self.ready = port, {}, threading.Event()

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        connection.request("GET", f"/halls/{HALL}/events?for=display")
        response = connection.getresponse()
        assert response.status == 200, response.status
        while line := response.fp.readline():
            if line.startswith(b"data: "):
                self.ready.set()
                news = json.loads(line[6:])
                if news.get("kind") == "called":
                    self.told.setdefault(news["number"], time.monotonic())


def call(port: int, method: str, path: str, token: str) -> dict | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return json.loads(body) if response.status == 200 else None


def feed_timing(port: int, requests: int) -> list[tuple[float, Counter]]:
    """Mean ms of the display feed and its statuses: asked afresh, then with the ETag last answered."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = f"/halls/{HALL}/display/feed?after=0"
    results = []
    for conditional in (False, True):
        tag, statuses = None, Counter()
        started = time.perf_counter()
        for _ in range(requests):
            connection.request("GET", path, headers={"If-None-Match": tag} if conditional and tag else {})
            response = connection.getresponse()
            response.read()
            tag, statuses[response.status] = response.getheader("ETag"), statuses[response.status] + 1
        results.append(((time.perf_counter() - started) / requests * 1000, statuses))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--streams", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="weimin-bench-push-") as var_dir, throwaway_cluster() as url:
        env = queue_bench.server_env(url, var_dir)
        fixture = queue_bench.prepare(env)[HALL]
        ports = [free_port(), free_port()]
        servers = []
        with open(Path(var_dir) / "server.log", "w") as log:
            for port in ports:
                command = [sys.executable, "-m", "weimin.manage", "serve", "--addr", f"127.0.0.1:{port}",
                           "--workers", str(args.workers)]  # fmt: skip
                servers.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
            try:
                for port, server in zip(ports, servers, strict=True):
                    wait_for(f"http://127.0.0.1:{port}/api/halls", server)
                streams = [Stream(ports[n % 2]) for n in range(args.streams)]
                for stream in streams:
                    stream.start()
                for stream in streams:
                    assert stream.ready.wait(30), "a stream never answered"
                sent: dict[str, float] = {}
                answered: list[float] = []
                staff = fixture["staff"]
                for n in range(args.calls):
                    clerk = staff[n % len(staff)]
                    started = time.monotonic()
                    ticket = call(ports[0], "POST", f"/api/windows/{clerk['window']}/call-next", clerk["token"])
                    if ticket is None:
                        continue
                    sent[ticket["number"]] = started
                    answered.append((time.monotonic() - started) * 1000)
                    call(ports[0], "POST", f"/api/tickets/{ticket['id']}/complete", clerk["token"])
                time.sleep(1.0)  # the last calls' events are on their way
                print(f"call-next answered: p50 {percentile(answered, 0.5):.0f} ms, "
                      f"p99 {percentile(answered, 0.99):.0f} ms")  # fmt: skip
                for name, port in (("A (calling)", ports[0]), ("B (NOTIFY)", ports[1])):
                    delays = [(stream.told[number] - at) * 1000 for stream in streams if stream.port == port
                              for number, at in sent.items() if number in stream.told]  # fmt: skip
                    missing = sum(1 for s in streams if s.port == port for number in sent if number not in s.told)
                    print(f"streams of {name}: {len(delays)} deliveries, {missing} missing, "
                          f"p50 {percentile(delays, 0.5):.0f} ms, p99 {percentile(delays, 0.99):.0f} ms, "
                          f"max {max(delays):.0f} ms")  # fmt: skip
                for label, (ms, statuses) in zip(("afresh", "with ETag"), feed_timing(ports[1], 1000), strict=True):
                    print(f"display feed {label}: {ms:.2f} ms a request, statuses {dict(statuses)}")
            finally:
                for server in servers:
                    server.terminate()
                    server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
