from __future__ import annotations

from celery import shared_task
from django.conf import settings

from casework.closure import post_closure_checks_run
from casework.purge import retention_purge
from core import clock
from core.unavailable import TASK_RETRY


@shared_task(acks_late=True, time_limit=600, soft_time_limit=580, **TASK_RETRY)
def post_closure_checks() -> int:
    """Complete the post-closure checks that have come due. Idempotent."""
    return post_closure_checks_run()


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3500, **TASK_RETRY)
def retention_purge_weekly() -> dict[str, int]:
    """Purge the records whose retention period has ended, or (until
    ``RETENTION_PURGE_ENABLED``) only count them. All or nothing; a rerun finds
    nothing more to do."""
    result = retention_purge(
        now=clock.now(),
        commit=settings.RETENTION_PURGE_ENABLED,
        purged_by="weekly retention job",
    )
    return {"records": len(result.stubs), "committed": int(result.committed)}
