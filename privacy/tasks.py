from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from core import clock
from core.jobs import run_or_retry
from core.unavailable import TASK_RETRY
from privacy.purge import retention_purge
from privacy.subject_access_pdf import subject_access_pdf_build as build
from privacy.subject_access_pdf import (
    subject_access_pdfs_reap,
    subject_access_pdfs_wipe,
)


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


@shared_task(
    bind=True, acks_late=True, time_limit=300, soft_time_limit=280, **TASK_RETRY
)
def subject_access_pdf_build(self: Any, job_id: int) -> bool:
    """Make one subject access PDF. Idempotent (keyed on the job row)."""
    return run_or_retry(self, lambda: build(job_id=job_id))


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50, **TASK_RETRY)
def subject_access_pdfs_reap_task() -> list[int]:
    """Every few minutes: subject access PDFs whose worker died are queued
    again."""
    return subject_access_pdfs_reap()


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50, **TASK_RETRY)
def subject_access_pdfs_wipe_task() -> list[int]:
    """Every few minutes: the bytes of subject access PDFs past their keeping
    time are wiped. Idempotent: a wiped PDF is not found again."""
    return subject_access_pdfs_wipe()
