"""The monthly scorecard computed again by hand-written SQL, straight from
INDICATORS.md: a yardstick for the time of a scorecard run and a cross-check of
its values.

Each statement reads one family of indicators for every locality and the city
at once: ``GROUP BY GROUPING SETS ((locality), ())``, the empty set being the
city, which also takes the forms with no locality. Python only turns the
grouped counts into cells (settled reading 4)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection

from bench.scorecard_queries import (
    AFTER_CLOSURE,
    ASSESSMENTS,
    AUDITS,
    CASES,
    CLOSURE_PEOPLE,
    CLOSURES,
    FORMS_RECEIVED,
    HOUSEHOLDS,
    PARTNER_FIGURES,
    REASON_CODES,
    REASONS,
    REQUESTER_FEEDBACK,
    STEP_UPS,
    STEPPED_DOWN_CHILDREN,
    TIME_TO_DECISION,
)
from core.periods import Month, local_midnight

STEP_UP_OUTCOMES = (
    "accepted_for_assessment",
    "nfa_returned_to_early_help",
    "child_protection",
    "other",
    "awaiting_outcome",  # a step-up whose outcome is still blank
)


class Cell(NamedTuple):
    value: float | None
    numerator: float | None
    denominator: int | None
    provisional: bool = False


UNCALCULABLE = Cell(None, None, None)
Scope = int | None  # a locality id, or None for the city
Cells = dict[Scope, Cell]


class Row(dict[str, Any]):
    """A grouped row by column name; a scope without rows (an empty Row) reads
    as zeros."""

    def __missing__(self, name: str) -> int:
        if self:
            raise KeyError(name)
        return 0


def _count(n: int) -> Cell:
    return Cell(float(n), float(n), None)


def _percent(numerator: int, denominator: int) -> Cell:
    """An empty cohort has no value, never 0%."""
    if not denominator:
        return Cell(None, float(numerator), 0)
    return Cell(100.0 * numerator / denominator, float(numerator), int(denominator))


def _median(median: float | None, n: int) -> Cell:
    return Cell(float(median) if n and median is not None else None, None, int(n))


def _mean(total: int | None, n: int) -> Cell:
    if not n:
        return Cell(None, 0.0, 0)
    return Cell(float(total or 0) / n, float(total or 0), int(n))


def _share(numerator: str, cohort: str) -> Callable[[Row], Cell]:
    """The % of a row's cohort column that its numerator column is."""
    return lambda r: _percent(r[numerator], r[cohort])


def _once_ended(cell: Callable[[Row], Cell]) -> Callable[[Row], Cell]:
    """EH21: a scope's values appear once every window of its cohort has ended
    (settled reading 11)."""
    return lambda r: UNCALCULABLE if r["not_ended"] else cell(r)


class _Month:
    """The statements' parameters and their grouped rows for one month."""

    def __init__(self, month: Month, now: datetime, localities: Mapping[int, str]):
        start, end = month.bounds()
        self.params: dict[str, Any] = {
            "start": start,
            "end": end,
            "now": now,
            "early_help_start": local_midnight(settings.EARLY_HELP_START_DATE),
            "period": str(month),
        }
        self.scopes: list[Scope] = [*localities, None]

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return cursor.fetchall()

    def rows(self, sql: str) -> dict[tuple[str, Scope], Row]:
        """The rows of a grouped statement by (key, scope); the group of forms
        with no locality counts only in the city row, so is dropped."""
        out: dict[tuple[str, Scope], Row] = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            names = [column.name for column in cursor.description]
            for values in cursor.fetchall():
                row = Row(zip(names, values, strict=True))
                if row["is_city"]:
                    out[(row["key"], None)] = row
                elif row["locality_id"] is not None:
                    out[(row["key"], row["locality_id"])] = row
        return out

    def cells(
        self,
        rows: Mapping[tuple[str, Scope], Row],
        make: Callable[[Row], Cell],
        key: str = "",
    ) -> Cells:
        """A cell for every locality and the city, zeros where it has no rows."""
        return {s: make(rows.get((key, s), Row())) for s in self.scopes}


