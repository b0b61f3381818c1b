"""gunicorn settings for `weimin serve` (the command line sets bind, workers and threads)."""

import gc
import signal
import threading

# Load Django once in the master: workers start fast and share the imported code's memory.
preload_app = True
worker_class = "gthread"
keepalive = 5
graceful_timeout = 10


def pre_fork(server, worker):
    # Everything imported so far lives as long as the process: keep the garbage collector from
    # scanning it again and again while requests are served (shorter, rarer pauses).
    gc.freeze()


def post_fork(server, worker):
    gc.set_threshold(7000, 20, 20)
    # Each worker's one listener thread (PostgreSQL LISTEN): it hears every hall's changes from the start.
    from weimin.core.feed import start_listeners

    start_listeners()


def post_worker_init(worker):
    # Told to stop (a restart, a deploy), a worker ends its live streams at once: their browsers reconnect
    # to another worker, and the worker exits without waiting out graceful_timeout on them. Ended from a
    # thread of its own: the signal handler must not wait on a lock a request thread holds.
    from weimin.core.feed import interrupt_all

    stop = worker.handle_exit

    def handle_exit(sig, frame):
        threading.Thread(target=interrupt_all, daemon=True).start()
        stop(sig, frame)

    signal.signal(signal.SIGTERM, handle_exit)
