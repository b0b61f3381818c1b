"""``weimin analytics``: the analytics pages' figures on the command line, and the rollups' refresh."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from weimin.analytics import actions, queries
from weimin.core import clock
from weimin.halls.models import Hall


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: expected YYYY-MM-DD, got {text!r}") from None


def hall_or_district(code: str | None) -> list[Hall]:
    if code is None:
        return list(Hall.objects.all())
    hall = Hall.objects.filter(code=code).first()
    if hall is None:
        raise CommandError(f"--hall: no hall with code {code!r}")
    return [hall]


def rounded(figures: dict) -> dict:
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in figures.items()}


class Command(BaseCommand):
    help = "Analytics: refresh the rollups, or print a period's figures (summary) as JSON."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("refresh", help="rebuild the rollups of every hall day whose records changed")
        summary = commands.add_parser("summary", help="a period's figures for a hall or the whole district")
        summary.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
        summary.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
        summary.add_argument("--hall", metavar="CODE", help="a hall's code; omitted: the whole district")
        summary.add_argument("--format", choices=["json"], default="json")

    def handle(self, command, **options):
        now = clock.now()
        if command == "refresh":
            done = actions.refresh(now)
            self.stdout.write(
                "Another refresh is running." if done.skipped else f"Rebuilt {done.days} hall days ({done.rows} rows)."
            )
            return
        first, last = parse_day(options["first"], "--from"), parse_day(options["last"], "--to")
        if last < first:
            raise CommandError("--to: must not be before --from")
        halls = hall_or_district(options["hall"])
        actions.refresh(now)
        figures = queries.figures(queries.total(halls, first, last))
        result = {"hall": options["hall"], "from": first.isoformat(), "to": last.isoformat(), **rounded(figures)}
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
