"""State changes of staff accounts."""

import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from weimin.accounts.models import ApiToken, hash_token
from weimin.core import clock

TOKEN_PREFIX = "wm_"


@transaction.atomic
def issue_token(user: AbstractBaseUser, label: str = "") -> str:
    """Create an API token for ``user`` and return it; only its hash is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:10], label=label, created_at=clock.now())
    return raw
