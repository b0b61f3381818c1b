"""Signing in with a password (Django's ``ModelBackend``), the signed-in user read with a prepared query:
every request of a signed-in page loads its user (core/prepared.py)."""

from django.contrib.auth import backends
from django.contrib.auth.models import User

from weimin.core.prepared import PreparedQuery

_USER = PreparedQuery(lambda user_id: User.objects.filter(pk=user_id)[:1], user_id=User._meta.get_field("id"))


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        found = _USER.objects(user_id=user_id)
        return found[0] if found and self.user_can_authenticate(found[0]) else None
