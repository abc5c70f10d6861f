"""Purge the personal data of the records whose retention period has ended,
leaving a stub for each. A dry run unless ``--commit`` is given: the dry run
does the whole purge and rolls it back, so its counts are exact."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core import clock
from privacy.models import RetentionRecord
from privacy.purge import retention_purge


class Command(BaseCommand):
    help = "Purge records past their retention period (a dry run unless --commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--commit", action="store_true", help="Purge; without it nothing changes"
        )
        parser.add_argument(
            "--list", action="store_true", help="List each record, not only counts"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        commit = options["commit"]
        result = retention_purge(
            now=clock.now(), commit=commit, purged_by="manage.py retention_purge"
        )
        verb = "purged" if commit else "would be purged"
        for kind, label in RetentionRecord.choices:
            self.stdout.write(f"{label}: {result.count(kind)} {verb}")
            if options["list"]:
                for stub in result.stubs:
                    if stub.record_type == kind:
                        self.stdout.write(
                            f"  {stub.record}, {stub.locality}, since {stub.since}, "
                            f"kept until {stub.kept_until}"
                        )
        if result.removed:
            self.stdout.write("Rows:" if commit else "Rows that would go:")
            for label, count in sorted(result.removed.items()):
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            f"Purged, leaving {len(result.stubs)} stubs."
            if commit
            else "Dry run: nothing was changed. Run with --commit to purge."
        )
