"""Bearer-token authentication for the API and the hall-scoped permission rule."""

from datetime import timedelta

from django.http import HttpRequest
from ninja.security import HttpBearer

from weimin.accounts.backends import USER_WITH_MEMBERSHIPS, user_with_memberships
from weimin.accounts.choices import Role
from weimin.accounts.models import ApiToken, hash_token
from weimin.core import clock
from weimin.core.prepared import PreparedQuery
from weimin.halls.models import Hall

LAST_USED_PRECISION = timedelta(minutes=1)


# Asked on every staff call of the API: one prepared query (core/prepared.py) for the token, its user and
# the user's role groups and halls (a row for each pair of them; the key hash is unique).
_TOKEN = PreparedQuery(
    lambda key_hash: ApiToken.objects.filter(key_hash=key_hash, revoked=False, user__is_active=True).values_list(
        "pk", "last_used_at", *(f"user__{name}" for name in USER_WITH_MEMBERSHIPS)
    ),
    key_hash=ApiToken._meta.get_field("key_hash"),
)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = _TOKEN.rows(key_hash=hash_token(token))
        if not found:
            return None
        token_id, last_used_at = found[0][:2]
        user = user_with_memberships(found)
        now = clock.now()
        if last_used_at is None or now - last_used_at > LAST_USED_PRECISION:
            # A write on every staff call would cost more than it tells: a minute's precision will do.
            ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        request.user = user
        return user


def optional_staff(request: HttpRequest):
    """The staff member of a valid bearer token on a call open to visitors too, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return BearerToken().authenticate(request, token.strip())


def halls_managed_by(user):
    """The halls whose back-office rows ``user`` may see, or None for all of them.

    Superusers and the district office see every hall; anyone else only the halls they belong to.
    """
    if user.is_superuser or user.groups.filter(name=Role.DISTRICT_OFFICE).exists():
        return None
    return Hall.objects.filter(staff__user=user)
