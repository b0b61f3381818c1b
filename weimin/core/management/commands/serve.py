import os
import resource
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

# Open files allowed for idle kept-alive connections (granian does not bound them; each is one file): a
# district's polling screens at 3×.
IDLE_CONNECTIONS = 2000
# A process's other open files: its database connections, logs, the listener, imported libraries.
FILES_BESIDE_CONNECTIONS = 200


def _allow_open_files(needed: int) -> None:
    """Raise this process's soft limit of open files towards ``needed`` (each connection is one; a
    service manager's default soft limit, 1,024, would refuse a district's streams), within the hard
    limit; the server started from here inherits it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


# A stopping worker's requests have this long to end (its streams end at once) before it is killed.
STOP_SECONDS = 10


class Command(BaseCommand):
    help = "Run the production server: granian, several worker processes, each with a few threads for requests."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT")
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
        parser.add_argument("--threads", type=int, default=4, help="threads per worker process for requests")

    def handle(self, addr, workers, threads, **options):
        host, _, port = addr.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--addr: expected HOST:PORT, got {addr!r}")
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        try:
            settings.SECRET_KEY  # noqa: B018 — Django refuses an empty key
        except ImproperlyConfigured:
            raise CommandError("SECRET_KEY must be set to serve (or DEBUG=1 for development)") from None
        # RSGI: each worker's event loop carries its server-sent event streams, which hold no thread, and
        # hands requests to --threads threads (core.serving); the loop is granian's one "blocking" thread.
        streams = settings.WEIMIN_PUSH_STREAMS_PER_PROCESS
        _allow_open_files(threads + streams + IDLE_CONNECTIONS + FILES_BESIDE_CONNECTIONS)
        argv = [
            sys.executable, "-m", "granian", "--interface", "rsgi", "--http", "1", "--no-ws",
            "--host", host.strip("[]"), "--port", port, "--workers", str(workers),
            "--blocking-threads", "1", "--backpressure", str(threads + streams),
            "--workers-kill-timeout", str(STOP_SECONDS), "--respawn-failed-workers",
            "--log-level", "info" if options["verbosity"] > 1 else "warning",
            # No access log unless asked: each line costs the request's thread its formatting.
            *(["--access-log"] if options["verbosity"] > 1 else []),
            "weimin.worker:application",
        ]  # fmt: skip
        # A process works on --threads requests at once (RequestSlotsMiddleware); on PostgreSQL they share a
        # pool of connections with the streams: one for each request at work, two for the streams' rare reads.
        os.environ["WEIMIN_REQUEST_SLOTS"] = str(threads)
        os.environ.setdefault("WEIMIN_PG_POOL_SIZE", str(threads + 2))
        self.stdout.write(
            f"weimin serving on http://{addr} with {workers} workers × {threads} threads (and up to {streams} live "
            "streams each)"
        )
        sys.stdout.flush()
        os.execv(sys.executable, argv)
