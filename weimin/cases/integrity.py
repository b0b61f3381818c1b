"""Case invariants: every decision has its written notice, every acceptance its date, each case's
events replay through the life cycle (rules.TRANSITIONS) to its status, and no case waits in a hall's
pool longer than WEIMIN_POOL_CASE_MAX_HOURS."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings

from weimin.cases import rules
from weimin.cases.models import Case, CaseEvent
from weimin.cases.queries import pool
from weimin.core import clock
from weimin.core.integrity import replay_problems


def problems():
    yield from decisions_have_notices()
    yield from acceptances_have_dates()
    yield from event_sequences()
    yield from pool_cases_taken_in_time()


def decisions_have_notices():
    decided = Case.objects.exclude(decision="")
    for case in decided.filter(notices__isnull=True):
        yield {"check": "case_decision_has_notice", "case": case.number, "detail": f"{case.number} has no notice"}


def acceptances_have_dates():
    accepted = Case.objects.filter(status__in=rules.ACCEPTED_STATUSES)
    for case in accepted.filter(accepted_on__isnull=True):
        yield {"check": "case_accepted_has_date", "case": case.number, "detail": f"{case.number} has no 受理 date"}


def event_sequences():
    """Replaying each case's events through the life cycle is legal and ends in its status."""
    events = defaultdict(list)
    rows = CaseEvent.objects.order_by("case_id", "at", "id").values_list("case__number", "kind", "detail")
    for number, kind, detail in rows:
        decision = (detail or {}).get("decision") if kind == rules.EventKind.DECIDED else None
        events[number].append((kind, decision))
    cases = ((number, number, status) for number, status in Case.objects.values_list("number", "status"))
    yield from replay_problems("case_event_sequence", "case", cases, events, rules.replay)


def pool_cases_taken_in_time():
    """A case handed over to the hall's pool is taken within WEIMIN_POOL_CASE_MAX_HOURS."""
    since = clock.now() - timedelta(hours=settings.WEIMIN_POOL_CASE_MAX_HOURS)
    for case in pool().filter(pooled_at__lt=since):
        yield {
            "check": "case_pool_waiting",
            "overdue": True,
            "case": case.number,
            "detail": f"{case.number} has waited in the pool of {case.hall.code} since {case.pooled_at.isoformat()}",
        }
