import os

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from weimin.core import clock
from weimin.demo import data
from weimin.demo.seed import seed_demo

# The article's moment: Friday evening in the extended session, when the reporter found the hall busy.
DEFAULT_DEMO_CLOCK = "2017-12-08T18:30"


class Command(BaseCommand):
    help = "Migrate, seed the Longgang demo district (idempotent) and serve it with the demo clock."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT to serve on")
        parser.add_argument("--seed-only", action="store_true", help="build the demo data and exit")

    def handle(self, addr, seed_only, **options):
        if not clock.clock_allowed():
            raise CommandError("weimin demo needs DEBUG=1 or WEIMIN_ALLOW_CLOCK=1: it runs a simulated clock")
        host, _, port = addr.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--addr: expected HOST:PORT, got {addr!r}")
        call_command("migrate", interactive=False, verbosity=0)
        summary = seed_demo()
        self.stdout.write(
            f"Demo district ready: {summary.halls} halls, {summary.windows} windows, "
            f"{summary.items} service items, {summary.staff} staff."
        )
        if seed_only:
            return
        if not os.environ.get(clock.CLOCK_ENV):
            os.environ[clock.CLOCK_ENV] = DEFAULT_DEMO_CLOCK
            clock.configure_from_env()
        base = f"http://{addr}"
        self.stdout.write(
            "\n".join([
                "",
                f"Demo clock starts at {timezone.localtime(clock.now()):%Y-%m-%d %H:%M} (set WEIMIN_CLOCK to change).",
                f"  Halls (home)     {base}/",
                f"  District hall    {base}/halls/{data.DISTRICT_HALL[0]}/",
                f"  Item checklist   {base}/items/fire-acceptance/",
                f"  Back office      {base}/admin/",
                f"  API docs         {base}/api/docs",
                "",
                f"Demo accounts (password {data.DEMO_PASSWORD}): "
                + ", ".join(f"{username} ({role or 'superuser'})" for username, _n, role, _h, _s in data.DEMO_ACCOUNTS),
                "",
            ])
        )
        call_command("runserver", addr, use_reloader=False, insecure_serving=True)
