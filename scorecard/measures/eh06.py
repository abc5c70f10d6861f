"""EH06 Step-down requests received: ``step_down`` forms of either request type
received in M (settled reading 15), duplicates and withdrawn left out."""

from __future__ import annotations

from django.db.models import Count

from family_connect.models import Route
from scorecard.measures.base import Cell, Period, Scope, count_cells, counted_forms


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    rows = (
        counted_forms()
        .filter(
            route=Route.STEP_DOWN,
            received_at__gte=period.start,
            received_at__lt=period.end,
        )
        .values("locality_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {"EH06": count_cells(period, {r["locality_id"]: r["n"] for r in rows})}
