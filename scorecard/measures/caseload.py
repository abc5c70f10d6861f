"""EH10 cases open at month end, EH11 assessments completed, EH12 % of
assessments completed within 30 days of allocation, EH13 cases closed; all by
the case's locality. A case closed exactly at the end of M is still open at the
end of M (settled reading 8); 30 days is 30 × 24 hours (settled reading 9)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Q

from casework.models import Assessment, Case
from scorecard.measures.base import Cell, Period, Scope, count_cells, percent_cells

THIRTY_DAYS = timedelta(hours=30 * 24)


def _by_locality(rows: object, key: str = "n") -> dict[int | None, int]:
    return {r["scope"]: r[key] for r in rows}  # type: ignore[attr-defined]


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    open_at_end = (
        Case.objects.filter(opened_at__lt=period.end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=period.end))
        .values(scope=F("locality_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    closed = (
        Case.objects.filter(closed_at__gte=period.start, closed_at__lt=period.end)
        .values(scope=F("locality_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    assessed = list(
        Assessment.objects.filter(
            completed_at__gte=period.start, completed_at__lt=period.end
        )
        .values(scope=F("case__locality_id"))
        .annotate(
            n=Count("pk"),
            on_time=Count(
                "pk", filter=Q(completed_at__lte=F("case__opened_at") + THIRTY_DAYS)
            ),
        )
        .order_by()
    )
    return {
        "EH10": count_cells(period, _by_locality(open_at_end)),
        "EH11": count_cells(period, _by_locality(assessed)),
        "EH12": percent_cells(
            period, _by_locality(assessed, "on_time"), _by_locality(assessed)
        ),
        "EH13": count_cells(period, _by_locality(closed)),
    }
