"""Bearer-token authentication for the API and the hall-scoped permission rule."""

from datetime import timedelta

from django.http import HttpRequest
from ninja.security import HttpBearer

from weimin.accounts.choices import Role
from weimin.accounts.models import ApiToken, hash_token
from weimin.core import clock
from weimin.halls.models import Hall

LAST_USED_PRECISION = timedelta(minutes=1)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = clock.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            # A write on every staff call would cost more than it tells: a minute's precision will do.
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


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
