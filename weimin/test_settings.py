"""Settings for the test suite: production settings with a throwaway key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "weimin-test-suite-key")
os.environ.setdefault("WEIMIN_VAR_DIR", os.path.join(os.getcwd(), "var", "test"))
# The demo's tests build no history unless they ask for some (test_history builds a few weeks).
os.environ.setdefault("WEIMIN_DEMO_HISTORY_FROM", "none")

from weimin.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Tests check exact positions right after each change; test_queue_snapshot covers the cached snapshot.
WEIMIN_QUEUE_SNAPSHOT_SECONDS = 0
WEIMIN_PUSH_VISITOR_SPREAD_SECONDS = 0  # tests that need the spread set it

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: concurrency tests need real SQLite locking across connections.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
