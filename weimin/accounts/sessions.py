"""The session store (会话): Django's database sessions, read with a prepared query.

Every page a signed-in clerk's console polls reads the session first; Django compiled that query anew each
time (core/prepared.py). Set as ``SESSION_ENGINE``; what is stored and when it expires are Django's.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from weimin.core.prepared import PreparedQuery

_LIVE = PreparedQuery(
    lambda session_key, now: Session.objects.filter(session_key=session_key, expire_date__gt=now)[:1],
    session_key=Session._meta.get_field("session_key"),
    now=Session._meta.get_field("expire_date"),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        # Expiry on Django's clock, as its own store does (not weimin's, which a demo may set in the past).
        found = _LIVE.objects(using=self.model.objects.db, session_key=self.session_key, now=timezone.now())
        if not found:
            self._session_key = None
            return None
        return found[0]
