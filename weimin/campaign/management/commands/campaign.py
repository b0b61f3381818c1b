"""``weimin campaign``: a project's progress (征拆进度) as text or JSON, and the escalation of overdue tasks."""

import json

from django.core.management.base import BaseCommand, CommandError

from weimin.campaign import actions, queries
from weimin.core import clock

PROGRESS_HELP = (
    'Prints {"project", "target_area_m2", "cleared_area_m2", "deadline", "required_daily_m2", '
    '"households": {status: count}, "signing_rate_households", "signing_rate_area", "open_callbacks", '
    '"overdue_tasks"}: cleared is the floor area moved out or demolished; the daily rate spreads what remains '
    "over the days from today to the deadline, both counted; signing rates count signed, moved out and "
    "demolished households (a retracted agreement does not count)."
)


class Command(BaseCommand):
    help = "The expropriation campaign: a project's progress, and overdue tasks escalated to their leaders."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        progress = commands.add_parser("progress", help=PROGRESS_HELP)
        progress.add_argument("--project", required=True, help="the project's code")
        progress.add_argument("--format", choices=["text", "json"], default="text")
        commands.add_parser("escalate", help="mark open tasks past their due time as escalated (run every few minutes)")

    def handle(self, command, **options):
        now = clock.now()
        if command == "escalate":
            self.stdout.write(f"{actions.escalate_overdue(now)} overdue tasks escalated to their leaders.")
            return
        project = queries.project_by_code(options["project"])
        if project is None:
            raise CommandError(f"--project: no project with code {options['project']!r}", returncode=2)
        figures = queries.project_progress(project, now)
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(
            f"{project.name}: {figures['cleared_area_m2']:.0f} of {figures['target_area_m2']:.0f} m² cleared, "
            f"{figures['required_daily_m2']:.0f} m² a day needed until {figures['deadline']}; signed "
            f"{figures['signing_rate_households']:.1%} of households, {figures['signing_rate_area']:.1%} of the area; "
            f"{figures['open_callbacks']} call-backs open, {figures['overdue_tasks']} tasks overdue."
        )