def reference_values(
    month: Month, now: datetime, localities: Mapping[int, str]
) -> dict[str, Cells]:
    """Every computed indicator of ``month`` as at ``now``: ref → {locality id,
    or None for the city → cell}. ``localities`` maps each locality's id to its
    slug; every one of them gets a cell."""
    m = _Month(month, now, localities)
    out: dict[str, Cells] = {}

    forms = m.rows(FORMS_RECEIVED)
    out["EH01"] = m.cells(forms, lambda r: _count(r["received"]))
    out["EH02"] = m.cells(m.rows(HOUSEHOLDS), lambda r: _count(r["households"]))
    out["EH03"] = m.cells(
        forms,
        lambda r: _percent(r["within_week"], r["support"])._replace(
            provisional=r["young"] > 0
        ),
    )
    medians = m.rows(TIME_TO_DECISION)
    out["EH04"] = m.cells(medians, lambda r: _median(r["median"], r["n"]), "support")
    out["EH05"] = m.cells(
        medians, lambda r: _median(r["median"], r["n"]), "consultation"
    )
    out["EH06"] = m.cells(forms, lambda r: _count(r["step_down"]))
    reasons = m.rows(REASONS)
    for (code,) in m.fetch(REASON_CODES):
        out[f"EH07:{code}"] = {
            s: _percent(
                reasons.get((code, s), Row())["forms"],
                forms.get(("", s), Row())["support"],
            )
            for s in m.scopes
        }
    out["EH08"] = m.cells(forms, _share("returning", "support"))

    cases = m.rows(CASES)
    out["EH10"] = m.cells(cases, lambda r: _count(r["open_at_end"]))
    assessed = m.rows(ASSESSMENTS)
    out["EH11"] = m.cells(assessed, lambda r: _count(r["completed"]))
    out["EH12"] = m.cells(assessed, _share("on_time", "completed"))
    out["EH13"] = m.cells(cases, lambda r: _count(r["closed"]))

    people = m.rows(CLOSURE_PEOPLE)
    out["EH14"] = m.cells(people, _share("children_up", "children"))
    out["EH15"] = m.cells(people, _share("adults_up", "adults"))
    out["EH16"] = m.cells(people, _share("happy_yes", "happy_asked"))
    out["EH17"] = m.cells(people, _share("healthy_yes", "healthy_asked"))
    out["EH18"] = m.cells(people, _share("safe_yes", "safe_asked"))
    closures = m.rows(CLOSURES)
    out["EH19"] = m.cells(closures, _share("families_up", "families"))
    for ref, domain in (
        ("EH20a", "healthy_lifestyles"),
        ("EH20b", "relationships"),
        ("EH20c", "learning_development"),
        ("EH20d", "community_engagement"),
        ("EH20e", "safeguarding"),
    ):
        out[ref] = m.cells(closures, _share(f"{domain}_up", domain))

    after = m.rows(AFTER_CLOSURE)
    for r in after.values():
        r["not_referred"] = r["children"] - r["referred"]
        r["further_help"] = r["children"] - r["no_further_help"]
    for ref, numerator in (
        ("EH21a", "referred"),
        ("EH21b", "not_referred"),
        ("EH21c", "no_further_help"),
        ("EH21d", "further_help"),
    ):
        out[ref] = m.cells(after, _once_ended(_share(numerator, "children")))

    step_ups = m.rows(STEP_UPS)
    out["EH22"] = m.cells(step_ups, _share("stepped_up", "pairs"))
    for outcome in STEP_UP_OUTCOMES:
        out[f"EH22:{outcome}"] = m.cells(step_ups, _share(outcome, "pairs"))

    stepped_down = m.rows(STEPPED_DOWN_CHILDREN)
    figures: dict[Scope, float] = dict(m.fetch(PARTNER_FIGURES))  # type: ignore[arg-type]
    out["EH23"] = {
        s: _percent(stepped_down.get(("", s), Row())["children"], int(figures[s]))
        if s in figures
        else UNCALCULABLE
        for s in m.scopes
    }

    audits = m.rows(AUDITS)
    for ref in ("EH24", "EH25a", "EH25b", "EH25c"):
        out[ref] = m.cells(audits, _share("good", "audits"), ref)
    out["EH26"] = m.cells(
        closures, lambda r: _mean(r["feedback_total"], r["feedback_n"])
    )
    out["EH27"] = m.cells(
        m.rows(REQUESTER_FEEDBACK), lambda r: _mean(r["total"], r["n"])
    )
    return out


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def differences(
    release_id: int, reference: Mapping[str, Cells]
) -> list[tuple[str, Scope]]:
    """The (ref, scope) cells where a release's stored values and the reference
    differ in value, numerator, denominator or provisional flag, or that only
    one of them has."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ref, locality_id, value, numerator, denominator, provisional"
            " FROM scorecard_value WHERE release_id = %s",
            [release_id],
        )
        stored = {(ref, scope): Cell(*cell) for ref, scope, *cell in cursor.fetchall()}
    expected = {
        (ref, scope): cell
        for ref, cells in reference.items()
        for scope, cell in cells.items()
    }
    out = sorted(stored.keys() ^ expected.keys(), key=str)
    for key in sorted(stored.keys() & expected.keys(), key=str):
        a, b = stored[key], expected[key]
        if not (
            _same(a.value, b.value)
            and _same(a.numerator, b.numerator)
            and a.denominator == b.denominator
            and a.provisional == b.provisional
        ):
            out.append(key)
    return out
