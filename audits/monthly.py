"""The monthly audit PDF (services): one job row per month, produced by the
beat job on the 1st for the previous month or on demand, with progress."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from accounts.models import User
from audits.models import AuditReport, ReportStatus
from audits.reports import (
    actions_open_counts,
    distribution_by_locality,
    distribution_by_type,
    grade_distribution,
    period_for,
    themes,
)
from core import clock, jobs
from core.pdf import render_pdf_from_html
from core.periods import Month


def _queue_build(report_id: int) -> None:
    from audits.tasks import audit_report_build

    jobs.job_send(audit_report_build, report_id)


def audit_report_request(*, period: Month, actor: User | None) -> AuditReport:
    """The month's report job, created and queued if there is none yet. A
    failed one is queued again, and so is one whose worker died (its lease
    lapsed); a finished one or one alive in a worker is returned as it is, so
    asking twice makes one report."""
    with transaction.atomic():
        report = (
            AuditReport.objects.select_for_update().filter(period=str(period)).first()
        )
        if report is None:
            try:
                with transaction.atomic():
                    report = AuditReport.objects.create(
                        period=str(period), requested_by=actor, **jobs.queued_lease()
                    )
            except IntegrityError:  # created by a concurrent request
                report = AuditReport.objects.select_for_update().get(period=str(period))
                return report
        elif report.status == ReportStatus.FAILED:
            report.status = ReportStatus.QUEUED
            report.progress = 0
            report.error = ""
            report.save(update_fields=["status", "progress", "error", "updated_at"])
        elif report.status == ReportStatus.DONE or not jobs.lease_lapsed(report):
            return report
        jobs.job_requeue(report, _queue_build)
    return report


def audit_reports_reap() -> list[int]:
    """Queue again the reports whose worker died or whose message was lost
    (their lease lapsed)."""
    return jobs.jobs_reap(
        AuditReport.objects.filter(
            status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING)
        ),
        _queue_build,
    )


def audit_report_context(period: Month) -> dict:
    """What the monthly report shows: the month, its half year and its
    financial year to date; by locality and type; actions; themes. Every
    section counts up to one bound, the end of the month in Europe/London (or
    the present moment while the month runs): nothing that happened after the
    month reaches its report, and actions are open or overdue as they were
    then."""
    now = clock.now()
    until = period.until(now)
    month = period_for("month", period, until=until)
    half = period_for("half_year", period, until=until)
    year = period_for("year", period, until=until)
    open_actions, overdue = actions_open_counts(as_of=until)
    overall = [
        (p, grade_distribution(first=p.first, until=p.until))
        for p in (month, half, year)
    ]
    return {
        "period": month,
        "overall": overall,
        # One row per grade, a cell per period, for the side-by-side table.
        "overall_rows": [
            (row.label, [dist.rows[i] for _p, dist in overall])
            for i, row in enumerate(overall[0][1].rows)
        ],
        "by_locality": distribution_by_locality(month.first, until=month.until),
        "by_type": distribution_by_type(month.first, until=month.until),
        "half_year": half,
        "half_by_locality": distribution_by_locality(half.first, until=half.until),
        "actions_open": open_actions,
        "actions_overdue": overdue,
        "themes": themes(half.first, until=half.until),
        "generated_at": now,
    }


def audit_report_build(*, report_id: int) -> bool:
    """Produce the PDF for a queued job, taking over a run whose worker died
    (its lease lapsed). Idempotent: a finished job is left alone, and only the
    run holding the lease stores its PDF, so a redelivered task makes one
    report. Raises ``jobs.JobBusy`` while another run's lease is alive."""

    def work(report: AuditReport, progress: Callable[[int], None]) -> dict:
        context = audit_report_context(Month.parse(report.period))
        progress(40)
        html = render_to_string("pdf/audit_report.html", context)
        progress(60)
        return {"pdf": render_pdf_from_html(html), "generated_at": clock.now()}

    return jobs.job_run(
        AuditReport, report_id, work, what=f"Audit report job {report_id}", start=5
    )
