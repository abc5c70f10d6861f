from __future__ import annotations

from celery import shared_task

from core.unavailable import TASK_RETRY
from family_connect.services import drafts, submission


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280, **TASK_RETRY)
def drafts_purge() -> int:
    """Delete Family Connect drafts 28 days after their last save, and API
    idempotency keys after 30 days. Idempotent."""
    return drafts.drafts_purge() + submission.idempotency_keys_purge()
