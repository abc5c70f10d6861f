from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def _send_one(key: str) -> bool:
    """Send one queued e-mail unless already sent. Locks the row so two workers
    (a redelivery, the sweeper) never both send it."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(key=key, sent_at__isnull=True)
            .first()
        )
        if row is None:
            return False
        row.attempts += 1
        row.save(update_fields=["attempts"])
    # The row is left unlocked while talking to the mail server; a crash between
    # sending and marking would send again, which is the lesser harm than losing it.
    send_mail(row.subject, row.body, None, [row.to])
    Notification.objects.filter(pk=row.pk).update(sent_at=timezone.now())
    return True


@shared_task(
    acks_late=True,
    time_limit=120,
    soft_time_limit=100,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notifications_send(*, keys: list[str]) -> int:
    """Send the queued e-mails with these keys; idempotent."""
    return sum(1 for key in keys if _send_one(key))


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def notifications_sweep() -> int:
    """Send e-mails whose task was lost (broker or worker down when queued)."""
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
