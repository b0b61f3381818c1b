"""Starting the demo on any clock after any earlier run (重启演示): what the earlier run left is closed or rebuilt.

The demo's clock is whatever ``WEIMIN_CLOCK`` says, so a run may start before, at or after what an
earlier run on the same database recorded. Two cases:

- **Back in time** — the clock reads earlier than the latest instant recorded in the halls (a
  ticket's or case's event, a rating, a sign-in or sign-out, a handover; ``recorded_until``): events
  at the new clock would come before events already recorded for the same tickets and duties, so the
  demo database is rebuilt (flushed and seeded again). A database holding another district than the
  demo's is never flushed: the demo refuses and names the earliest clock it can start at.
- **Forward** (or the same instant) — the earlier run is brought up to the clock through the owners'
  own actions, as ``weimin close-day`` and ``weimin expire-duties`` would have: tickets and
  appointments left open from past days are closed, each simulated clerk not seen for
  ``WEIMIN_DUTY_IDLE_MINUTES`` finishes the ticket at its window and signs out, and people's idle
  duties end through the handover.

Either way the past is then filled in (``history.build_demo_history``: every hall's finished days from
``WEIMIN_DEMO_HISTORY_FROM`` to the day before the clock that have no ticket yet — all of them on a
fresh or rebuilt database; after an earlier run, the days between its last day and the clock, staffed
by the clerks the earlier run had not kept on duty through them) and the day is built up to the clock
(``simulation.prepare_day``) for every hall that has no ticket today yet. Last, the analytics rollups
are brought up to date (``analytics.actions.refresh``: on a fresh database every day of the history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.management import CommandError, call_command
from django.db.models import Max

from weimin.analytics import actions as analytics_actions
from weimin.analytics.actions import RefreshSummary
from weimin.campaign import actions as campaign_actions
from weimin.cases.models import CaseEvent
from weimin.demo import data
from weimin.demo.history import HistorySummary, build_demo_history
from weimin.demo.seed import SeedSummary, seed_demo
from weimin.demo.simulation import finish_and_sign_out, is_simulated_clerk, prepare_day
from weimin.halls.models import District
from weimin.ratings.models import FollowUp, Rating
from weimin.shifts import actions as shift_actions
from weimin.shifts.models import Duty, Handover
from weimin.tickets import actions as ticket_actions
from weimin.tickets.models import Appointment, TicketEvent

# Every instant something happened in the halls is recorded in one of these columns.
RECORDED_INSTANTS = [
    (TicketEvent, ["at"]),
    (Appointment, ["changed_at"]),
    (CaseEvent, ["at"]),
    (Rating, ["rated_at"]),
    (FollowUp, ["contacted_at", "resolved_at"]),
    (Duty, ["started_at", "ended_at"]),
    (Handover, ["created_at", "acknowledged_at"]),
]


@dataclass(frozen=True)
class DemoStart:
    seeded: SeedSummary
    rebuilt: bool  # the clock was before what an earlier run recorded
    closed_tickets: int  # tickets of past days closed (close-day)
    ended_duties: int  # simulated clerks' and people's idle duties ended
    history: HistorySummary  # the finished days built before the clock's day
    built_tickets: int  # today's queue built up to the clock
    rollups: RefreshSummary  # the analytics rollups brought up to date with all of it


def recorded_until() -> datetime | None:
    """The latest instant anything in the halls was recorded at, or None on a fresh database."""
    latest = [
        value
        for model, fields in RECORDED_INSTANTS
        for value in model.objects.aggregate(*(Max(field) for field in fields)).values()
        if value is not None
    ]
    return max(latest, default=None)


def start_demo(now: datetime) -> DemoStart:
    """Seed the demo district and bring the halls to ``now``, whatever earlier runs left."""
    latest = recorded_until()
    rebuilt = latest is not None and now < latest
    if rebuilt:
        if District.objects.exclude(code=data.DISTRICT.code).exists():
            raise CommandError(
                f"This database holds more than the demo district and recorded events until {latest:%Y-%m-%d %H:%M} "
                "UTC: start the demo clock (WEIMIN_CLOCK) after that, or give the demo a database of its own."
            )
        call_command("flush", interactive=False, verbosity=0)
    seeded = seed_demo()
    closed = ticket_actions.close_past_days(now)
    ticket_actions.mark_missed_appointments(now)
    ended = Duty.objects.idle(now).count()
    for duty in Duty.objects.idle(now).select_related("user", "window__hall"):
        if is_simulated_clerk(duty.user, duty.window.hall):
            finish_and_sign_out(duty, now)  # like a clerk going home: no handover to anyone
    shift_actions.expire_idle_duties(now)  # people's consoles closed long ago: the handover keeps their work
    campaign_actions.escalate_overdue(now)  # what `weimin campaign escalate` does from cron in a real district
    history = build_demo_history(now)
    built = prepare_day(now)
    return DemoStart(seeded, rebuilt, closed, ended, history, built, analytics_actions.refresh(now, workers=2))
