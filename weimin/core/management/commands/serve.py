import os
import resource
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

# A Unix socket's path must fit in sun_path (108 bytes on Linux, with its terminating NUL).
MAX_SOCKET_PATH = 100
# Idle kept-alive connections a process holds beyond those its threads work on: a district's polling
# screens at 3×. gunicorn keeps a connection alive only while fewer than (worker connections − threads)
# wait idle: with too few, every answer closes its connection and each poll opens a new one.
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


def control_socket(addr: str) -> Path | None:
    """gunicorn's control socket (``gunicornc``) for the server at ``addr``: its own file under the var
    dir, so two servers on one host never share (gunicorn's default is one path per user, which the
    second server takes over and the first one's exit deletes). None when the path would be too long."""
    path = Path(settings.VAR_DIR).resolve() / "run" / f"gunicorn-{addr.replace(':', '-')}.ctl"
    return path if len(os.fsencode(path)) <= MAX_SOCKET_PATH else None


class Command(BaseCommand):
    help = "Run the production server: gunicorn, several worker processes, each with a few threads."

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
        socket = control_socket(addr)
        if socket is not None:
            socket.parent.mkdir(parents=True, exist_ok=True)
            socket_options = ["--control-socket", str(socket)]
        else:
            socket_options = ["--no-control-socket"]
        # Each server-sent event stream holds a thread for its length: the streams get threads of their
        # own, so pages and the API keep --threads however many screens follow their hall.
        streams = settings.WEIMIN_PUSH_STREAMS_PER_PROCESS
        connections = threads + streams + IDLE_CONNECTIONS
        _allow_open_files(connections + FILES_BESIDE_CONNECTIONS)
        argv = [
            sys.executable, "-m", "gunicorn", "weimin.wsgi:application",
            "--config", "python:weimin.core.gunicorn_conf",
            "--bind", addr, "--workers", str(workers), "--threads", str(threads + streams),
            "--worker-connections", str(connections),
            # No access log unless asked: gunicorn formats every request's line even for /dev/null.
            *(["--access-logfile", "-"] if options["verbosity"] > 1 else []),
            *socket_options,
        ]  # fmt: skip
        # A process works on --threads requests at once (RequestSlotsMiddleware); on PostgreSQL they share a
        # pool of connections with the streams: one for each request at work, two for the streams' rare reads.
        os.environ["WEIMIN_REQUEST_SLOTS"] = str(threads)
        os.environ.setdefault("WEIMIN_PG_POOL_SIZE", str(threads + 2))
        self.stdout.write(
            f"weimin serving on http://{addr} with {workers} workers × {threads} threads (+ {streams} for live streams)"
        )
        sys.stdout.flush()
        os.execv(sys.executable, argv)
