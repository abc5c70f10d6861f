from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

from core.jobs import run_or_retry
from core.periods import local_date, previous_month
from core.unavailable import TASK_RETRY
from scorecard.documents import (
    release_pdf_render,
    release_pdf_request,
    release_pdfs_reap,
)
from scorecard.models import ReleaseStatus
from scorecard.services import (
    scorecard_compute,
    scorecard_run_scheduled,
    scorecard_runs_reap,
)


@shared_task(
    bind=True, acks_late=True, time_limit=600, soft_time_limit=580, **TASK_RETRY
)
def scorecard_monthly(self: Any) -> int:
    """02:00 on the 1st: the previous month's scorecard, released once, then
    its PDF queued, ready for the board before anyone asks."""
    period = previous_month(local_date(timezone.now()))
    release = run_or_retry(self, lambda: scorecard_run_scheduled(period=period))
    if release.status == ReleaseStatus.DONE:
        release_pdf_request(release)
    return release.pk


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


@shared_task(
    bind=True, acks_late=True, time_limit=300, soft_time_limit=280, **TASK_RETRY
)
def release_pdf_render_task(self: Any, job_id: int) -> bool:
    """Render a release's PDF (city, localities, definitions). Idempotent."""
    return run_or_retry(self, lambda: release_pdf_render(job_id=job_id))


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50, **TASK_RETRY)
def release_pdfs_reap_task() -> list[int]:
    """Every few minutes: PDF jobs whose worker died are queued again."""
    return release_pdfs_reap()
