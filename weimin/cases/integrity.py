"""Case invariants: every decision has its written notice, every acceptance its date, and each case's
events replay through the life cycle (rules.TRANSITIONS) to its status."""

from collections import defaultdict

from weimin.cases import rules
from weimin.cases.models import Case, CaseEvent


def problems():
    yield from decisions_have_notices()
    yield from acceptances_have_dates()
    yield from event_sequences()


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
    for case_id, kind, detail in CaseEvent.objects.order_by("case_id", "at", "id").values_list(
        "case_id", "kind", "detail"
    ):
        decision = (detail or {}).get("decision") if kind == rules.EventKind.DECIDED else None
        events[case_id].append((kind, decision))
    for case_id, number, status in Case.objects.values_list("id", "number", "status"):
        try:
            final = rules.replay(events.get(case_id, []))
        except ValueError as exc:  # IllegalTransition, or an event the life cycle does not know
            yield {"check": "case_event_sequence", "case": number, "detail": f"{number}: {exc}"}
            continue
        if final != status:
            yield {
                "check": "case_event_sequence",
                "case": number,
                "detail": f"{number}: events lead to {final or 'nothing'}, case says {status}",
            }
