"""What the dashboard and the PDF show (selectors): for each scope, every
indicator's last 12 months from the latest release of each month, this month's
direction of travel, and how values are displayed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from core.periods import Month, months_between
from localities.models import Locality
from scorecard.dot import LABELS, direction
from scorecard.models import Indicator, Release, ReleaseStatus, Value

PLACES = {"percent": 1, "median_days": 1, "median_hours": 1, "mean": 2, "count": 0}


def display(value: float | None, unit: str) -> str:
    """A value as the scorecard shows it: percentages and medians to 1 decimal
    place and means to 2, half up; counts whole; "–" when not calculated."""
    if value is None:
        return "–"
    places = PLACES.get(unit, 1)
    quantum = Decimal(1).scaleb(-places)
    shown = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{shown:,}" if unit == "count" else str(shown)
    return f"{text}%" if unit == "percent" else text


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    values: list[float | None]  # oldest first, the last is the month itself
    shown: list[str]
    dot: str
    dot_symbol: str
    dot_words: str
    provisional: bool
    spark: str  # SVG polyline points, "" when fewer than two values

    @property
    def current(self) -> str:
        return self.shown[-1]


def _spark(values: list[float | None], width: float = 60, height: float = 14) -> str:
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return ""
    low = min(v for _i, v in known)
    high = max(v for _i, v in known)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{height - 1 - (v - low) / span * (height - 2):.1f}"
        for i, v in known
    )


def latest_releases(months: list[Month]) -> dict[str, int]:
    """The latest released run of each month: period → release id."""
    latest: dict[str, int] = {}
    for period, pk in (
        Release.objects.filter(
            period__in=[str(m) for m in months], status=ReleaseStatus.DONE
        )
        .order_by("period", "generated_at", "pk")
        .values_list("period", "pk")
    ):
        latest[period] = pk  # ordered: the last one wins
    return latest


def scorecard_lines(
    month: Month, scopes: list[int | None] | None = None
) -> dict[int | None, list[Line]]:
    """Lines for each scope (locality id; None for the city), every scope
    unless ``scopes`` names some, for the 12 months to ``month``: three queries
    whatever the number of scopes."""
    months = months_between(month.plus(-11), month)
    releases = latest_releases(months)
    period_of = {pk: period for period, pk in releases.items()}
    series: dict[tuple[int | None, str], dict[str, float | None]] = {}
    provisional: set[tuple[int | None, str]] = set()
    found = Value.objects.filter(release_id__in=releases.values())
    if scopes is not None:
        wanted = Q(locality_id__in=[pk for pk in scopes if pk is not None])
        if None in scopes:
            wanted |= Q(locality__isnull=True)
        found = found.filter(wanted)
    for release_id, locality_id, ref, value, is_provisional in found.values_list(
        "release_id", "locality_id", "ref", "value", "provisional"
    ):
        series.setdefault((locality_id, ref), {})[period_of[release_id]] = value
        if is_provisional and period_of[release_id] == str(month):
            provisional.add((locality_id, ref))
    indicators = list(Indicator.objects.filter(active=True, source="computed"))
    if scopes is None:
        scopes = [None, *Locality.objects.values_list("pk", flat=True)]
    out: dict[int | None, list[Line]] = {}
    for scope in scopes:
        lines = []
        for ind in indicators:
            by_month = series.get((scope, ind.ref), {})
            values = [by_month.get(str(m)) for m in months]
            state = direction(
                current=values[-1],
                previous=values[-2],
                unit=ind.unit,
                polarity=ind.polarity,
                tolerance=ind.tolerance,
            )
            symbol, words = LABELS[state]
            lines.append(
                Line(
                    indicator=ind,
                    values=values,
                    shown=[display(v, ind.unit) for v in values],
                    dot=state,
                    dot_symbol=symbol,
                    dot_words=words,
                    provisional=(scope, ind.ref) in provisional,
                    spark=_spark(values),
                )
            )
        out[scope] = lines
    return out
