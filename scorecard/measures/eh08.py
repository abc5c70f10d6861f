"""EH08 requests for families who had early help in the last 12 months:
``support`` forms received in M whose household had an early help case closed
in ``[received − 365 × 24 h, received)``, in any locality (settled reading 7).
A form not yet linked to a household has no earlier case."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q

from casework.models import Case
from family_connect.models import RequestType
from scorecard.measures.base import Cell, Period, Scope, counted_forms, percent_cells

YEAR = timedelta(hours=365 * 24)


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    closed_before = Case.objects.filter(
        family_id=OuterRef("family_id"),
        closed_at__gte=OuterRef("received_at") - YEAR,
        closed_at__lt=OuterRef("received_at"),
    )
    rows = (
        counted_forms()
        .filter(
            request_type=RequestType.SUPPORT,
            received_at__gte=period.start,
            received_at__lt=period.end,
        )
        .annotate(returning=Exists(closed_before))
        .values("locality_id")
        .annotate(total=Count("pk"), returning_n=Count("pk", filter=Q(returning=True)))
        .order_by()
    )
    numerators = {r["locality_id"]: r["returning_n"] for r in rows}
    denominators = {r["locality_id"]: r["total"] for r in rows}
    return {"EH08": percent_cells(period, numerators, denominators)}
