"""The monthly audit PDF (services): one job row per month, produced by the
beat job on the 1st for the previous month or on demand, with progress."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from accounts.models import User
from audits.models import AuditReport, ReportStatus
from audits.reports import (
    actions_open,
    distribution_by_locality,
    distribution_by_type,
    grade_distribution,
    period_for,
    themes,
)
from core import clock
from core.pdf import render_pdf_from_html
from core.periods import Month, local_date

logger = logging.getLogger(__name__)


def audit_report_request(*, period: Month, actor: User | None) -> AuditReport:
    """The month's report job, created and queued if there is none yet. A
    failed one is queued again; a queued, running or finished one is returned
    as it is, so asking twice makes one report."""
    from audits.tasks import audit_report_build

    with transaction.atomic():
        report = (
            AuditReport.objects.select_for_update().filter(period=str(period)).first()
        )
        if report is None:
            try:
                with transaction.atomic():
                    report = AuditReport.objects.create(
                        period=str(period), requested_by=actor
                    )
            except IntegrityError:  # created by a concurrent request
                report = AuditReport.objects.select_for_update().get(period=str(period))
        elif report.status == ReportStatus.FAILED:
            report.status = ReportStatus.QUEUED
            report.progress = 0
            report.error = ""
            report.save(update_fields=["status", "progress", "error", "updated_at"])
        else:
            return report
        report_id = report.pk
        transaction.on_commit(lambda: audit_report_build.delay(report_id=report_id))
    return report


def _claim(report_id: int) -> AuditReport | None:
    """Take the job unless it is done or being produced by another worker."""
    with transaction.atomic():
        report = AuditReport.objects.select_for_update().get(pk=report_id)
        if report.status in (ReportStatus.DONE, ReportStatus.RUNNING):
            return None
        report.status = ReportStatus.RUNNING
        report.progress = 5
        report.save(update_fields=["status", "progress", "updated_at"])
        return report


def _progress(report_id: int, percent: int) -> None:
    AuditReport.objects.filter(pk=report_id).update(progress=percent)


def audit_report_context(period: Month) -> dict:
    """What the monthly report shows: the month, its half year and its
    financial year to date; by locality and type; actions; themes."""
    month = period_for("month", period)
    half = period_for("half_year", period)
    year = period_for("year", period)
    today = local_date(clock.now())
    actions, overdue = actions_open(today)
    overall = [
        (p, grade_distribution(first=p.first, last=p.last)) for p in (month, half, year)
    ]
    return {
        "period": month,
        "overall": overall,
        # One row per grade, a cell per period, for the side-by-side table.
        "overall_rows": [
            (row.label, [dist.rows[i] for _p, dist in overall])
            for i, row in enumerate(overall[0][1].rows)
        ],
        "by_locality": distribution_by_locality(month.first, month.last),
        "by_type": distribution_by_type(month.first, month.last),
        "half_year": half,
        "half_by_locality": distribution_by_locality(half.first, half.last),
        "actions_open": len(actions),
        "actions_overdue": overdue,
        "themes": themes(half.first, half.last),
        "generated_at": clock.now(),
    }


def audit_report_build(*, report_id: int) -> bool:
    """Produce the PDF for a queued job. Idempotent: a job that is done (or
    being produced) is left alone, so a redelivered task makes no second PDF."""
    report = _claim(report_id)
    if report is None:
        return False
    try:
        context = audit_report_context(Month.parse(report.period))
        _progress(report_id, 40)
        html = render_to_string("pdf/audit_report.html", context)
        _progress(report_id, 60)
        pdf = render_pdf_from_html(html)
    except Exception as exc:
        logger.exception("The audit report for %s failed", report.period)
        AuditReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=str(exc)[:500]
        )
        raise
    AuditReport.objects.filter(pk=report_id).update(
        status=ReportStatus.DONE, progress=100, pdf=pdf, generated_at=clock.now()
    )
    return True
