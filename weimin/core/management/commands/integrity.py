import json

from django.core.management.base import BaseCommand

from weimin.core.integrity import all_problems


class Command(BaseCommand):
    help = (
        "Check weimin's invariants; print {ok, problems, overdue} and exit non-zero when an invariant is "
        "broken (with --strict, also when work is overdue)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--strict", action="store_true", help="overdue work fails the check too")

    def handle(self, format, strict, **options):
        found = all_problems()
        broken = [p for p in found if not p.get("overdue")]
        overdue = [p for p in found if p.get("overdue")]
        if format == "json":
            report = {"ok": not broken, "problems": broken, "overdue": overdue}
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            for problem in broken:
                self.stdout.write(f"{problem['check']}: {problem['detail']}")
            for problem in overdue:
                self.stdout.write(f"overdue · {problem['check']}: {problem['detail']}")
            if not broken:
                self.stdout.write("ok: every invariant holds" + (f"; {len(overdue)} overdue" if overdue else ""))
        if broken or (strict and overdue):
            raise SystemExit(1)
