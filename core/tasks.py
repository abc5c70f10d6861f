from __future__ import annotations

import logging
from contextlib import suppress
from datetime import timedelta

from celery import shared_task
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone

from core.models import Notification
from core.unavailable import TASK_RETRY, UNAVAILABLE_ERRORS

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


# Longer than any send can take (the task's time limit), so a claim this old
# belongs to a sender that died.
CLAIM_TIMEOUT = timedelta(minutes=5)


def _send_one(key: str) -> bool:
    """Send one queued e-mail unless it is sent or being sent by somebody else."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT),
        key=key,
        sent_at__isnull=True,
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    try:
        row = Notification.objects.get(key=key)
        send_mail(row.subject, row.body, None, [row.to])
    except Exception:
        # Let go of the claim so that the task's retry can send it at once;
        # when the database is still away, the claim expires (CLAIM_TIMEOUT)
        # and the sweeper sends it.
        with suppress(*UNAVAILABLE_ERRORS):
            Notification.objects.filter(key=key).update(claimed_at=None)
        raise
    # Were the database to go away just here, the e-mail has gone but is not
    # marked sent: the claim keeps retries off it, and the sweeper sends it a
    # second time once the claim expires (at least once, never lost).
    Notification.objects.filter(pk=row.pk).update(sent_at=timezone.now())
    return True


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100, **TASK_RETRY)
def notifications_send(*, keys: list[str]) -> int:
    """Send the queued e-mails with these keys; idempotent."""
    return sum(1 for key in keys if _send_one(key))


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280, **TASK_RETRY)
def notifications_sweep() -> int:
    """Send e-mails whose task was lost (broker or worker down when queued).
    One mail server refusal skips that e-mail; the database going away stops
    the sweep, which is retried."""
    cutoff = timezone.now() - timedelta(minutes=2)
    keys = list(
        Notification.objects.filter(
            sent_at__isnull=True, created_at__lt=cutoff, attempts__lt=MAX_ATTEMPTS
        )
        .order_by("created_at")
        .values_list("key", flat=True)[:500]
    )
    sent = 0
    for key in keys:
        try:
            sent += _send_one(key)
        except OSError:
            logger.exception("Sending e-mail %s failed; will retry", key)
    return sent
