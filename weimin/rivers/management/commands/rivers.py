"""``weimin rivers classify FILE.csv --format json``: the black-odorous classes of a table of samples, by the
same rules and settings as the pages (``rivers/rules.py``), without the database."""

import json
from argparse import RawDescriptionHelpFormatter
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from weimin.rivers import rules
from weimin.rivers.choices import problem_text
from weimin.rivers.queries import thresholds
from weimin.rivers.rows import COLUMNS, Row, UnreadableFile, parse_table, read_csv

MAX_FILE_BYTES = 50 * 1024 * 1024

CLASSIFY_HELP = f"""\
Reads a CSV with the columns {",".join(COLUMNS)} (one line per sample; the whole file is one period) and
prints {{"points": [{{"body", "point", "class", "reasons"}}],
         "bodies": [{{"body", "class", "severe_stretches", "reasons"}}]}}
with classes none, light, severe, insufficient_data; points in chainage order within each body, bodies in
the order they first appear. Each reason is {{"rule", ...}} with the fields its rule uses (indicator, value,
threshold, count, total, share). A malformed row: exit code 2 and a message naming its row and column.
"""


def classified(rows: list[Row], t: rules.Thresholds) -> dict:
    readings, chainage, bodies = defaultdict(list), {}, {}
    for row in rows:
        bodies.setdefault(row.body, [])
        if (row.body, row.point) not in chainage:
            chainage[(row.body, row.point)] = row.chainage_m
            bodies[row.body].append(row.point)
        readings[(row.body, row.point)].append(row.reading)
    points_out, bodies_out = [], []
    for body, codes in bodies.items():
        points = sorted(
            (
                rules.Point(code, chainage[(body, code)], rules.classify_point(readings[(body, code)], t))
                for code in codes
            ),
            key=lambda p: p.chainage_m,
        )
        points_out += [
            {"body": body, "point": p.code, "class": p.classified.klass.value,
             "reasons": [r.as_dict() for r in p.classified.reasons]}
            for p in points
        ]  # fmt: skip
        result = rules.classify_body(points, t)
        bodies_out.append(
            {"body": body, "class": result.klass.value, "severe_stretches": [s.as_dict() for s in result.stretches],
             "reasons": [r.as_dict() for r in result.classified.reasons]}
        )  # fmt: skip
    return {"points": points_out, "bodies": bodies_out}


class Command(BaseCommand):
    help = "River water quality: classify a CSV of samples by the black-odorous water guideline (classify)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        classify = commands.add_parser(
            "classify",
            help="classify a CSV of samples: points and bodies, with reasons",
            description=CLASSIFY_HELP,
            formatter_class=RawDescriptionHelpFormatter,
        )
        classify.add_argument("file", metavar="FILE.csv")
        classify.add_argument("--format", choices=["json"], default="json")

    def handle(self, command, file, **options):
        path = Path(file)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{file}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB", returncode=2)
            table = read_csv(path.read_bytes())
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}", returncode=2) from None
        except UnreadableFile as error:
            raise CommandError(f"{file}: not a readable CSV ({error})", returncode=2) from None
        rows, errors = parse_table(table)
        if errors:
            lines = [f"row {e.row}, column {e.column}: {problem_text(e.problem)}" for e in errors[:20]]
            more = [f"… and {len(errors) - 20} more problems"] if len(errors) > 20 else []
            raise CommandError("\n".join([f"{file}: malformed rows, nothing classified", *lines, *more]), returncode=2)
        self.stdout.write(json.dumps(classified(rows, thresholds()), ensure_ascii=False, indent=2))
