import os
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the production server: gunicorn, several worker processes, each with a few threads."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT")
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
        parser.add_argument("--threads", type=int, default=4, help="threads per worker process")

    def handle(self, addr, workers, threads, **options):
        host, _, port = addr.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--addr: expected HOST:PORT, got {addr!r}")
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        argv = [
            sys.executable, "-m", "gunicorn", "weimin.wsgi:application",
            "--config", "python:weimin.core.gunicorn_conf",
            "--bind", addr, "--workers", str(workers), "--threads", str(threads),
            "--access-logfile", "-" if options["verbosity"] > 1 else "/dev/null",
        ]  # fmt: skip
        self.stdout.write(f"weimin serving on http://{addr} with {workers} workers × {threads} threads")
        sys.stdout.flush()
        os.execv(sys.executable, argv)
