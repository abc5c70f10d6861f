"""What every measure shares: the month being computed, the scopes (each
locality and the city), and cells with their numerator and denominator
(INDICATORS.md, settled reading 4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import QuerySet

from core.periods import Month
from family_connect.models import FamilyConnectForm, FormStatus

CITY = None  # the scope key of the city figure
Scope = str | None  # a locality slug, or CITY


@dataclass(frozen=True)
class Cell:
    value: float | None
    numerator: float | None
    denominator: int | None
    provisional: bool = False


@dataclass(frozen=True)
class Period:
    """The month M being computed, with its Europe/London bounds, the moment of
    computation and the settings the definitions name."""

    month: Month
    now: datetime
    localities: Mapping[int, str]  # locality id → slug
    early_help_start: date = field(
        default_factory=lambda: settings.EARLY_HELP_START_DATE
    )
    start: datetime = field(init=False)
    end: datetime = field(init=False)

    def __post_init__(self) -> None:
        start, end = self.month.bounds()
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)


# A measure computes one indicator (or one family of rows: EH07, EH20a–e) for
# every scope: ``{ref: {scope: cell}}``.
Measure = Callable[[Period], dict[str, dict[Scope, Cell]]]


def counted_forms() -> QuerySet[FamilyConnectForm]:
    """Forms in every form-based cohort: duplicates and withdrawn forms are left
    out everywhere except EH01 (settled reading 5)."""
    return FamilyConnectForm.objects.exclude(
        status__in=(FormStatus.DUPLICATE, FormStatus.WITHDRAWN)
    )


def count_cells(period: Period, counts: Mapping[int | None, int]) -> dict[Scope, Cell]:
    """Counts by locality id (None: forms with no locality) → a cell per
    locality and the city, which is the sum of the localities plus the
    unresolved (settled reading 6)."""
    cells: dict[Scope, Cell] = {
        slug: Cell(float(counts.get(pk, 0)), float(counts.get(pk, 0)), None)
        for pk, slug in period.localities.items()
    }
    city = sum(counts.values())
    cells[CITY] = Cell(float(city), float(city), None)
    return cells


def percent_cell(numerator: int, denominator: int) -> Cell:
    """100 × numerator / denominator, unrounded; an empty cohort has no value
    (never 0%)."""
    if not denominator:
        return Cell(None, float(numerator), 0)
    return Cell(100.0 * numerator / denominator, float(numerator), denominator)


def percent_cells(
    period: Period,
    numerators: Mapping[int | None, int],
    denominators: Mapping[int | None, int],
) -> dict[Scope, Cell]:
    """Percentages by locality, and for the city from the summed counts."""
    cells: dict[Scope, Cell] = {
        slug: percent_cell(numerators.get(pk, 0), denominators.get(pk, 0))
        for pk, slug in period.localities.items()
    }
    cells[CITY] = percent_cell(sum(numerators.values()), sum(denominators.values()))
    return cells


def median(values: list[float]) -> float:
    """The middle value; with an even count, the mean of the two middle ones."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def median_cells(
    period: Period, samples: list[tuple[int | None, float]]
) -> dict[Scope, Cell]:
    """Medians of (locality id, value) samples by locality and for the city:
    no numerator, the cohort size as denominator; an empty cohort has no value
    (settled reading 4)."""

    def cell(values: list[float]) -> Cell:
        return Cell(median(values) if values else None, None, len(values))

    by_locality: dict[int | None, list[float]] = {}
    for pk, value in samples:
        by_locality.setdefault(pk, []).append(value)
    cells: dict[Scope, Cell] = {
        slug: cell(by_locality.get(pk, [])) for pk, slug in period.localities.items()
    }
    cells[CITY] = cell([value for _pk, value in samples])
    return cells


def mean_cell(total: int, n: int) -> Cell:
    """A mean score: numerator the sum, denominator the number of scores."""
    if not n:
        return Cell(None, 0.0, 0)
    return Cell(total / n, float(total), n)


def mean_cells(
    period: Period,
    totals: Mapping[int | None, int],
    counts: Mapping[int | None, int],
) -> dict[Scope, Cell]:
    cells: dict[Scope, Cell] = {
        slug: mean_cell(totals.get(pk, 0), counts.get(pk, 0))
        for pk, slug in period.localities.items()
    }
    cells[CITY] = mean_cell(sum(totals.values()), sum(counts.values()))
    return cells
