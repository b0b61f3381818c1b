import json

from django.core.management.base import BaseCommand

from weimin.core.integrity import all_problems


class Command(BaseCommand):
    help = "Check weimin's invariants; print {ok, problems} and exit non-zero when a problem exists."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, format, **options):
        problems = all_problems()
        if format == "json":
            self.stdout.write(json.dumps({"ok": not problems, "problems": problems}, ensure_ascii=False))
        elif problems:
            for problem in problems:
                self.stdout.write(f"{problem['check']}: {problem['detail']}")
        else:
            self.stdout.write("ok: every invariant holds")
        if problems:
            raise SystemExit(1)
