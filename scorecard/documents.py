"""The scorecard PDF (services): the outcome framework's layout, a city page,
then one page per locality, then the definitions. Made once per release; each
scope is its own part, with its own page numbers."""

from __future__ import annotations

import time

from django.db import IntegrityError, transaction

from core import clock
from core.pdf import render_pdf_parts
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
    by_scope = scorecard_lines(month)
    scopes = [("Birmingham (city)", by_scope[None])] + [
        (locality.name, by_scope[locality.pk])
        for locality in Locality.objects.order_by("name")
    ]
    common = {
        "release": release,
        "month": month,
        "months": months_between(month.plus(-11), month),
    }
    # A part per scope, then the definitions: laid out side by side.
    parts = [{**common, "title": title, "lines": lines} for title, lines in scopes]
    parts.append(
        {
            **common,
            "indicators": list(
                Indicator.objects.filter(active=True).order_by("position", "ref")
            ),
        }
    )
    pdf = render_pdf_parts("pdf/scorecard.html", parts)
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
