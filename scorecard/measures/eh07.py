"""EH07 Reasons for connection: one row per reason code (``EH07:<code>``), all
of them including 0% rows, sharing one denominator: ``support`` forms received
in M; the numerator is the forms having that reason (settled reading 20)."""

from __future__ import annotations

from django.db.models import Count

from family_connect.models import FamilyConnectForm, Reason, RequestType
from scorecard.measures.base import Cell, Period, Scope, counted_forms, percent_cells


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    forms = counted_forms().filter(
        request_type=RequestType.SUPPORT,
        received_at__gte=period.start,
        received_at__lt=period.end,
    )
    denominators = {
        r["locality_id"]: r["n"]
        for r in forms.values("locality_id").annotate(n=Count("pk")).order_by()
    }
    with_reason: dict[str, dict[int | None, int]] = {}
    rows = (
        FamilyConnectForm.reasons.through.objects.filter(
            familyconnectform__in=forms.values("pk")
        )
        .values("reason__code", "familyconnectform__locality_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in rows:
        with_reason.setdefault(r["reason__code"], {})[
            r["familyconnectform__locality_id"]
        ] = r["n"]
    return {
        f"EH07:{code}": percent_cells(period, with_reason.get(code, {}), denominators)
        for code in Reason.objects.order_by("position", "code").values_list(
            "code", flat=True
        )
    }
