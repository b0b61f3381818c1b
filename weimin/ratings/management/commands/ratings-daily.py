from django.core.management.base import BaseCommand

from weimin.core import clock
from weimin.ratings.actions import apply_default_ratings


class Command(BaseCommand):
    help = "Give the default rating to visits and cases not rated within WEIMIN_RATING_PERIOD_DAYS."

    def handle(self, **options):
        self.stdout.write(f"{apply_default_ratings(clock.now())} default ratings given")
