"""EH10–EH20: caseload counts and outcomes at closure, by the case's locality."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.models import (
    Assessment,
    AssessmentPerson,
    CaseClosure,
    ClosurePerson,
    WheelDomain,
)
from scorecard.measures import caseload, outcomes
from scorecard.measures.base import CITY
from tests.factories import CaseFactory, PersonFactory
from tests.scorecard.helpers import UTC, loc, period

pytestmark = pytest.mark.django_db

END_OF_MAY = dt.datetime(2024, 5, 31, 23, 0, tzinfo=UTC)  # 00:00 BST, 1 June
MID_MAY = dt.datetime(2024, 5, 15, 10, 0, tzinfo=UTC)


def case(opened, closed=None, where="erdington"):
    return CaseFactory(
        locality=loc(where),
        opened_at=opened,
        closed_at=closed,
        status="closed" if closed else "plan",
    )


def test_eh10_and_eh13_with_a_case_closed_exactly_at_the_end_of_the_month():
    april = dt.datetime(2024, 4, 10, tzinfo=UTC)
    case(april)  # open
    case(april, END_OF_MAY)  # closed at the end of May: open at May's end
    case(april, MID_MAY)  # closed in May
    case(dt.datetime(2024, 6, 1, tzinfo=UTC))  # opened in June
    case(april, MID_MAY, where="ladywood")
    rows = caseload.measure(period(2024, 5))
    assert rows["EH10"]["erdington"].value == 2
    assert rows["EH13"]["erdington"].value == 1
    assert rows["EH13"][CITY].value == 2
    june = caseload.measure(period(2024, 6))
    assert june["EH13"]["erdington"].value == 1  # closed in M + 1


def test_eh11_and_eh12_thirty_days_is_thirty_times_24_hours():
    opened = dt.datetime(2024, 4, 20, 9, 0, tzinfo=UTC)
    on_time = case(opened)
    late = case(opened)
    Assessment.objects.create(
        case=on_time, completed_at=opened + dt.timedelta(hours=720)
    )
    Assessment.objects.create(
        case=late, completed_at=opened + dt.timedelta(hours=720, seconds=1)
    )
    Assessment.objects.create(case=case(opened))  # not completed
    rows = caseload.measure(period(2024, 5))
    assert rows["EH11"]["erdington"].value == 2
    eh12 = rows["EH12"]["erdington"]
    assert (eh12.numerator, eh12.denominator, eh12.value) == (1, 2, 50.0)


def closed_case(baseline, closure, people):
    """people: (role, baseline score, closure score, happy)."""
    c = case(dt.datetime(2024, 1, 10, tzinfo=UTC), MID_MAY)
    assessment = None
    if baseline is not None:
        assessment = Assessment.objects.create(
            case=c, completed_at=dt.datetime(2024, 2, 1, tzinfo=UTC), **baseline
        )
    record = CaseClosure.objects.create(
        case=c,
        closed_at=MID_MAY,
        closed_by=c.lead_practitioner,
        reason="outcomes_met",
        **closure,
    )
    for role, before, after, happy in people:
        person = PersonFactory(family=c.family, role=role)
        if assessment is not None and before is not None:
            AssessmentPerson.objects.create(
                assessment=assessment, person=person, score=before
            )
        ClosurePerson.objects.create(
            closure=record, person=person, score=after, happy=happy
        )
    return c


def wheel(*scores):
    return dict(zip(WheelDomain.values, scores, strict=True))


def test_person_outcomes_and_the_childrens_answers():
    closed_case(
        wheel(4, 4, 4, 4, 4),
        wheel(5, 5, 4, 3, 5),
        [
            ("child", 4, 6, "yes"),  # improved
            ("child", 5, 5, "no"),  # not improved
            ("child", None, 7, "not_asked"),  # no baseline: outside EH14
            ("adult", 3, 4, ""),  # improved
        ],
    )
    # No completed assessment: no baseline for anyone (settled reading 16).
    closed_case(None, wheel(6, 6, 6, 6, 6), [("child", None, 8, "yes")])
    rows = outcomes.measure(period(2024, 5))
    eh14 = rows["EH14"]["erdington"]
    assert (eh14.numerator, eh14.denominator, eh14.value) == (1, 2, 50.0)
    assert rows["EH15"]["erdington"].value == 100.0
    eh16 = rows["EH16"]["erdington"]
    assert (eh16.numerator, eh16.denominator) == (2, 3)  # not_asked is outside
    empty = rows["EH17"]["erdington"]
    assert (empty.value, empty.denominator) == (None, 0)


def test_family_wheel_overall_and_by_domain():
    closed_case(wheel(4, 4, 4, 4, 4), wheel(5, 5, 4, 3, 5), [])  # 20 → 22: improved
    closed_case(wheel(6, 6, 6, 6, 6), wheel(6, 6, 6, 6, 5), [])  # 30 → 29
    # A domain missing at closure: outside EH19 and that domain's EH20.
    closed_case(wheel(3, 3, 3, 3, 3), wheel(4, 4, 4, 4, None), [])
    rows = outcomes.measure(period(2024, 5))
    eh19 = rows["EH19"]["erdington"]
    assert (eh19.numerator, eh19.denominator) == (1, 2)
    assert rows["EH20a"]["erdington"].numerator == 2  # 4→5 and 3→4
    assert rows["EH20a"]["erdington"].denominator == 3
    assert (
        rows["EH20e"]["erdington"].numerator,
        rows["EH20e"]["erdington"].denominator,
    ) == (1, 2)
    assert rows["EH20d"]["erdington"].numerator == 1  # 3→4 only; 4→3 declined
