"""Escalation and de-escalation (INDICATORS.md, settled readings 10–15).

- EH21a–d: children on cases closed in M (settled reading 23), each with the
  3-month window ``(closed, closed + 3 calendar months]``: (a) with a social
  care referral inside it — any referral of that child except a step-up from the
  closed case itself — and (b) without; (c) not named on a ``support`` form
  received inside it, and (d) named on one. Values appear for a scope only once
  every window in its cohort has ended.
- EH22: (case, child) pairs, each child on a case open during M (settled
  reading 23): a step-up for that child from that case dated in M while the
  case was open (both ends included); the
  ``EH22:<outcome>`` rows break the pairs down by the outcome of those
  step-ups, a pair counting once per outcome it has (settled reading 14), of
  the same cohort.
- EH23: distinct children named on ``step_down`` forms received in M, of the
  partner-supplied EH23D figure for the month (no figure: not calculated).

Each reads the month's cohort in a few queries and works through it in memory.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce

from casework.models import Case, CasePerson, SocialCareReferral, StepUpOutcome
from core.periods import add_months_to_moment
from family_connect.models import FormMember, FormStatus, RequestType, Route
from scorecard.measures.base import (
    CITY,
    Cell,
    Period,
    Scope,
    counted_forms,
    percent_cell,
    percent_cells,
)
from scorecard.models import PartnerFigure

UNCALCULABLE = Cell(None, None, None)
WINDOW_MONTHS = 3


def measure(period: Period) -> dict[str, dict[Scope, Cell]]:
    return {**_after_closure(period), **_eh22(period), **_eh23(period)}


def _after_closure(period: Period) -> dict[str, dict[Scope, Cell]]:
    pairs = list(
        CasePerson.objects.filter(
            person__role="child",
            case__closure__closed_at__gte=period.start,
            case__closure__closed_at__lt=period.end,
        ).values_list(
            "case_id",
            "case__locality_id",
            "case__closure__closed_at",
            "person_id",
        )
    )
    windows = [
        (case, loc, person, closed, add_months_to_moment(closed, WINDOW_MONTHS))
        for case, loc, closed, person in pairs
    ]
    people = {w[2] for w in windows}
    first = min((w[3] for w in windows), default=period.start)
    last = max((w[4] for w in windows), default=period.end)
    referrals: dict[int, list[tuple[datetime, str, int | None]]] = defaultdict(list)
    for person, at, source, case in SocialCareReferral.objects.filter(
        person_id__in=people, referred_at__gt=first, referred_at__lte=last
    ).values_list("person_id", "referred_at", "source", "case_id"):
        referrals[person].append((at, source, case))
    forms: dict[int, list[datetime]] = defaultdict(list)
    for person, at in (
        FormMember.objects.filter(
            person_id__in=people,
            form__request_type=RequestType.SUPPORT,
            form__received_at__gt=first,
            form__received_at__lte=last,
        )
        .exclude(form__status__in=(FormStatus.DUPLICATE, FormStatus.WITHDRAWN))
        .values_list("person_id", "form__received_at")
    ):
        forms[person].append(at)

    def referred(case: int, person: int, start: datetime, end: datetime) -> bool:
        return any(
            start < at <= end
            and not (source == SocialCareReferral.Source.CASE and on_case == case)
            for at, source, on_case in referrals[person]
        )

    def helped(person: int, start: datetime, end: datetime) -> bool:
        return any(start < at <= end for at in forms[person])

    scopes: dict[Scope, list] = {slug: [] for slug in period.localities.values()}
    scopes[CITY] = []
    for w in windows:
        scopes[period.localities.get(w[1])].append(w)
        if w[1] in period.localities:
            scopes[CITY].append(w)
    out: dict[str, dict[Scope, Cell]] = {
        r: {} for r in ("EH21a", "EH21b", "EH21c", "EH21d")
    }
    for scope, cohort in scopes.items():
        if any(end > period.now for *_rest, end in cohort):
            for ref in out:
                out[ref][scope] = UNCALCULABLE
            continue
        n = len(cohort)
        a = sum(
            1
            for case, _l, person, start, end in cohort
            if referred(case, person, start, end)
        )
        c = sum(
            1 for _c, _l, person, start, end in cohort if not helped(person, start, end)
        )
        out["EH21a"][scope] = percent_cell(a, n)
        out["EH21b"][scope] = percent_cell(n - a, n)
        out["EH21c"][scope] = percent_cell(c, n)
        out["EH21d"][scope] = percent_cell(n - c, n)
    return out


# The EH22 breakdown: a row per step-up outcome, and one for step-ups whose
# outcome is not known yet.
AWAITING_OUTCOME = "awaiting_outcome"
EH22_OUTCOMES = [*StepUpOutcome.values, AWAITING_OUTCOME]


def _eh22(period: Period) -> dict[str, dict[Scope, Cell]]:
    cases = list(
        Case.objects.filter(opened_at__lt=period.end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=period.start))
        .values_list("pk", "locality_id", "opened_at", "closed_at")
    )
    by_case = {c[0]: c for c in cases}
    # The cohort: each child on each of those cases.
    pairs = set(
        CasePerson.objects.filter(
            case_id__in=by_case, person__role="child"
        ).values_list("case_id", "person_id")
    )
    # (case, child) → the outcomes of its qualifying step-ups
    stepped: dict[tuple[int, int], set[str]] = defaultdict(set)
    for case_id, person, at, outcome in SocialCareReferral.objects.filter(
        source=SocialCareReferral.Source.CASE,
        case_id__in=by_case,
        person__role="child",
        referred_at__gte=period.start,
        referred_at__lt=period.end,
    ).values_list("case_id", "person_id", "referred_at", "outcome"):
        _pk, _loc, opened, closed = by_case[case_id]
        if (case_id, person) not in pairs:
            continue
        if opened <= at and (closed is None or at <= closed):
            stepped[(case_id, person)].add(outcome or AWAITING_OUTCOME)
    den: dict[int | None, int] = defaultdict(int)
    for case_id, _person in pairs:
        den[by_case[case_id][1]] += 1
    num: dict[str, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    for (case_id, _person), outcomes in stepped.items():
        loc = by_case[case_id][1]
        num["EH22"][loc] += 1
        for outcome in outcomes:
            num[f"EH22:{outcome}"][loc] += 1
    return {
        ref: percent_cells(period, num[ref], den)
        for ref in ["EH22", *(f"EH22:{o}" for o in EH22_OUTCOMES)]
    }


def _eh23(period: Period) -> dict[str, dict[Scope, Cell]]:
    child = Coalesce(F("person_id"), Value(0) - F("pk"))
    members = FormMember.objects.filter(
        role="child",
        form__in=counted_forms().filter(
            route=Route.STEP_DOWN,
            received_at__gte=period.start,
            received_at__lt=period.end,
        ),
    )
    by_locality = {
        r["scope"]: r["n"]
        for r in members.values(scope=F("form__locality_id"))
        .annotate(n=Count(child, distinct=True))
        .order_by()
    }
    city = members.aggregate(n=Count(child, distinct=True))["n"] or 0
    figures: dict[int | None, float] = dict(
        PartnerFigure.objects.filter(
            indicator__ref="EH23D", period=str(period.month)
        ).values_list("locality_id", "value")
    )

    def cell(numerator: int, figure: float | None) -> Cell:
        if figure is None:
            return UNCALCULABLE
        return percent_cell(numerator, int(figure))

    cells: dict[Scope, Cell] = {
        slug: cell(by_locality.get(pk, 0), figures.get(pk))
        for pk, slug in period.localities.items()
    }
    cells[CITY] = cell(city, figures.get(None))
    return {"EH23": cells}
