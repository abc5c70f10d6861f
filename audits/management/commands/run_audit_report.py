"""``python manage.py run_audit_report --period YYYY-MM [--months N]``: make
the month's audit report (and, with ``--months``, the N - 1 months' before it),
in this process; prints each report's month and status."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audits.models import ReportStatus
from audits.monthly import audit_report_build, audit_report_request
from core.periods import months_arguments_add, months_from_options


class Command(BaseCommand):
    help = "Make the monthly audit report for a month (and the months before it)."

    def add_arguments(self, parser: CommandParser) -> None:
        months_arguments_add(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        for month in months_from_options(options):
            report = audit_report_request(period=month, actor=None)
            if report.status != ReportStatus.DONE:
                # Built here, so the report is ready whether or not a worker runs.
                audit_report_build(report_id=report.pk)
                report.refresh_from_db()
            self.stdout.write(f"{month}: {report.get_status_display()}")
