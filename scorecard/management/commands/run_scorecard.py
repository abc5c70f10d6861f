"""``python manage.py run_scorecard --period YYYY-MM [--months N]``: compute
and store a release for that month (and, with ``--months``, for the N - 1
months before it, oldest first), then make the month's PDF; prints the month's
release id (PRODUCT §4.1) on the last line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core.periods import months_arguments_add, months_from_options
from scorecard.documents import release_pdf_make
from scorecard.models import ReleaseStatus
from scorecard.services import scorecard_run


class Command(BaseCommand):
    help = "Compute the scorecard for a month and store it as a new release."

    def add_arguments(self, parser: CommandParser) -> None:
        months_arguments_add(
            parser,
            months_help=(
                "also the months before it, for a trend (default: 1, the month)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        *earlier_months, period = months_from_options(options)
        for month in earlier_months:
            earlier = scorecard_run(period=month)
            self.stderr.write(
                f"{earlier.period}: release {earlier.pk}, "
                f"{earlier.get_status_display()}"
            )
        release = scorecard_run(period=period)
        if release.status == ReleaseStatus.DONE:
            # Made here, in this process, so the PDF is ready when asked for.
            job = release_pdf_make(release)
            status = job.get_status_display()
            self.stderr.write(f"PDF of release {release.pk}: {status}")
        self.stdout.write(str(release.pk))
