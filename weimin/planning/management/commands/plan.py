import json
import signal
import sys
import threading
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from weimin.core import clock
from weimin.halls.models import Hall
from weimin.planning import actions
from weimin.planning.plan import PlanningError, monday_of, plan_week


class Command(BaseCommand):
    help = (
        "Plan a hall's week — forecast, required windows, roster (CP-SAT), headcount, predicted service level — "
        "and save it as a draft roster. Ctrl-C stops the solver and keeps the best roster so far."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hall", required=True, help="hall code")
        parser.add_argument("--week", required=True, help="ISO week, e.g. 2017-W50")
        parser.add_argument("--time-limit", type=float, default=None, help="seconds for the solver (default: setting)")
        parser.add_argument(
            "--hours-of",
            default=None,
            help="YYYY-MM-DD: plan the week under the opening hours in force on that date, to compare (not saved)",
        )
        parser.add_argument(
            "--free-starts", action="store_true", help="shifts start on any half-hour instead of the hall's patterns"
        )
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, hall, week, time_limit, hours_of, free_starts, format, **options):
        found = Hall.objects.filter(code=hall[:40]).first()
        if found is None:
            raise CommandError(f"--hall: no hall with code {hall!r}")
        if time_limit is not None and not 0 < time_limit <= 3600:
            raise CommandError("--time-limit: between 0 and 3600 seconds")
        try:
            hours = date.fromisoformat(hours_of) if hours_of else None
        except ValueError:
            raise CommandError(f"--hours-of: {hours_of!r} is not a date written YYYY-MM-DD") from None
        stop = threading.Event()
        progress = self._progress if sys.stderr.isatty() else None
        # Ctrl-C ends the search; the best roster found so far is kept and printed.
        previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
        try:
            plan = plan_week(found, monday_of(week), clock.now(), time_limit=time_limit, on_progress=progress,
                             stop=stop, hours_of=hours, free=free_starts)  # fmt: skip
        except PlanningError as error:
            raise CommandError(str(error)) from None
        finally:
            signal.signal(signal.SIGINT, previous)
        if hours is not None:  # a comparison, not the week's plan
            printed = {"roster": None, "hours_of": hours.isoformat(), **plan.as_json()}
        else:
            roster = actions.save_plan(None, plan, clock.now())
            printed = {"roster": roster.pk, "hours_of": None, **roster.plan}
        self.stdout.write(json.dumps(printed, ensure_ascii=False, indent=2))

    def _progress(self, progress):
        self.stderr.write(
            f"\rroster: objective {progress.objective:,.0f}, bound {progress.bound:,.0f}, "
            f"gap {progress.gap:.1%}, {progress.seconds:.0f} s",
            ending="",
        )
