"""EH02 Families referred into locality early help (cumulative): distinct
households with a ``support`` form received from the early help start date to
the end of M. A household counts in every locality where it has such a form (by
the form's current locality) and once in the city (settled reading 6). A form
not yet linked to a household stands for a household of its own."""

from __future__ import annotations

from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce

from core.periods import local_midnight
from family_connect.models import RequestType
from scorecard.measures.base import CITY, Cell, Period, Scope, counted_forms

# Households by their id; unlinked forms by their own id, kept apart from
# household ids by its sign.
HOUSEHOLD = Coalesce(F("family_id"), Value(0) - F("pk"))


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    forms = counted_forms().filter(
        request_type=RequestType.SUPPORT,
        received_at__gte=local_midnight(period.early_help_start),
        received_at__lt=period.end,
    )
    by_locality = {
        r["locality_id"]: r["n"]
        for r in forms.values("locality_id")
        .annotate(n=Count(HOUSEHOLD, distinct=True))
        .order_by()
    }
    city = forms.aggregate(n=Count(HOUSEHOLD, distinct=True))["n"] or 0
    cells: dict[Scope, Cell] = {
        slug: Cell(float(by_locality.get(pk, 0)), float(by_locality.get(pk, 0)), None)
        for pk, slug in period.localities.items()
    }
    cells[CITY] = Cell(float(city), float(city), None)
    return {"EH02": cells}
