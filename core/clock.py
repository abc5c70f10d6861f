"""When a change happened.

Services stamp what they record (received, decided, opened, closed, events)
with ``clock.now()``: the present moment, or, while the records import replays a
historical episode, the moment the file says the step happened
(``with clock.replaying_at(moment): ...``). Checks against the real present
("a date of birth in the future", "a referral in the future") keep using
``django.utils.timezone.now``.

The clock says only when; which rules a change is held to is said explicitly
to each service (``core.history``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_replay: ContextVar[datetime | None] = ContextVar("clock_replay", default=None)


def now() -> datetime:
    return _replay.get() or timezone.now()


@contextmanager
def replaying_at(moment: datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("A replayed moment needs its offset")
    token = _replay.set(moment)
    try:
        yield
    finally:
        _replay.reset(token)
