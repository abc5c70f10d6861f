"""EH04 median days from request to decision (``support`` forms decided in M)
and EH05 median hours to respond to a consultation request (``consultation``
forms decided in M): elapsed seconds / 86,400 and / 3,600 (settled reading 18).
One query each, reading the month's decided forms only."""

from __future__ import annotations

from django.db.models import DurationField, ExpressionWrapper, F

from family_connect.models import RequestType
from scorecard.measures.base import Cell, Period, Scope, counted_forms, median_cells
from scorecard.measures.decisions import DECISIONS

ELAPSED = ExpressionWrapper(
    F("decision__decided_at") - F("received_at"), output_field=DurationField()
)


def _elapsed(period: Period, request_type: str, unit_seconds: float) -> list:
    rows = (
        counted_forms()
        .filter(
            request_type=request_type,
            decision__outcome__in=DECISIONS,
            decision__decided_at__gte=period.start,
            decision__decided_at__lt=period.end,
        )
        .annotate(elapsed=ELAPSED)
        .values_list("locality_id", "elapsed")
    )
    return [(pk, elapsed.total_seconds() / unit_seconds) for pk, elapsed in rows]


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    return {
        "EH04": median_cells(period, _elapsed(period, RequestType.SUPPORT, 86_400)),
        "EH05": median_cells(period, _elapsed(period, RequestType.CONSULTATION, 3_600)),
    }
