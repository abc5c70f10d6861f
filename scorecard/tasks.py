from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.periods import local_date, previous_month
from core.unavailable import TASK_RETRY
from scorecard.services import scorecard_compute, scorecard_run_scheduled


@shared_task(acks_late=True, time_limit=600, soft_time_limit=580, **TASK_RETRY)
def scorecard_monthly() -> int:
    """02:00 on the 1st: the previous month's scorecard, released once."""
    period = previous_month(local_date(timezone.now()))
    return scorecard_run_scheduled(period=period).pk


@shared_task(acks_late=True, time_limit=600, soft_time_limit=580, **TASK_RETRY)
def scorecard_compute_task(release_id: int) -> bool:
    """Compute a release started from the dashboard. Idempotent."""
    return scorecard_compute(release_id=release_id)
