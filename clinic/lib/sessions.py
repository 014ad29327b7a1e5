"""Database sessions that tell a lost database connection apart from a deleted session."""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import InterfaceError, OperationalError


class SessionStore(DatabaseSessionStore):
    """Django's database store, letting connection failures through as themselves.

    Django turns any database error while saving a session into "the session
    was deleted by a concurrent request" (a 400 Bad Request). When the
    database is restarting that is untrue and alarming; raised as it is, the
    failure reaches the server-error handler, which answers with the calm
    "try again in a moment" page (503, Retry-After) or JSON for autosave.
    """

    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            cause = error.__context__
            if isinstance(cause, OperationalError | InterfaceError):
                raise cause from None
            raise
