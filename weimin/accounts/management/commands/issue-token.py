from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from weimin.accounts.actions import issue_token


class Command(BaseCommand):
    help = "Print a new API bearer token for USERNAME (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="", help="what the token is for")

    def handle(self, username, label, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"username: no active user {username!r}")
        self.stdout.write(issue_token(user, label))
