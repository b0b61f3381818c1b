"""Signing in with a password (Django's ``ModelBackend``), the signed-in user read with a prepared query:
every request of a signed-in page loads its user (core/prepared.py), and with it the user's role groups and
halls that every page's permission asks for (a row for each pair of them)."""

from django.contrib.auth import backends
from django.contrib.auth.models import User

from weimin.accounts.permissions import MEMBERSHIPS, carry_memberships
from weimin.core.prepared import PreparedQuery

_COLUMNS = [field.attname for field in User._meta.concrete_fields]
# How a signed-in user is read, by its session or its bearer token (auth.py): its columns, then its role
# groups and halls (a row for each pair of them).
USER_WITH_MEMBERSHIPS = (*_COLUMNS, *MEMBERSHIPS)


def user_with_memberships(rows) -> User:
    """The user of ``rows`` that end with the values of ``USER_WITH_MEMBERSHIPS``, carrying its groups and halls."""
    user = User.from_db("default", _COLUMNS, rows[0][-len(USER_WITH_MEMBERSHIPS) : -len(MEMBERSHIPS)])
    carry_memberships(user, [row[-len(MEMBERSHIPS) :] for row in rows])
    return user


_USER = PreparedQuery(
    lambda user_id: User.objects.filter(pk=user_id).values_list(*USER_WITH_MEMBERSHIPS),
    user_id=User._meta.get_field("id"),
)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        found = _USER.rows(user_id=user_id)
        if not found:
            return None
        user = user_with_memberships(found)
        return user if self.user_can_authenticate(user) else None
