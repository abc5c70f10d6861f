"""Domain errors raised by services and turned into messages by the interfaces."""

from __future__ import annotations

from collections.abc import Sequence

Problem = tuple[str | None, str]
"""One thing wrong with a request: the field it concerns (or None) and the
message for the user."""


class DomainError(Exception):
    """A request that the rules of the service refuse; the message is for the user.

    ``problems`` lists every problem found, each with its field, so a form can
    show them all at once; ``message`` and ``field`` are the first."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.problems: tuple[Problem, ...] = ((field, message),)


class InvalidInput(DomainError):
    """Input that is malformed or incomplete."""

    @classmethod
    def every(cls, problems: Sequence[Problem]) -> InvalidInput:
        """One refusal naming every problem found (at least one), in order."""
        field, message = problems[0]
        exc = cls(message, field=field)
        exc.problems = tuple(problems)
        return exc


def refuse_if_any(problems: Sequence[Problem]) -> None:
    """Raise ``InvalidInput`` naming every problem, if there are any: a service
    checks everything first, then refuses once."""
    if problems:
        raise InvalidInput.every(problems)


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
