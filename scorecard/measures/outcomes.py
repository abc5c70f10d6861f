"""Outcomes at closure, for cases closed in M, by the case's locality:

- EH14 / EH15: children / adults with a baseline person score (from the
  completed assessment only, settled reading 16) and a closure score: % whose
  closure score is above the baseline;
- EH16 / EH17 / EH18: children answering yes or no to happy / healthy / safe
  (``not_asked`` or no answer is outside the cohort): % yes;
- EH19: cases with all five wheel domains scored at baseline and closure: %
  whose closure total is above the baseline total;
- EH20a–e: cases with that domain scored at both: % improved in it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from casework.models import AssessmentPerson, CaseClosure, ClosurePerson, WheelDomain
from scorecard.measures.base import Cell, Period, Scope, percent_cells

DOMAIN_REFS = dict(
    zip(WheelDomain.values, ("EH20a", "EH20b", "EH20c", "EH20d", "EH20e"), strict=True)
)
ANSWERS = {"happy": "EH16", "healthy": "EH17", "safe": "EH18"}


def _split(rows: list[dict], num: str, den: str) -> tuple[dict, dict]:
    return (
        {r["scope"]: r[num] for r in rows},
        {r["scope"]: r[den] for r in rows},
    )


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    closed_in_m = Q(
        closure__closed_at__gte=period.start, closure__closed_at__lt=period.end
    )
    baseline = AssessmentPerson.objects.filter(
        assessment__case_id=OuterRef("closure__case_id"),
        assessment__completed_at__isnull=False,
        person_id=OuterRef("person_id"),
    ).values("score")[:1]
    people = (
        ClosurePerson.objects.filter(closed_in_m)
        .annotate(baseline=Subquery(baseline, output_field=IntegerField()))
        .values(scope=F("closure__case__locality_id"))
        .annotate(
            children=Count(
                "pk",
                filter=Q(
                    person__role="child", score__isnull=False, baseline__isnull=False
                ),
            ),
            children_up=Count(
                "pk",
                filter=Q(person__role="child", score__gt=F("baseline")),
            ),
            adults=Count(
                "pk",
                filter=Q(
                    person__role="adult", score__isnull=False, baseline__isnull=False
                ),
            ),
            adults_up=Count(
                "pk", filter=Q(person__role="adult", score__gt=F("baseline"))
            ),
            **{
                f"{q}_asked": Count(
                    "pk", filter=Q(person__role="child", **{f"{q}__in": ["yes", "no"]})
                )
                for q in ANSWERS
            },
            **{
                f"{q}_yes": Count("pk", filter=Q(person__role="child", **{q: "yes"}))
                for q in ANSWERS
            },
        )
        .order_by()
    )
    people_rows = list(people)
    out: dict[str, dict[Scope, Cell]] = {
        "EH14": percent_cells(period, *_split(people_rows, "children_up", "children")),
        "EH15": percent_cells(period, *_split(people_rows, "adults_up", "adults")),
    }
    for q, ref in ANSWERS.items():
        out[ref] = percent_cells(period, *_split(people_rows, f"{q}_yes", f"{q}_asked"))

    # Wheel domains: the closure's against the completed assessment's.
    both = {
        d: Q(**{f"{d}__isnull": False, f"case__assessment__{d}__isnull": False})
        for d in WheelDomain.values
    }
    all_five = Q()
    for domain_q in both.values():
        all_five &= domain_q
    cases = list(
        CaseClosure.objects.filter(
            closed_at__gte=period.start,
            closed_at__lt=period.end,
            case__assessment__completed_at__isnull=False,
        )
        .alias(
            closure_total=_total(""),
            baseline_total=_total("case__assessment__"),
        )
        .values(scope=F("case__locality_id"))
        .annotate(
            families=Count("pk", filter=all_five),
            families_up=Count(
                "pk", filter=all_five & Q(closure_total__gt=F("baseline_total"))
            ),
            **{f"{d}_n": Count("pk", filter=both[d]) for d in WheelDomain.values},
            **{
                f"{d}_up": Count(
                    "pk",
                    filter=both[d] & Q(**{f"{d}__gt": F(f"case__assessment__{d}")}),
                )
                for d in WheelDomain.values
            },
        )
        .order_by()
    )
    out["EH19"] = percent_cells(period, *_split(cases, "families_up", "families"))
    for d, ref in DOMAIN_REFS.items():
        out[ref] = percent_cells(period, *_split(cases, f"{d}_up", f"{d}_n"))
    return out


def _total(prefix: str) -> Any:
    """The sum of the five wheel domains (only compared where all five are set)."""
    total: Any = Value(0)
    for d in WheelDomain.values:
        total = total + Coalesce(F(f"{prefix}{d}"), Value(0))
    return total
