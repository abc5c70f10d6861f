from __future__ import annotations

import datetime as dt

from core.periods import Month
from localities.models import Locality
from scorecard.measures.base import Period

UTC = dt.UTC


def period(year: int, month: int, now: dt.datetime | None = None) -> Period:
    return Period(
        month=Month(year, month),
        now=now or dt.datetime(2030, 1, 1, tzinfo=UTC),
        localities=dict(Locality.objects.values_list("pk", "slug")),
    )


def loc(slug: str) -> Locality:
    return Locality.objects.get(slug=slug)
