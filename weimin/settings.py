"""Django settings, read from the environment.

DATABASE_URL   PostgreSQL in production (``postgres://user:pass@host/db``); default SQLite in ./var/
SECRET_KEY     required to serve when DEBUG is off (commands such as `serve --help` run without it)
DEBUG          1/true to enable
WEIMIN_HTTPS   1 behind HTTPS: redirect, secure cookies, HSTS (docs/security.md)
ALLOWED_HOSTS  comma-separated
WEIMIN_CLOCK   demo/training clock start, hall-local ``YYYY-MM-DDTHH:MM`` (see weimin.core.clock)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("WEIMIN_VAR_DIR", Path.cwd() / "var"))

DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and (DEBUG or env_flag("WEIMIN_INSECURE_DEV_KEY")):
    SECRET_KEY = "weimin-insecure-development-key"
# Without a key (DEBUG off) the settings still load, so `weimin serve --help`, `migrate` and `check` work;
# Django refuses the empty key where one is used (sessions, CSRF, signing), and `weimin serve` and
# weimin/wsgi.py refuse to start without one.
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",  # django-axes: login lockout, failures counted per username and address
    "csp",  # django-csp: its checks catch settings in the pre-4.0 format
    "weimin.core",
    "weimin.calendars",
    "weimin.halls",
    "weimin.accounts",
    "weimin.tickets",
    "weimin.cases",
    "weimin.ratings",
    "weimin.shifts",
    "weimin.analytics",
    "weimin.planning",
    "weimin.rivers",
    "weimin.campaign",
    "weimin.workstation",
    "weimin.demo",  # last: the demo sits outside the domain and answers its hooks (shifts.signals)
]

MIDDLEWARE = [
    "weimin.core.middleware.RequestSlotsMiddleware",  # first: a request waits for its turn before anything
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weimin.core.middleware.ChineseFirstLocaleMiddleware",
    "weimin.core.middleware.StorableInputMiddleware",  # no NUL or lone surrogate in paths, queries, forms
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "weimin.core.middleware.LazyMessageMiddleware",  # Django's, its storage built only when used
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "weimin.core.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # last: a locked-out login answers the lockout page
]

ROOT_URLCONF = "weimin.urls"
WSGI_APPLICATION = "weimin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "weimin.core.templates_backend.Templates",  # Django's, each page's context let go of
        "NAME": "django",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "weimin.core.context_processors.clock",
                "weimin.calendars.context_processors.calendar_warning",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'weimin.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # and so VAR_DIR, where SQLite lives by default
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Writers wait for the lock instead of failing at once; WAL lets readers run beside a writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Prepared queries (core/prepared.py) are prepared on the server once run this many times on a
    # connection; "off" behind a pooler that cannot keep prepared statements (PgBouncer before 1.21 in
    # transaction mode). Django's other queries are never prepared.
    _threshold = os.environ.get("WEIMIN_PG_PREPARE_THRESHOLD", "2")
    DATABASES["default"]["OPTIONS"] = {"prepare_threshold": None if _threshold == "off" else int(_threshold)}
    if _pool_size := int(os.environ.get("WEIMIN_PG_POOL_SIZE", "0")):
        # `weimin serve`: a process's threads share a pool of this many connections (psycopg_pool), taken
        # for a request and given back after it. Without it every thread keeps a connection of its own
        # for CONN_MAX_AGE, and a process's hundreds of threads (the live streams') would hold
        # PostgreSQL's every connection.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 2, "max_size": _pool_size, "timeout": 10}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache every process shares (the server's workers, commands): the database's own table, created by
# `weimin migrate` (core's post_migrate runs createcachetable) or `weimin createcachetable`. It counts
# failed guesses at citizens' secrets (core/attempts.py) and the limits on abuse. MAX_ENTRIES is high:
# culling must not let a flood of keys wipe the counters.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "weimin_cache",
        "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4},
    }
}

# django-axes first: a locked-out username and address is refused before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "weimin.accounts.backends.ModelBackend"]
SESSION_ENGINE = "weimin.accounts.sessions"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Halls run on closed networks without a separate web server: the app serves its own static files.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Files browsers ask for at the root (/favicon.ico), served as they are.
WHITENOISE_ROOT = BASE_DIR / "core" / "root"

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/console/"
LOGOUT_REDIRECT_URL = "/"

# --- HTTPS and browser-side defences (docs/security.md "Hardening: scripts, inputs, deployment") ---
# A hall's own network often serves plain HTTP: secure cookies, HSTS and the redirect to HTTPS are on
# only with WEIMIN_HTTPS=1 (then `weimin check --deploy` is clean). Behind a TLS proxy on this host,
# `weimin serve` takes the scheme from X-Forwarded-Proto (FORWARDED_ALLOW_IPS: 127.0.0.1, ::1; core/serving.py).
WEIMIN_HTTPS = env_flag("WEIMIN_HTTPS")
if WEIMIN_HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("WEIMIN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("WEIMIN_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_flag("WEIMIN_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): scripts and styles only from weimin's own static files — no
# inline <script>, no onclick=, no style= (htmx's indicator styles are off: base.html's htmx-config).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Paths under /t/, /a/ and /cases/s/ carry visitors' secrets: core/logs.py redacts every log record
    # (this configuration's, Django's server log and granian's access log alike) when it is made.
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- weimin domain settings: every number is a setting with the rule's value as default (docs/domain.md) ---

# Minutes before each session's end after which no new ticket is issued.
WEIMIN_TICKET_CUTOFF_MINUTES = int(os.environ.get("WEIMIN_TICKET_CUTOFF_MINUTES", "30"))
# A make-up workday (调休上班日) follows the hall's schedule of this weekday (0 = Monday).
WEIMIN_MAKEUP_WORKDAY_FOLLOWS_WEEKDAY = int(os.environ.get("WEIMIN_MAKEUP_WORKDAY_FOLLOWS_WEEKDAY", "0"))
# Calendars and opening hours are read on every queue request: each process keeps them this long
# (a change made in the back office reaches the other processes within this time).
WEIMIN_REFERENCE_CACHE_SECONDS = int(os.environ.get("WEIMIN_REFERENCE_CACHE_SECONDS", "60"))
# Visitors' positions, waiting counts and displays read a snapshot of each hall's queue at most this old
# (a process's own changes are seen at once).
WEIMIN_QUEUE_SNAPSHOT_SECONDS = float(os.environ.get("WEIMIN_QUEUE_SNAPSHOT_SECONDS", "1"))
# While a process hears every change (PostgreSQL's listener), its snapshot is brought up to date from the
# hall's news, and read whole again only once it is this old: a safety net for a change no news names.
WEIMIN_QUEUE_SNAPSHOT_HEARD_SECONDS = float(os.environ.get("WEIMIN_QUEUE_SNAPSHOT_HEARD_SECONDS", "10"))
# Push, not poll (tickets/changes.py, docs/architecture.md): each hall's change feed. On PostgreSQL one
# listener thread per process hears every change (LISTEN/NOTIFY; WEIMIN_FEED_LISTEN=0 turns it off);
# otherwise a process reads a hall's version counter again at most every WEIMIN_FEED_POLL_SECONDS.
WEIMIN_FEED_LISTEN = os.environ.get("WEIMIN_FEED_LISTEN", "1") == "1"
WEIMIN_FEED_POLL_SECONDS = float(os.environ.get("WEIMIN_FEED_POLL_SECONDS", "0.5"))
# Server-sent event streams a process holds at once (each holds a thread: `weimin serve` adds this many
# threads to each worker, started as needed); visitors' phones may take half: 3200 pushes 3 districts'
# peak (4,500 phones) to one box of 5 workers, however unevenly the workers take them (docs/scaling.md). A stream lasts
# WEIMIN_PUSH_STREAM_SECONDS, then the browser reconnects; a `beat` every WEIMIN_PUSH_HEARTBEAT_SECONDS of
# silence keeps proxies from closing it and tells the page it is alive (push.js and display.js start again
# after 45 s without one: socket.io's 25 s + 20 s). Each beat wakes its stream's thread: at 3 districts'
# peak the streams' wakes, most of them beats, took half the workers' CPU (docs/benchmarks.md, seventeenth session).
# Requests a process works on at once (`weimin serve` sets its --threads; 0: no limit), see RequestSlotsMiddleware.
WEIMIN_REQUEST_SLOTS = int(os.environ.get("WEIMIN_REQUEST_SLOTS", "0"))
WEIMIN_PUSH_STREAMS_PER_PROCESS = int(os.environ.get("WEIMIN_PUSH_STREAMS_PER_PROCESS", "3200"))
# A visitor's own streams a process holds for one ticket (its page open on a phone, and in another tab).
WEIMIN_PUSH_STREAMS_PER_TICKET = int(os.environ.get("WEIMIN_PUSH_STREAMS_PER_TICKET", "3"))
WEIMIN_PUSH_STREAM_SECONDS = float(os.environ.get("WEIMIN_PUSH_STREAM_SECONDS", "300"))
WEIMIN_PUSH_HEARTBEAT_SECONDS = float(os.environ.get("WEIMIN_PUSH_HEARTBEAT_SECONDS", "25"))
WEIMIN_PUSH_RETRY_MS = 2000
# A visitor's phone hears news that does not name its number within this many seconds, at a random moment:
# a call moves the place of every phone in the hall, and their streams' work is spread instead of all at once
# (3 s, not 1: the page parts a call sends a hall's phones are spread thinner; a place told 2 s later costs
# the visitor nothing).
WEIMIN_PUSH_VISITOR_SPREAD_SECONDS = float(os.environ.get("WEIMIN_PUSH_VISITOR_SPREAD_SECONDS", "3"))
# From this day of the year (MM-DD) the office, managers and `weimin check` are warned while next
# year's national holidays are not known (the State Council's notice usually comes in November).
WEIMIN_CALENDAR_WARN_FROM = os.environ.get("WEIMIN_CALENDAR_WARN_FROM", "11-01")
# Longest working-day span the calendar will add in one request (a guard against runaway loops).
WEIMIN_MAX_WORKING_DAYS = 2000
# The first day of the demo's history (`weimin demo`), YYYY-MM-DD, or "none"; default demo.data.HISTORY_STARTS.
WEIMIN_DEMO_HISTORY_FROM = os.environ.get("WEIMIN_DEMO_HISTORY_FROM", "")
# Demo / training clock: honoured only when DEBUG or WEIMIN_ALLOW_CLOCK=1.
WEIMIN_ALLOW_CLOCK = env_flag("WEIMIN_ALLOW_CLOCK")

# Queue (issue 3). Halls fight ticket scalpers: real-name tickets per person, hall and day.
WEIMIN_TICKETS_PER_PERSON_PER_DAY = int(os.environ.get("WEIMIN_TICKETS_PER_PERSON_PER_DAY", "3"))
# Fair alternation: at most this many priority calls in a row at a window while normal tickets wait.
WEIMIN_MAX_PRIORITY_IN_ROW = int(os.environ.get("WEIMIN_MAX_PRIORITY_IN_ROW", "2"))
# Recalls of a called ticket before it counts as a no-show.
WEIMIN_MAX_RECALLS = int(os.environ.get("WEIMIN_MAX_RECALLS", "3"))
# Age from which the ID number's birth date puts a visitor in the priority lane.
WEIMIN_ELDERLY_AGE = int(os.environ.get("WEIMIN_ELDERLY_AGE", "60"))
# Appointments: slot length, share of a slot's serving capacity offered for booking, check-in window.
WEIMIN_APPOINTMENT_SLOT_MINUTES = int(os.environ.get("WEIMIN_APPOINTMENT_SLOT_MINUTES", "30"))
WEIMIN_APPOINTMENT_SHARE = float(os.environ.get("WEIMIN_APPOINTMENT_SHARE", "0.5"))
WEIMIN_APPOINTMENT_CHECKIN_EARLY_MINUTES = int(os.environ.get("WEIMIN_APPOINTMENT_CHECKIN_EARLY_MINUTES", "30"))
WEIMIN_APPOINTMENT_CHECKIN_LATE_MINUTES = int(os.environ.get("WEIMIN_APPOINTMENT_CHECKIN_LATE_MINUTES", "15"))
WEIMIN_APPOINTMENT_BOOKING_DAYS = int(os.environ.get("WEIMIN_APPOINTMENT_BOOKING_DAYS", "14"))
# Numbers taken from the phone (远程取号) where a hall allows them: per ID number and day, per address and day.
WEIMIN_REMOTE_TICKETS_PER_PERSON_PER_DAY = int(os.environ.get("WEIMIN_REMOTE_TICKETS_PER_PERSON_PER_DAY", "1"))
WEIMIN_REMOTE_TICKETS_PER_ADDRESS_PER_DAY = int(os.environ.get("WEIMIN_REMOTE_TICKETS_PER_ADDRESS_PER_DAY", "5"))
# The kiosk returns to its start page this many seconds after a slip, and after this long untouched.
WEIMIN_KIOSK_RETURN_SECONDS = int(os.environ.get("WEIMIN_KIOSK_RETURN_SECONDS", "20"))
WEIMIN_KIOSK_IDLE_SECONDS = int(os.environ.get("WEIMIN_KIOSK_IDLE_SECONDS", "60"))

# Cases (issue 4). Working days an applicant has to supply 容缺 materials after signing the promise
# (UNVERIFIED: set locally); a missed deadline withdraws the case (Anyang rule).
WEIMIN_PROMISE_SUPPLY_DAYS = int(os.environ.get("WEIMIN_PROMISE_SUPPLY_DAYS", "5"))
# 行政许可法 Art. 42: one extension of 10 working days, with the agency head's approval.
WEIMIN_CASE_EXTENSION_DAYS = int(os.environ.get("WEIMIN_CASE_EXTENSION_DAYS", "10"))
# Cases this many working days or fewer before their promised date are listed as due soon.
WEIMIN_CASE_DUE_SOON_DAYS = int(os.environ.get("WEIMIN_CASE_DUE_SOON_DAYS", "2"))
# Citizens' secrets (docs/security.md): failed lookups of a case (number + ID number, or a link) are
# counted in the shared cache; past a limit every attempt waits until the window ends.
WEIMIN_LOOKUP_FAILURE_MINUTES = int(os.environ.get("WEIMIN_LOOKUP_FAILURE_MINUTES", "15"))
WEIMIN_LOOKUP_FAILURES_PER_CASE = int(os.environ.get("WEIMIN_LOOKUP_FAILURES_PER_CASE", "5"))
WEIMIN_LOOKUP_FAILURES_PER_CASE_PER_DAY = int(os.environ.get("WEIMIN_LOOKUP_FAILURES_PER_CASE_PER_DAY", "20"))
WEIMIN_LOOKUP_FAILURES_PER_ADDRESS = int(os.environ.get("WEIMIN_LOOKUP_FAILURES_PER_ADDRESS", "20"))

# Where "result ready" messages go: a dotted path to a callable(notification); default writes the log.
WEIMIN_NOTIFICATION_SENDER = os.environ.get("WEIMIN_NOTIFICATION_SENDER", "weimin.cases.notify.log_sender")

# Shifts (issue 5). A console that has not been seen for this long signs its clerk out through the
# handover (a closed browser must not leave work owned by an absent person).
WEIMIN_DUTY_IDLE_MINUTES = int(os.environ.get("WEIMIN_DUTY_IDLE_MINUTES", "15"))
# A case handed over to the hall's pool (nobody on duty to take it) that nobody has taken for this many
# hours is reported by `weimin integrity` (the manager's page lists the pool meanwhile).
WEIMIN_POOL_CASE_MAX_HOURS = float(os.environ.get("WEIMIN_POOL_CASE_MAX_HOURS", "4"))
# 好差评 (国办发〔2019〕51号, docs/domain.md): a visit not rated within this many natural days gets the default level
# (Guangdong: 基本满意 = 3 after 7 days); a bad rating's rater is contacted within N working days (Anyang: 1)
# and the matter rectified or explained within M (UNVERIFIED: no national figure; 5 as in Dezhou).
WEIMIN_RATING_PERIOD_DAYS = int(os.environ.get("WEIMIN_RATING_PERIOD_DAYS", "7"))
WEIMIN_RATING_DEFAULT_LEVEL = int(os.environ.get("WEIMIN_RATING_DEFAULT_LEVEL", "3"))
WEIMIN_FOLLOW_UP_CONTACT_DAYS = int(os.environ.get("WEIMIN_FOLLOW_UP_CONTACT_DAYS", "1"))
WEIMIN_FOLLOW_UP_RESOLVE_DAYS = int(os.environ.get("WEIMIN_FOLLOW_UP_RESOLVE_DAYS", "5"))
# The 好差评 pad asks about the visit just finished at its window for this long, then goes back to idle.
WEIMIN_PAD_ASK_MINUTES = float(os.environ.get("WEIMIN_PAD_ASK_MINUTES", "3"))
# An opening session that ends after this local time, or falls on a weekend, is an extended session
# with its own logistics checklist (后勤保障).
WEIMIN_EXTENDED_SESSION_ENDS_AFTER = os.environ.get("WEIMIN_EXTENDED_SESSION_ENDS_AFTER", "18:00")

# Analytics (issue 11, weimin/analytics/rules.py). Visits issued at or after this hall-local time are the
# evening's (the halls' former 18:00 closing); a wait within the target counts towards the service level.
WEIMIN_ANALYTICS_EVENING_FROM = os.environ.get("WEIMIN_ANALYTICS_EVENING_FROM", "18:00")
WEIMIN_ANALYTICS_WAIT_TARGET_MINUTES = int(os.environ.get("WEIMIN_ANALYTICS_WAIT_TARGET_MINUTES", "15"))
# Pages bring the rollups up to date when the last refresh is older than this (weimin analytics refresh
# does it on demand, e.g. from cron every minute).
WEIMIN_ANALYTICS_REFRESH_SECONDS = int(os.environ.get("WEIMIN_ANALYTICS_REFRESH_SECONDS", "60"))
# Demand analysis (weimin/analytics/demand.py): a session kind whose visitors per open window-hour fall below
# UNDER_USED × the hall's median over its sessions is under-used, above OVER_USED × it over-used; the
# recommendations ask Erlang C for the windows that call TARGET_SHARE of visitors within the wait target.
WEIMIN_ANALYTICS_UNDER_USED = float(os.environ.get("WEIMIN_ANALYTICS_UNDER_USED", "0.5"))
WEIMIN_ANALYTICS_OVER_USED = float(os.environ.get("WEIMIN_ANALYTICS_OVER_USED", "1.5"))
WEIMIN_ANALYTICS_TARGET_SHARE = float(os.environ.get("WEIMIN_ANALYTICS_TARGET_SHARE", "0.8"))

# Planning (issue 12, weimin/planning/). The service level a plan aims at: TARGET_SHARE of visitors called
# within TARGET_MINUTES, in every half-hour (required windows by Erlang C, then corrected by simulating the
# day SIMULATION_REPLICATIONS times). The roster solver stops after TIME_LIMIT_SECONDS with its proven gap.
WEIMIN_PLANNING_TARGET_SHARE = float(os.environ.get("WEIMIN_PLANNING_TARGET_SHARE", "0.8"))
WEIMIN_PLANNING_TARGET_MINUTES = int(os.environ.get("WEIMIN_PLANNING_TARGET_MINUTES", "15"))
WEIMIN_PLANNING_SIMULATION_REPLICATIONS = int(os.environ.get("WEIMIN_PLANNING_SIMULATION_REPLICATIONS", "200"))
WEIMIN_PLANNING_TIME_LIMIT_SECONDS = float(os.environ.get("WEIMIN_PLANNING_TIME_LIMIT_SECONDS", "60"))
WEIMIN_PLANNING_SOLVER_WORKERS = int(os.environ.get("WEIMIN_PLANNING_SOLVER_WORKERS", "8"))
# Free shift starts (the planning page's option, `plan --free-starts`) step this many minutes; 60 gives the solver a
# quarter of the half-hour's choices for a large hall.
WEIMIN_PLANNING_FREE_START_STEP_MINUTES = int(os.environ.get("WEIMIN_PLANNING_FREE_START_STEP_MINUTES", "30"))
# A planning run signs life every second; one silent for this long died with its process and stops blocking the hall.
WEIMIN_PLANNING_STALE_SECONDS = int(os.environ.get("WEIMIN_PLANNING_STALE_SECONDS", "60"))
# Labour rules (../shared/brief/DOMAIN.md §5; 劳动法 Arts. 36, 38, 41): regular hours a day, overtime a day
# and a month, rest days a week, the shortest rest between two shifts.
WEIMIN_PLANNING_REGULAR_HOURS_PER_DAY = float(os.environ.get("WEIMIN_PLANNING_REGULAR_HOURS_PER_DAY", "8"))
WEIMIN_PLANNING_OVERTIME_HOURS_PER_DAY = float(os.environ.get("WEIMIN_PLANNING_OVERTIME_HOURS_PER_DAY", "3"))
WEIMIN_PLANNING_OVERTIME_HOURS_PER_MONTH = float(os.environ.get("WEIMIN_PLANNING_OVERTIME_HOURS_PER_MONTH", "36"))
WEIMIN_PLANNING_REST_DAYS_PER_WEEK = int(os.environ.get("WEIMIN_PLANNING_REST_DAYS_PER_WEEK", "1"))
WEIMIN_PLANNING_MIN_REST_HOURS = float(os.environ.get("WEIMIN_PLANNING_MIN_REST_HOURS", "11"))
# The forecast reads this many weeks of recorded tickets before the week it plans.
WEIMIN_PLANNING_HISTORY_WEEKS = int(os.environ.get("WEIMIN_PLANNING_HISTORY_WEEKS", "26"))

# River water quality (issue 14, weimin/rivers/rules.py; DOMAIN.md §7, 城市黑臭水体整治工作指南 2015). Each
# indicator's light (轻度) and severe (重度) thresholds: transparency ≤ 25 cm light, < 10 severe (shallower
# than 25 cm: 40 % of the depth); dissolved oxygen ≤ 2.0 mg/L, < 0.2; ORP ≤ 50 mV, < −200; NH3-N ≥ 8.0 mg/L,
# > 15. A point needs MIN_READINGS in a period; it is severe when ≥ ONE_INDICATOR_SHARE of one indicator's or
# ≥ TWO_INDICATORS_SHARE of two indicators' readings are severe; STRETCH_MIN_POINTS consecutive severe points
# make a severe stretch, BODY_SEVERE_SHARE severe points a severe body. Points every SPACING_MIN_M to
# SPACING_MAX_M metres, at least MIN_POINTS a body (warnings).
WEIMIN_RIVERS_TRANSPARENCY_LIGHT_CM = os.environ.get("WEIMIN_RIVERS_TRANSPARENCY_LIGHT_CM", "25")
WEIMIN_RIVERS_TRANSPARENCY_SEVERE_CM = os.environ.get("WEIMIN_RIVERS_TRANSPARENCY_SEVERE_CM", "10")
WEIMIN_RIVERS_SHALLOW_DEPTH_CM = os.environ.get("WEIMIN_RIVERS_SHALLOW_DEPTH_CM", "25")
WEIMIN_RIVERS_SHALLOW_TRANSPARENCY_SHARE = os.environ.get("WEIMIN_RIVERS_SHALLOW_TRANSPARENCY_SHARE", "0.4")
WEIMIN_RIVERS_DO_LIGHT_MG_L = os.environ.get("WEIMIN_RIVERS_DO_LIGHT_MG_L", "2.0")
WEIMIN_RIVERS_DO_SEVERE_MG_L = os.environ.get("WEIMIN_RIVERS_DO_SEVERE_MG_L", "0.2")
WEIMIN_RIVERS_ORP_LIGHT_MV = os.environ.get("WEIMIN_RIVERS_ORP_LIGHT_MV", "50")
WEIMIN_RIVERS_ORP_SEVERE_MV = os.environ.get("WEIMIN_RIVERS_ORP_SEVERE_MV", "-200")
WEIMIN_RIVERS_NH3N_LIGHT_MG_L = os.environ.get("WEIMIN_RIVERS_NH3N_LIGHT_MG_L", "8.0")
WEIMIN_RIVERS_NH3N_SEVERE_MG_L = os.environ.get("WEIMIN_RIVERS_NH3N_SEVERE_MG_L", "15")
WEIMIN_RIVERS_MIN_READINGS = int(os.environ.get("WEIMIN_RIVERS_MIN_READINGS", "3"))
WEIMIN_RIVERS_ONE_INDICATOR_SHARE = os.environ.get("WEIMIN_RIVERS_ONE_INDICATOR_SHARE", "0.6")
WEIMIN_RIVERS_TWO_INDICATORS_SHARE = os.environ.get("WEIMIN_RIVERS_TWO_INDICATORS_SHARE", "0.3")
WEIMIN_RIVERS_STRETCH_MIN_POINTS = int(os.environ.get("WEIMIN_RIVERS_STRETCH_MIN_POINTS", "3"))
WEIMIN_RIVERS_BODY_SEVERE_SHARE = os.environ.get("WEIMIN_RIVERS_BODY_SEVERE_SHARE", "0.6")
WEIMIN_RIVERS_SPACING_MIN_M = int(os.environ.get("WEIMIN_RIVERS_SPACING_MIN_M", "200"))
WEIMIN_RIVERS_SPACING_MAX_M = int(os.environ.get("WEIMIN_RIVERS_SPACING_MAX_M", "600"))
WEIMIN_RIVERS_MIN_POINTS = int(os.environ.get("WEIMIN_RIVERS_MIN_POINTS", "3"))
# The river office's choices: pages classify the last PERIOD_DAYS by default; a body is clear when its class
# over the last CLEAR_DAYS is "not black-odorous" (UNVERIFIED: the office sets it); it is eliminated when clear
# and its latest satisfaction survey passed: ≥ SURVEY_MIN_VALID valid questionnaires from residents within
# SURVEY_RADIUS_M, satisfaction ≥ SURVEY_BAR (common practice, UNVERIFIED as a national rule). Key cities must
# eliminate more than ELIMINATION_TARGET of their listed black-odorous bodies.
WEIMIN_RIVERS_PERIOD_DAYS = int(os.environ.get("WEIMIN_RIVERS_PERIOD_DAYS", "30"))
WEIMIN_RIVERS_CLEAR_DAYS = int(os.environ.get("WEIMIN_RIVERS_CLEAR_DAYS", "90"))
WEIMIN_RIVERS_SURVEY_MIN_VALID = int(os.environ.get("WEIMIN_RIVERS_SURVEY_MIN_VALID", "100"))
WEIMIN_RIVERS_SURVEY_BAR = os.environ.get("WEIMIN_RIVERS_SURVEY_BAR", "0.9")
WEIMIN_RIVERS_SURVEY_RADIUS_M = int(os.environ.get("WEIMIN_RIVERS_SURVEY_RADIUS_M", "1500"))
WEIMIN_RIVERS_ELIMINATION_TARGET = os.environ.get("WEIMIN_RIVERS_ELIMINATION_TARGET", "0.9")
# The expropriation campaign (issue 13, weimin/campaign/): a missed call is returned within CALLBACK_MINUTES;
# an owner asking to negotiate is visited by the end of the day VISIT_DUE_DAYS later (0: the same day); a
# new project's SIGNING_THRESHOLD is the share of households that must sign; files are at most
# ATTACHMENT_MAX_BYTES.
WEIMIN_CAMPAIGN_CALLBACK_MINUTES = int(os.environ.get("WEIMIN_CAMPAIGN_CALLBACK_MINUTES", "60"))
WEIMIN_CAMPAIGN_VISIT_DUE_DAYS = int(os.environ.get("WEIMIN_CAMPAIGN_VISIT_DUE_DAYS", "0"))
WEIMIN_CAMPAIGN_SIGNING_THRESHOLD = float(os.environ.get("WEIMIN_CAMPAIGN_SIGNING_THRESHOLD", "0.9"))
WEIMIN_CAMPAIGN_ATTACHMENT_MAX_BYTES = int(os.environ.get("WEIMIN_CAMPAIGN_ATTACHMENT_MAX_BYTES", str(10 * 2**20)))

# Limits on abuse (issue 9, docs/security.md "Limits on abuse and enrolled devices"), counted in CACHES
# above, the database cache every process shares.
# Proxies in front of weimin whose X-Forwarded-For to trust (0: the client address is REMOTE_ADDR; a
# forwarded header sent by the client itself is never believed).
WEIMIN_TRUSTED_PROXIES = int(os.environ.get("WEIMIN_TRUSTED_PROXIES", "0"))
NINJA_NUM_PROXIES = WEIMIN_TRUSTED_PROXIES
# Per client address (0 = no limit). Enrolled kiosks and pads of the hall and signed-in staff are not
# limited per address: a real kiosk issues hundreds of numbers an hour from one address.
WEIMIN_TICKETS_PER_ADDRESS_PER_HOUR = int(os.environ.get("WEIMIN_TICKETS_PER_ADDRESS_PER_HOUR", "10"))
WEIMIN_BOOKINGS_PER_ADDRESS_PER_DAY = int(os.environ.get("WEIMIN_BOOKINGS_PER_ADDRESS_PER_DAY", "3"))
# Upcoming bookings one ID number may hold at a hall, across its items (one per item as before).
WEIMIN_BOOKINGS_PER_PERSON = int(os.environ.get("WEIMIN_BOOKINGS_PER_PERSON", "3"))
# An enrollment link for a kiosk or pad works once, within this many hours of being made.
WEIMIN_DEVICE_LINK_HOURS = int(os.environ.get("WEIMIN_DEVICE_LINK_HOURS", "24"))
# Logins: after this many failures for one username from one address, that pair is locked out this long.
WEIMIN_LOGIN_FAILURE_LIMIT = int(os.environ.get("WEIMIN_LOGIN_FAILURE_LIMIT", "5"))
WEIMIN_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("WEIMIN_LOGIN_LOCKOUT_MINUTES", "15"))
AXES_FAILURE_LIMIT = WEIMIN_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=WEIMIN_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "weimin.core.limits.client_address"
AXES_LOCKOUT_CALLABLE = "weimin.core.limits.login_locked_out"
AXES_USERNAME_CALLABLE = "weimin.core.limits.login_username"  # cut to a username's length (no 500 on a long one)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
