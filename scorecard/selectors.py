"""Reads of releases: the latest release of a month, and its rows for one scope
with the direction of travel against the month before's latest release."""

from __future__ import annotations

from dataclasses import dataclass

from core.periods import Month
from localities.models import Locality
from scorecard.dot import direction
from scorecard.models import Indicator, Release, Value
from scorecard.report import latest_releases


def latest_release(period: Month) -> Release | None:
    """The month's latest released run (the one everything serves)."""
    pk = latest_releases([period]).get(str(period))
    return Release.objects.get(pk=pk) if pk is not None else None


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    value: Value
    dot: str


def release_rows(release: Release, locality: Locality | None) -> list[Row]:
    """The release's values for the scope (the city when ``locality`` is None),
    in registry order, each with its direction of travel. Three queries."""
    previous = latest_release(Month.parse(release.period).plus(-1))
    earlier = (
        dict(
            Value.objects.filter(release=previous, locality=locality).values_list(
                "ref", "value"
            )
        )
        if previous is not None
        else {}
    )
    indicators = {i.ref: i for i in Indicator.objects.filter(active=True)}
    rows = []
    for value in Value.objects.filter(release=release, locality=locality):
        indicator = indicators.get(value.ref)
        if indicator is None:
            continue
        rows.append(
            Row(
                indicator,
                value,
                direction(
                    current=value.value,
                    previous=earlier.get(value.ref),
                    unit=indicator.unit,
                    polarity=indicator.polarity,
                    tolerance=indicator.tolerance,
                ),
            )
        )
    rows.sort(key=lambda r: (r.indicator.position, r.indicator.ref))
    return rows
