"""``weimin analytics``: the analytics pages' figures on the command line, and the rollups' refresh."""

import json
from argparse import RawDescriptionHelpFormatter
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from weimin.analytics import actions, effect_report, queries
from weimin.analytics.effect import MAX_WEEKS
from weimin.core import clock
from weimin.core.errors import InvalidInput
from weimin.halls.models import Hall


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: expected YYYY-MM-DD, got {text!r}", returncode=2) from None


def hall_or_district(code: str | None) -> list[Hall]:
    if code is None:
        return list(Hall.objects.all())
    hall = Hall.objects.filter(code=code).first()
    if hall is None:
        raise CommandError(f"--hall: no hall with code {code!r}", returncode=2)
    return [hall]


def rounded(figures: dict) -> dict:
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in figures.items()}


EFFECT_HELP = """\
The weeks (Monday to Sunday) before --start and from it compared: the same figures as /analytics/effect/.
Prints {"hall", "start", "weeks",
  "before": {"first", "last", "weeks", "visits", "cases", "mean_wait_minutes", "under_target_share",
             "evening_share", "saturday_share", "company_share_evening", "company_share_daytime",
             "evening_visits", "evening_cases", "evening_company_cases", "evening_individual_cases"},
  "after": {...the same...},
  "change": {"visits" | "cases" | "evening_visits" | "mean_wait_minutes" | "under_target_share" |
             "evening_share" | "saturday_share" | "company_share_evening" | "company_share_daytime":
             {"unit": "per_week" | "minutes" | "share", "before", "after", "absolute", "relative",
              "low", "high", "significant", "verdict": "rise" | "fall" | "within" | "not_judged"}},
  "not_counted": {"before_too_early", "after_not_over"}, "confidence", "resamples", "summary"}.
"before"/"after" are the periods' totals and figures (weeks not over yet, or before the first
records, are not counted); "change" compares counts per week, ratios over each period; low/high is
the 95% bootstrap interval of the absolute change, "significant" when it excludes 0.
"""


class Command(BaseCommand):
    help = (
        "Analytics: refresh the rollups, print a period's figures (summary) or the effect of a change such as "
        "the extended service (effect) as JSON."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        refresh = commands.add_parser("refresh", help="rebuild the rollups of every hall day whose records changed")
        refresh.add_argument(
            "--workers",
            type=int,
            default=1,
            choices=range(1, 17),
            metavar="N",
            help="processes sharing a long catch-up (a new database's history); default 1",
        )
        summary = commands.add_parser("summary", help="a period's figures for a hall or the whole district")
        summary.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
        summary.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
        summary.add_argument("--hall", metavar="CODE", help="a hall's code; omitted: the whole district")
        summary.add_argument("--format", choices=["json"], default="json")
        report = commands.add_parser(
            "effect",
            help="the weeks before and after a start date compared, with 95%% bootstrap intervals over weeks",
            description=EFFECT_HELP,
            formatter_class=RawDescriptionHelpFormatter,
        )
        report.add_argument("--hall", metavar="CODE", help="a hall's code; omitted: the whole district")
        report.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="a Monday: the first day after")
        weeks = effect_report.DEFAULT_WEEKS
        report.add_argument(
            "--weeks", type=int, default=weeks, metavar="N", help=f"weeks on each side, 1–{MAX_WEEKS} (default {weeks})"
        )
        report.add_argument("--format", choices=["json"], default="json")

    def handle(self, command, **options):
        now = clock.now()
        if command == "refresh":
            done = actions.refresh(now, workers=options["workers"])
            self.stdout.write(
                "Another refresh is running." if done.skipped else f"Rebuilt {done.days} hall days ({done.rows} rows)."
            )
            return
        if command == "effect":
            self.effect(now, options)
            return
        first, last = parse_day(options["first"], "--from"), parse_day(options["last"], "--to")
        if last < first:
            raise CommandError("--to: must not be before --from", returncode=2)
        halls = hall_or_district(options["hall"])
        actions.refresh(now)
        figures = queries.figures(queries.total(halls, first, last))
        result = {"hall": options["hall"], "from": first.isoformat(), "to": last.isoformat(), **rounded(figures)}
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def effect(self, now, options):
        halls = hall_or_district(options["hall"])
        start = parse_day(options["start"], "--start")
        try:
            effect_report.check_start(start)
            effect_report.check_weeks(options["weeks"])
            actions.refresh(now)
            hall = halls[0] if options["hall"] else None
            report = effect_report.build(halls, start, options["weeks"], now, hall=hall)
        except InvalidInput as error:
            raise CommandError(f"--{error.field}: {error.message}", returncode=2) from None
        self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
