"""``python manage.py run_scorecard --period YYYY-MM``: compute and store a
release for that month, then make its PDF; prints the release id (PRODUCT
§4.1) on the last line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.periods import Month
from scorecard.documents import release_pdf_make
from scorecard.models import ReleaseStatus
from scorecard.services import scorecard_run


class Command(BaseCommand):
    help = "Compute the scorecard for a month and store it as a new release."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = Month.parse(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        release = scorecard_run(period=period)
        if release.status == ReleaseStatus.DONE:
            # Made here, in this process, so the PDF is ready when asked for.
            job = release_pdf_make(release)
            status = job.get_status_display()
            self.stderr.write(f"PDF of release {release.pk}: {status}")
        self.stdout.write(str(release.pk))
