"""Which records' retention periods have ended (a dry run of the purge): record
numbers and references only, no names. Changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from casework.models import RetentionRecord
from casework.retention import retention_due
from core import clock


class Command(BaseCommand):
    help = "Report the records whose retention period has ended (changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="List each record, not only counts"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_due(clock.now())
        for kind, label in RetentionRecord.choices:
            cutoff = report.cutoffs.get(kind)
            if cutoff is None:
                self.stdout.write(f"{label}: no retention rule set")
                continue
            self.stdout.write(
                f"{label}: {report.count(kind)} due (kept before "
                f"{timezone.localtime(cutoff):%d %B %Y %H:%M})"
            )
            if options["list"]:
                for due in report.due:
                    if due.record_type == kind:
                        self.stdout.write(
                            f"  {due.record}, {due.locality}, since {due.since}, "
                            f"kept until {due.kept_until}"
                        )
        self.stdout.write("Nothing was changed: this is a report.")
