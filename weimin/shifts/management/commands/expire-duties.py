from django.core.management.base import BaseCommand

from weimin.core import clock
from weimin.shifts.actions import expire_idle_duties


class Command(BaseCommand):
    help = "Sign out clerks whose console has not been seen for WEIMIN_DUTY_IDLE_MINUTES (run every minute)."

    def handle(self, **options):
        handovers = expire_idle_duties(clock.now())
        self.stdout.write(f"{len(handovers)} idle clerks signed out with a handover")
