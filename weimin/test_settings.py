"""Settings for the test suite: production settings with a throwaway key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "weimin-test-suite-key")
os.environ.setdefault("WEIMIN_VAR_DIR", os.path.join(os.getcwd(), "var", "test"))

from weimin.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
