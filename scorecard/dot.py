"""Direction of travel (INDICATORS.md): this month's value against the month
before's, for the same scope. Pure functions, tested without a database."""

from __future__ import annotations

COULD_NOT_CALCULATE = "could_not_calculate"
NO_CHANGE = "no_change"
NO_NOTABLE_CHANGE = "no_notable_change"
IMPROVING, DECLINING = "improving", "declining"
HIGHER, LOWER = "higher", "lower"

# What each state reads as: a symbol and words, never colour alone.
LABELS = {
    COULD_NOT_CALCULATE: ("–", "Could not be calculated"),
    NO_CHANGE: ("=", "No change"),
    NO_NOTABLE_CHANGE: ("≈", "No notable change"),
    IMPROVING: ("▲", "Improving"),
    DECLINING: ("▼", "Declining"),
    HIGHER: ("↑", "Higher"),
    LOWER: ("↓", "Lower"),
}


def tolerance_for(unit: str, previous: float, tolerance: float | None) -> float:
    """The indicator's own tolerance, else the unit's default: 1.0 percentage
    point for percentages, 0.1 for means, 5% of the earlier value otherwise."""
    if tolerance is not None:
        return tolerance
    if unit == "percent":
        return 1.0
    if unit == "mean":
        return 0.1
    return abs(previous) * 0.05


def direction(
    *,
    current: float | None,
    previous: float | None,
    unit: str,
    polarity: str,
    tolerance: float | None = None,
) -> str:
    if current is None or previous is None:
        return COULD_NOT_CALCULATE
    if current == previous:
        return NO_CHANGE
    if abs(current - previous) <= tolerance_for(unit, previous, tolerance):
        return NO_NOTABLE_CHANGE
    up = current > previous
    if polarity == "higher":
        return IMPROVING if up else DECLINING
    if polarity == "lower":
        return DECLINING if up else IMPROVING
    return HIGHER if up else LOWER
