"""Campaign invariants: each household's events replay through the life cycle (rules.TRANSITIONS) to its
status; no missed call waits unreturned past its due time without its leader being told (work overdue — the
`weimin campaign escalate` job not running —, not broken data)."""

from collections import defaultdict

from weimin.campaign import rules
from weimin.campaign.models import Household, HouseholdEvent, Task
from weimin.core import clock
from weimin.core.integrity import replay_problems


def problems():
    yield from event_sequences()
    yield from callbacks_in_time()


def event_sequences():
    events = defaultdict(list)
    for household_id, kind in HouseholdEvent.objects.order_by("household_id", "at", "id").values_list(
        "household_id", "kind"
    ):
        events[household_id].append(kind)
    households = (
        (pk, f"{code} {number}", status)
        for pk, code, number, status in Household.objects.values_list("pk", "project__code", "number", "status")
    )
    yield from replay_problems("campaign_household_events", "household", households, events, rules.replay)


def callbacks_in_time():
    overdue = Task.objects.filter(
        kind=rules.TaskKind.CALLBACK, done_at__isnull=True, due_at__lt=clock.now(), escalated_at__isnull=True
    )
    for task in overdue.select_related("project"):
        yield {
            "check": "campaign_callback_waiting",
            "overdue": True,
            "task": task.pk,
            "detail": f"{task.project.code}: call-back {task.pk} was due at {task.due_at.isoformat()}, not escalated",
        }
