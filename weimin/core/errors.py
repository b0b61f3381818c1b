"""Domain errors raised by actions; the API and the pages turn them into answers.

Each names the field (or the transition) at fault so the person can fix it.
"""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None, **extra):
        self.message, self.field, self.extra = str(message), field, extra
        super().__init__(f"{field}: {message}" if field else str(message))


class InvalidInput(DomainError):
    """A value that can never be right (a bad ID number, an unknown item): 422."""

    status = 422


class Refused(DomainError):
    """Right input, wrong moment or state (after the cut-off, already called, limit reached): 409."""

    status = 409


class NotPermitted(DomainError):
    """The actor may not do this here (another hall's window, someone else's ticket): 403."""

    status = 403


class NotFound(DomainError):
    status = 404


class TooManyAttempts(DomainError):
    """Too many failed guesses at a secret from this address or for this record: 429, with the
    instant to try again (``retry_at``, ISO 8601)."""

    status = 429
