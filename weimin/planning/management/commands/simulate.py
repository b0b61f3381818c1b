import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from weimin.core import clock
from weimin.halls.models import Hall
from weimin.planning import queries
from weimin.planning.plan import PlanningError, simulate_day


class Command(BaseCommand):
    help = "Simulate a hall's day with its roster (the approved one, else the newest draft): waits per half-hour."

    def add_arguments(self, parser):
        parser.add_argument("--hall", required=True, help="hall code")
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--replications", type=int, default=1000, help="2 to 100000 (default 1000)")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, hall, date, replications, format, **options):
        found = Hall.objects.filter(code=hall[:40]).first()
        if found is None:
            raise CommandError(f"--hall: no hall with code {hall!r}")
        day = _day(date)
        if not 2 <= replications <= 100_000:
            raise CommandError("--replications: from 2 to 100000")
        roster = queries.roster_for_day(found, day)
        if roster is None:
            raise CommandError(f"--date: no roster of {found.code} covers {day}; plan the week first (weimin plan)")
        try:
            result = simulate_day(found, day, clock.now(), queries.shifts_on(roster, day), replications)
        except PlanningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps({"roster": roster.pk, **result}, ensure_ascii=False, indent=2))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"--date: {text!r} is not a date written YYYY-MM-DD") from None
