"""Distance travelled: the family wheel and each person's score at the baseline
(the completed assessment), at each review and at closure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from casework.models import (
    Assessment,
    Case,
    CaseClosure,
    CaseStatus,
    Review,
    WheelDomain,
)
from casework.selectors.cases import people_on_case
from core.charts import LineChart, line_chart
from families.models import Person


@dataclass(frozen=True)
class ScorePoint:
    """The scores recorded at one moment of the case."""

    label: str
    at: dt.datetime
    wheel: dict[str, int | None]
    people: dict[int, int | None]


@dataclass(frozen=True)
class Row:
    """One domain or person: its value at each point, and baseline to latest."""

    name: str
    values: list[int | None]
    baseline: int | None
    closure: int | None

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.closure is None:
            return None
        return self.closure - self.baseline


@dataclass(frozen=True)
class Progress:
    points: list[ScorePoint]
    people: list[Person]

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.points]

    @property
    def baseline(self) -> ScorePoint | None:
        first = self.points[0] if self.points else None
        return first if first is not None and first.label == "Baseline" else None

    @property
    def closure(self) -> ScorePoint | None:
        last = self.points[-1] if self.points else None
        return last if last is not None and last.label == "Closure" else None

    def _row(self, name: str, values: list[int | None]) -> Row:
        return Row(
            name=name,
            values=values,
            baseline=values[0] if self.baseline is not None else None,
            closure=values[-1] if self.closure is not None else None,
        )

    @property
    def wheel_rows(self) -> list[Row]:
        return [
            self._row(domain.label, [p.wheel.get(domain.value) for p in self.points])
            for domain in WheelDomain
        ]

    @property
    def person_rows(self) -> list[Row]:
        return [
            self._row(
                f"{person.given_name} {person.family_name}".strip(),
                [p.people.get(person.pk) for p in self.points],
            )
            for person in self.people
        ]

    @property
    def wheel_chart(self) -> LineChart:
        return line_chart(
            self.labels, [(r.name, r.values) for r in self.wheel_rows], low=1
        )

    @property
    def person_chart(self) -> LineChart:
        return line_chart(
            self.labels, [(r.name, r.values) for r in self.person_rows], low=1
        )


def _wheel(record: Assessment | Review | CaseClosure) -> dict[str, int | None]:
    return {domain: getattr(record, domain) for domain in WheelDomain.values}


def case_progress(case: Case, *, people: list[Person] | None = None) -> Progress:
    """The case's scores over time, in order: the baseline when the assessment
    is completed, each review, and the closure when the case is closed.
    ``people`` are the people on the case when the page has read them already.
    A fixed number of queries however many reviews there are: at most three
    for the assessment and reviews, two for a closure, one for the people."""
    case_id = case.pk
    if people is None:
        people = list(people_on_case(case_id))
    points: list[ScorePoint] = []
    assessment = (
        Assessment.objects.filter(case_id=case_id, completed_at__isnull=False)
        .prefetch_related("people")
        .first()
    )
    if assessment is not None and assessment.completed_at is not None:
        points.append(
            ScorePoint(
                "Baseline",
                assessment.completed_at,
                _wheel(assessment),
                {p.person_id: p.score for p in assessment.people.all()},
            )
        )
    reviews = Review.objects.filter(case_id=case_id).prefetch_related("people")
    for n, review in enumerate(reviews, start=1):
        points.append(
            ScorePoint(
                f"Review {n}",
                review.held_at,
                _wheel(review),
                {p.person_id: p.score for p in review.people.all()},
            )
        )
    # A reopened case's closure is gone: only a closed case has one.
    closure = (
        CaseClosure.objects.filter(case_id=case_id).prefetch_related("people").first()
        if case.status == CaseStatus.CLOSED
        else None
    )
    if closure is not None:
        points.append(
            ScorePoint(
                "Closure",
                closure.closed_at,
                _wheel(closure),
                {p.person_id: p.score for p in closure.people.all()},
            )
        )
    return Progress(points=points, people=people)
