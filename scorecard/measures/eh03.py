"""EH03 % of Family Connect Forms allocated within 1 week: ``support`` forms
received in M whose decision was recorded within 168 hours of receipt (exactly
168 h counts, whatever the clock change; undecided forms count as not within).
Provisional while some form of the scope's cohort is less than 168 hours old
(settled readings 1 and 2)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Q

from family_connect.models import RequestType
from scorecard.measures.base import (
    CITY,
    Cell,
    Period,
    Scope,
    counted_forms,
    percent_cell,
)
from scorecard.measures.decisions import DECISIONS

WEEK = timedelta(hours=168)


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    rows = (
        counted_forms()
        .filter(
            request_type=RequestType.SUPPORT,
            received_at__gte=period.start,
            received_at__lt=period.end,
        )
        .values("locality_id")
        .annotate(
            total=Count("pk"),
            within=Count(
                "pk",
                filter=Q(
                    decision__outcome__in=DECISIONS,
                    decision__decided_at__lte=F("received_at") + WEEK,
                ),
            ),
            young=Count("pk", filter=Q(received_at__gt=period.now - WEEK)),
        )
        .order_by()
    )
    by = {r["locality_id"]: r for r in rows}

    def cell(within: int, total: int, young: int) -> Cell:
        base = percent_cell(within, total)
        return Cell(base.value, base.numerator, base.denominator, provisional=young > 0)

    cells: dict[Scope, Cell] = {}
    for pk, slug in period.localities.items():
        r = by.get(pk, {"within": 0, "total": 0, "young": 0})
        cells[slug] = cell(r["within"], r["total"], r["young"])
    cells[CITY] = cell(
        sum(r["within"] for r in by.values()),
        sum(r["total"] for r in by.values()),
        sum(r["young"] for r in by.values()),
    )
    return {"EH03": cells}
