from __future__ import annotations

from celery import shared_task

from casework.services.closure import post_closure_checks_run
from core.unavailable import TASK_RETRY


@shared_task(acks_late=True, time_limit=600, soft_time_limit=580, **TASK_RETRY)
def post_closure_checks() -> int:
    """Complete the post-closure checks that have come due. Idempotent."""
    return post_closure_checks_run()
