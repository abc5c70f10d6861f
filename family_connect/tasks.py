from __future__ import annotations

from celery import shared_task

from family_connect.services import drafts_purge as drafts_purge_service


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def drafts_purge() -> int:
    """Delete Family Connect drafts older than 28 days since their last save."""
    return drafts_purge_service()
