"""The scorecard PDF (services): the outcome framework's layout, a city page,
then one page per locality, then the definitions. Made once per release."""

from __future__ import annotations

import time

from django.db import IntegrityError, transaction

from core import clock
from core.pdf import render_pdf
from core.periods import Month, months_between
from localities.models import Locality
from scorecard.models import Indicator, Release, ReleasePDF
from scorecard.report import scorecard_lines


def scorecard_pdf(release: Release) -> bytes:
    """The release's PDF, rendered on first request and kept."""
    stored = ReleasePDF.objects.filter(release=release).first()
    if stored is not None:
        return bytes(stored.pdf)
    started = time.monotonic()
    month = Month.parse(release.period)
    lines = scorecard_lines(month)
    pages = [{"title": "Birmingham (city)", "lines": lines[None]}] + [
        {"title": locality.name, "lines": lines[locality.pk]}
        for locality in Locality.objects.order_by("name")
    ]
    pdf = render_pdf(
        "pdf/scorecard.html",
        {
            "release": release,
            "month": month,
            "months": months_between(month.plus(-11), month),
            "pages": pages,
            "indicators": Indicator.objects.filter(active=True).order_by(
                "position", "ref"
            ),
        },
    )
    try:
        with transaction.atomic():
            ReleasePDF.objects.create(
                release=release,
                pdf=pdf,
                generated_at=clock.now(),
                seconds=time.monotonic() - started,
            )
    except IntegrityError:  # made at the same moment by another request
        return bytes(ReleasePDF.objects.get(release=release).pdf)
    return pdf
