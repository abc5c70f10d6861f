"""``import_postcodes FILE.csv [--all]``: load the ONS Postcode Directory CSV
(or a city extract of it) so home postcodes resolve to wards and localities."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from localities.services import PostcodeImportResult, open_text, postcodes_import


class Command(BaseCommand):
    help = "Import the ONS Postcode Directory CSV (its real column names)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--all",
            action="store_true",
            help="Keep every row, not only the city's wards and constituencies.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(result: PostcodeImportResult) -> None:
            if sys.stderr.isatty():
                sys.stderr.write(f"\r{result.read:,} rows read, {result.kept:,} kept")
                sys.stderr.flush()

        try:
            result = postcodes_import(
                open_text(options["path"]), all_rows=options["all"], progress=progress
            )
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {options['path']}") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        self.stdout.write(
            f"{result.read:,} rows read; {result.kept:,} postcodes loaded; "
            f"{result.skipped_outside_city:,} outside the city; "
            f"{result.invalid:,} invalid"
        )
        for example in result.invalid_examples:
            self.stdout.write(f"  invalid postcode at {example}")
