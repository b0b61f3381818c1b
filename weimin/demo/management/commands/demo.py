import os

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from weimin.core import clock
from weimin.demo import data
from weimin.demo.restart import start_demo
from weimin.demo.seed import demo_enrollment_links
from weimin.demo.simulation import LiveSimulation

# The article's moment: Friday evening in the extended session, when the reporter found the hall busy.
DEFAULT_DEMO_CLOCK = "2017-12-08T18:30"


class Command(BaseCommand):
    help = "Migrate, seed the Longgang demo district (idempotent) and serve it on the demo clock."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT to serve on")
        parser.add_argument("--seed-only", action="store_true", help="build the demo data and exit")
        parser.add_argument(
            "--no-simulation", action="store_true", help="keep the halls still: no visitors arrive, no clerk calls"
        )

    def handle(self, addr, seed_only, no_simulation, **options):
        if not clock.clock_allowed():
            raise CommandError("weimin demo needs DEBUG=1 or WEIMIN_ALLOW_CLOCK=1: it runs a simulated clock")
        host, _, port = addr.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--addr: expected HOST:PORT, got {addr!r}")
        if not os.environ.get(clock.CLOCK_ENV):  # otherwise the clock already runs from WEIMIN_CLOCK
            clock.run_from(clock.parse_clock(DEFAULT_DEMO_CLOCK))
        call_command("migrate", interactive=False, verbosity=0)
        start = start_demo(clock.now())
        summary = start.seeded
        if start.rebuilt:
            self.stdout.write(
                "The demo clock is earlier than what the last run recorded: the demo database was rebuilt."
            )
        elif start.closed_tickets or start.ended_duties:
            self.stdout.write(
                f"Brought the last run up to the clock: {start.closed_tickets} tickets of past days closed, "
                f"{start.ended_duties} idle duties ended."
            )
        history = start.history
        if history.hall_days:
            self.stdout.write(
                f"History built: {history.hall_days} hall-days, {history.tickets} tickets "
                f"({history.ticket_events} events), {history.cases} cases ({history.case_events} events), "
                f"{history.ratings} ratings, {history.duties} duties."
            )
        self.stdout.write(
            f"Demo district ready: {summary.halls} halls, {summary.windows} windows, "
            f"{summary.items} service items, {summary.staff} staff; "
            f"{start.built_tickets} tickets of today's queue built; analytics rollups of {start.rollups.days} "
            "hall days brought up to date."
        )
        if seed_only:
            return
        base = f"http://{addr}"
        hall = data.DISTRICT_HALL.code
        devices = [
            f"  {device.label:<16}  {base}{reverse('accounts:enroll', args=[code])}"
            for device, code in demo_enrollment_links(clock.now())
        ]
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"Demo clock starts at {timezone.localtime(clock.now()):%Y-%m-%d %H:%M} "
                    "(set WEIMIN_CLOCK to change).",
                    f"  Halls (home)      {base}/",
                    f"  Kiosk             {base}/halls/{hall}/kiosk/",
                    f"  Hall display      {base}/halls/{hall}/display/",
                    f"  好差评 pad (8)    {base}/halls/{hall}/windows/8/rate/   (an enrolled pad only)",
                    f"  Window console    {base}/console/   (log in as clerk)",
                    f"  Item checklist    {base}/items/fire-acceptance/",
                    f"  Analytics         {base}/analytics/   (log in as office or manager; the extension's effect:"
                    " /analytics/effect/)",
                    f"  Rivers            {base}/rivers/   (log in as river: 平湖街道治水办)",
                    f"  Back office       {base}/admin/",
                    f"  API docs          {base}/api/docs",
                    "",
                    "Enroll the browser that plays the kiosk or the 好差评 pad beside window 8 (each link works once;"
                    " or sign in as manager and the kiosk and pad pages offer it):",
                    *devices,
                    "",
                    f"Demo accounts (password {data.DEMO_PASSWORD}): "
                    + ", ".join(f"{a.username} ({a.role or 'superuser'})" for a in data.DEMO_ACCOUNTS),
                    "Simulated visitors and clerks: " + ("off (--no-simulation)" if no_simulation else "on"),
                    "",
                ]
            )
        )
        if not no_simulation:
            LiveSimulation().start()
        call_command("runserver", addr, use_reloader=False, insecure_serving=True)
