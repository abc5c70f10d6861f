"""``python manage.py import_records FILE.jsonl [--dry-run] [--strict]`` (IMPORT.md)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records_import.run import ImportReport, records_import


class Command(BaseCommand):
    help = "Import early-help-episode/1 records, one episode per line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="import as the real run would, then roll it all back",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="import nothing if any line is rejected",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        started = time.monotonic()
        on_terminal = sys.stderr.isatty()
        last = [0.0]

        def progress(report: ImportReport) -> None:
            now = time.monotonic()
            if on_terminal and now - last[0] >= 0.5:
                last[0] = now
                rate = report.read / max(now - started, 1e-9)
                sys.stderr.write(
                    f"\r{report.read} lines read, {report.rejected} rejected "
                    f"({rate:.0f} a second)"
                )
                sys.stderr.flush()

        def report_line(number: int, message: str) -> None:
            if on_terminal:
                sys.stderr.write("\r\033[K")
            self.stderr.write(f"line {number}: {message}")

        report = records_import(
            path,
            dry_run=options["dry_run"],
            strict=options["strict"],
            report_line=report_line,
            progress=progress,
        )
        if on_terminal:
            sys.stderr.write("\r\033[K")
        seconds = time.monotonic() - started
        dry = report.checked_only
        if dry:
            self.stdout.write(f"dry run: {report.summary()}; nothing was written")
        else:
            self.stdout.write(f"{report.summary()} in {seconds:.1f} s")
        if options["strict"] and report.rejected:
            self.stdout.write("strict: nothing was imported")
        if report.created_users:
            shown = report.created_users[:10]
            more = len(report.created_users) - len(shown)
            self.stdout.write(
                f"{len(report.created_users)} users "
                f"{'would be created' if dry else 'created'} inactive (no "
                "password, no sign-in): "
                + ", ".join(shown)
                + (f" and {more} more" if more else "")
            )
        if report.rejected:
            sys.exit(1)
