from django.core.management.base import BaseCommand

from weimin.cases.actions import withdraw_broken_promises
from weimin.cases.notify import send_pending
from weimin.core import clock


class Command(BaseCommand):
    help = "Withdraw 容缺 cases whose promised materials did not arrive in time; send pending notifications."

    def handle(self, **options):
        now = clock.now()
        withdrawn = withdraw_broken_promises(now)
        sent = send_pending(now)
        self.stdout.write(f"{withdrawn} cases withdrawn for a broken promise; {sent} notifications sent")
