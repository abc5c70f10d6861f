"""EH01 Family Connect Forms received: forms (any route and type) received in M,
by their current locality. Duplicates and withdrawn forms count here, and only
here."""

from __future__ import annotations

from django.db.models import Count

from family_connect.models import FamilyConnectForm
from scorecard.measures.base import Cell, Period, Scope, count_cells


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    rows = (
        FamilyConnectForm.objects.filter(
            received_at__gte=period.start, received_at__lt=period.end
        )
        .values("locality_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {"EH01": count_cells(period, {r["locality_id"]: r["n"] for r in rows})}
