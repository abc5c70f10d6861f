"""Domain errors raised by services and turned into messages by the interfaces."""

from __future__ import annotations


class DomainError(Exception):
    """A request that the rules of the service refuse; the message is for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """Input that is malformed or incomplete."""


class NotAllowed(DomainError):
    """The state of the record does not allow this change (e.g. a closed case)."""


class Conflict(DomainError):
    """Somebody else changed the record first (e.g. a form already decided)."""


class Stale(Conflict):
    """The record changed since the version the user acted on (an ``If-Match``
    or a page's hidden version no longer matches); nothing was changed."""


class TooMany(DomainError):
    """More than a user may send in a while (a rate limit); nothing was saved.
    ``retry_after`` is the seconds until they may send again."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
