from __future__ import annotations

from typing import Any

from celery import shared_task

from casework.services.case_pdfs import case_pdf_build as build
from casework.services.case_pdfs import case_pdfs_reap, case_pdfs_wipe
from casework.services.closure import post_closure_checks_run
from core.jobs import run_or_retry
from core.unavailable import TASK_RETRY


@shared_task(acks_late=True, time_limit=600, soft_time_limit=580, **TASK_RETRY)
def post_closure_checks() -> int:
    """Complete the post-closure checks that have come due. Idempotent."""
    return post_closure_checks_run()


@shared_task(
    bind=True, acks_late=True, time_limit=300, soft_time_limit=280, **TASK_RETRY
)
def case_pdf_build(self: Any, job_id: int) -> bool:
    """Make one case PDF (the plan or the summary). Idempotent (keyed on the
    job row)."""
    return run_or_retry(self, lambda: build(job_id=job_id))


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50, **TASK_RETRY)
def case_pdfs_reap_task() -> list[int]:
    """Every few minutes: case PDFs whose worker died are queued again."""
    return case_pdfs_reap()


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50, **TASK_RETRY)
def case_pdfs_wipe_task() -> list[int]:
    """Every few minutes: the bytes of case PDFs past their keeping time are
    wiped. Idempotent: a wiped PDF is not found again."""
    return case_pdfs_wipe()
