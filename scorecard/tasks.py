from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

from core.jobs import run_or_retry
from core.periods import local_date, previous_month
from core.unavailable import TASK_RETRY
from scorecard.services import (
    scorecard_compute,
    scorecard_run_scheduled,
    scorecard_runs_reap,
)


@shared_task(
    bind=True, acks_late=True, time_limit=600, soft_time_limit=580, **TASK_RETRY
)
def scorecard_monthly(self: Any) -> int:
    """02:00 on the 1st: the previous month's scorecard, released once."""
    period = previous_month(local_date(timezone.now()))
    return run_or_retry(self, lambda: scorecard_run_scheduled(period=period).pk)


@shared_task(
    bind=True, acks_late=True, time_limit=600, soft_time_limit=580, **TASK_RETRY
)
def scorecard_compute_task(self: Any, release_id: int) -> bool:
    """Compute a release started from the dashboard. Idempotent."""
    return run_or_retry(self, lambda: scorecard_compute(release_id=release_id))


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50, **TASK_RETRY)
def scorecard_runs_reap_task() -> list[int]:
    """Every few minutes: runs whose worker died are queued again."""
    return scorecard_runs_reap()
