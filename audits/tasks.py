from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

from audits.monthly import audit_report_build as build
from audits.monthly import audit_report_request, audit_reports_reap
from core.jobs import run_or_retry
from core.periods import local_date, previous_month
from core.unavailable import TASK_RETRY


@shared_task(
    bind=True, acks_late=True, time_limit=300, soft_time_limit=280, **TASK_RETRY
)
def audit_report_build(self: Any, report_id: int) -> bool:
    """Produce one month's audit PDF. Idempotent (keyed on the job row)."""
    return run_or_retry(self, lambda: build(report_id=report_id))


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50, **TASK_RETRY)
def audit_report_monthly() -> str:
    """On the 1st: the previous month's audit report."""
    period = previous_month(local_date(timezone.now()))
    audit_report_request(period=period, actor=None)
    return str(period)


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50, **TASK_RETRY)
def audit_reports_reap_task() -> list[int]:
    """Every few minutes: reports whose worker died are queued again."""
    return audit_reports_reap()
