from django.core.management.base import BaseCommand

from weimin.core import clock
from weimin.tickets.actions import close_past_days, mark_missed_appointments


class Command(BaseCommand):
    help = "After closing time: close tickets left open from past business days and record missed appointments."

    def handle(self, **options):
        now = clock.now()
        tickets = close_past_days(now)
        missed = mark_missed_appointments(now)
        self.stdout.write(f"closed {tickets} tickets from past days; {missed} appointments recorded as missed")
