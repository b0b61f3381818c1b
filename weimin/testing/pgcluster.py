"""Run a command against a throwaway PostgreSQL cluster started with this machine's initdb/pg_ctl.

    python -m weimin.testing.pgcluster -- pytest -q

The cluster lives in a temporary directory, listens only on a Unix socket and a free loopback port,
and is stopped and removed afterwards whatever the command's outcome. initdb refuses to run as root,
so as root the server runs as the ``postgres`` user through ``runuser``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from weimin.testing.servers import free_port

PG_BIN_CANDIDATES = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/local/bin", "/usr/bin"]


def pg_tool(name: str) -> str:
    for directory in PG_BIN_CANDIDATES:
        path = Path(directory) / name
        if path.exists():
            return str(path)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install the PostgreSQL server binaries (apt-get install postgresql)")
    return found


def as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


@contextmanager
def throwaway_cluster():
    """Yields a DATABASE_URL for a fresh cluster with a ``weimin`` superuser."""
    root = Path(tempfile.mkdtemp(prefix="weimin-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    started = False
    try:
        subprocess.run(
            as_server_user(
                [pg_tool("initdb"), "-D", str(data), "-U", "weimin", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c full_page_writes=off "
            "-c synchronous_commit=off -c max_connections=200"
        )
        subprocess.run(
            as_server_user(
                [pg_tool("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "server.log"), "-w", "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        started = True
        yield f"postgres://weimin@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(
                as_server_user([pg_tool("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                stdout=subprocess.DEVNULL,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    with throwaway_cluster() as url:
        print(f"weimin: throwaway PostgreSQL cluster at {url}", flush=True)
        return subprocess.run(argv, env={**os.environ, "DATABASE_URL": url}).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
