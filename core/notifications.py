"""Queue e-mails inside a service's transaction; send them after it commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from core.history import LIVE, Mode, Rule
from core.models import Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    key: str
    to: str
    subject: str
    body: str


def notifications_queue(messages: Iterable[Message], *, mode: Mode = LIVE) -> None:
    """Write the messages (one row each; a key already queued is skipped) and send
    them once the surrounding transaction commits. One query whatever the count.
    History recorded by the records import sends nothing."""
    if not mode.holds(Rule.E_MAILS_SENT):
        return
    rows = [
        Notification(key=m.key[:200], to=m.to, subject=m.subject, body=m.body)
        for m in messages
        if m.to
    ]
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [row.key for row in rows]
    transaction.on_commit(lambda: _dispatch(keys))


def _dispatch(keys: list[str]) -> None:
    from core.tasks import notifications_send

    try:
        notifications_send.delay(keys=keys)
    except Exception:
        # The broker is down: the rows are saved and the sweeper sends them later.
        logger.warning("Could not queue e-mails %s; the sweeper will send them", keys)
