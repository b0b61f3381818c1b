"""A forked child — a worker of `weimin serve`, of an analytics rollup's or a simulation's pool, of a test —
has only the thread that forked: every lock another thread held at that moment would stay held in the child
for ever, and its first change (a ticket called, whose commit tells the hall's feed) would hang. Each of the
process's own locks starts free in the child."""

import json
import os
import threading
import time
import traceback

from weimin.analytics import queries as analytics
from weimin.core.prepared import PreparedQuery
from weimin.halls import reference
from weimin.tickets import changes

PREPARED = PreparedQuery(lambda: None)

LOCKS = {  # name → the lock, looked up afresh each time (the child's may be another object)
    "the hall change feed": lambda: changes.hall_changes._lock,
    "the visitors' news": lambda: changes.visitor_news._lock,
    "the count of open streams": lambda: changes._open_lock,
    "a reference cache": lambda: reference._halls._lock,
    "a reference load under way": lambda: reference._topology._loader(7),
    "a prepared query": lambda: PREPARED._lock,
    "analytics' month parts": lambda: analytics._PARTS.lock,
}


def _in_child(report: int) -> None:
    """What the child finds: the locks it could not take, and whether a commit's news reached the feed."""
    held = []
    for name, lock in LOCKS.items():
        if lock().acquire(timeout=2):
            lock().release()
        else:
            held.append(name)
    changes.hall_changes._heard(7, 1, {"kind": "called"})  # a commit's hook: it runs the visitors' news too
    told = changes.hall_changes.events_after(7, 0) == [(1, {"kind": "called"})]
    os.write(report, json.dumps({"held": held, "told": told}).encode())


def test_a_forked_child_finds_every_lock_free_whoever_held_it_at_the_fork(settings):
    settings.WEIMIN_FEED_LISTEN = False  # the child reads no version from the database (there is none here)
    taken, done = threading.Event(), threading.Event()
    locks = [lock() for lock in LOCKS.values()]

    def hold_them_all():
        for lock in locks:
            lock.acquire()
        taken.set()
        done.wait(30)
        for lock in reversed(locks):
            lock.release()

    holder = threading.Thread(target=hold_them_all, daemon=True)
    holder.start()
    assert taken.wait(5)
    read, write = os.pipe()
    try:
        pid = os.fork()
        if pid == 0:  # the child: report, and leave at once (never back into pytest)
            code = 1
            try:
                _in_child(write)
                code = 0
            except BaseException:
                os.write(write, json.dumps({"failed": traceback.format_exc()}).encode())
            finally:
                os._exit(code)
        os.close(write)
        deadline = time.monotonic() + 20
        while (ended := os.waitpid(pid, os.WNOHANG)) == (0, 0) and time.monotonic() < deadline:
            time.sleep(0.05)
        if ended == (0, 0):
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        found = os.read(read, 4096)
    finally:
        done.set()
        holder.join(5)
        os.close(read)
    assert ended != (0, 0), "the child hung on a lock held at the fork"
    assert json.loads(found) == {"held": [], "told": True}
