"""``python manage.py run_audit_report --period YYYY-MM [--months N]``: make
the month's audit report (and, with ``--months``, the N - 1 months' before it),
in this process; prints each report's month and status."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audits.models import ReportStatus
from audits.monthly import audit_report_build, audit_report_request
from core.periods import Month


class Command(BaseCommand):
    help = "Make the monthly audit report for a month (and the months before it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument(
            "--months",
            type=int,
            default=1,
            help="also the months before it (default: 1, the month)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = Month.parse(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["months"] < 1:
            raise CommandError("--months must be 1 or more.")
        for back in range(options["months"] - 1, -1, -1):
            month = period.plus(-back)
            report = audit_report_request(period=month, actor=None)
            if report.status != ReportStatus.DONE:
                # Built here, so the report is ready whether or not a worker runs.
                audit_report_build(report_id=report.pk)
                report.refresh_from_db()
            self.stdout.write(f"{month}: {report.get_status_display()}")
