"""EH03 within a week (exactly 168 hours counts; provisional while the month's
forms are under a week old), EH04 and EH05 medians, EH08 returning families."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.roles import Role
from family_connect.models import FormDecision
from scorecard.measures import eh03, eh04_eh05, eh08
from scorecard.measures.base import CITY
from tests.factories import CaseFactory, FamilyFactory, FormFactory, UserFactory
from tests.scorecard.helpers import UTC, loc, period

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def decide(form, at, outcome="signposted"):
    manager = UserFactory(role=Role.LOCALITY_MANAGER)
    FormDecision.objects.create(
        form=form, outcome=outcome, decided_by=manager, decided_at=at, reason="x"
    )
    form.status = outcome
    form.save(update_fields=["status"])
    return form


def test_eh03_exactly_168_hours_counts_and_a_second_more_does_not():
    # Received in GMT; the week ends after the clocks go forward (31 March 2024).
    received = dt.datetime(2024, 3, 28, 10, 0, tzinfo=UTC)
    erdington = loc("erdington")
    decide(FormFactory(received_at=received, locality=erdington), received + 168 * H)
    decide(
        FormFactory(received_at=received, locality=erdington),
        received + 168 * H + dt.timedelta(seconds=1),
    )
    FormFactory(received_at=received, locality=erdington)  # undecided: not within
    decide(FormFactory(received_at=received, locality=loc("ladywood")), received + H)
    # Left out: a consultation, a duplicate.
    decide(
        FormFactory(
            received_at=received, locality=erdington, request_type="consultation"
        ),
        received + H,
        outcome="consultation_given",
    )
    FormFactory(received_at=received, locality=erdington, status="duplicate")
    cells = eh03.measure(period(2024, 3))["EH03"]
    e = cells["erdington"]
    assert (e.numerator, e.denominator) == (1, 3)
    assert e.value == pytest.approx(100 / 3)
    assert (
        cells["ladywood"].value,
        cells[CITY].numerator,
        cells[CITY].denominator,
    ) == (
        100.0,
        2,
        4,
    )
    empty = cells["yardley"]
    assert (empty.value, empty.numerator, empty.denominator) == (None, 0, 0)
    assert not any(c.provisional for c in cells.values())


def test_eh03_is_provisional_while_a_form_of_the_month_is_under_a_week_old():
    received = dt.datetime(2024, 3, 30, 10, 0, tzinfo=UTC)
    FormFactory(received_at=received, locality=loc("erdington"))
    soon = period(2024, 3, now=received + 100 * H)
    cells = eh03.measure(soon)["EH03"]
    assert cells["erdington"].provisional and cells[CITY].provisional
    assert not cells["ladywood"].provisional  # nothing young in its cohort
    later = eh03.measure(period(2024, 3, now=received + 168 * H))["EH03"]
    assert not later["erdington"].provisional


def test_eh04_and_eh05_are_medians_of_the_month_decided_forms():
    erdington, ladywood = loc("erdington"), loc("ladywood")
    decided = dt.datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
    for days, where in (
        (1, erdington),
        (2.5, erdington),
        (4, erdington),
        (1, ladywood),
        (2, ladywood),
    ):
        decide(
            FormFactory(received_at=decided - dt.timedelta(days=days), locality=where),
            decided,
        )
    # Received in April, decided in May: in May's cohort.
    # Decided in June: not in May's.
    decide(
        FormFactory(received_at=decided, locality=erdington),
        decided + dt.timedelta(days=15),
    )
    for hours in (3, 5):
        decide(
            FormFactory(
                received_at=decided - hours * H,
                locality=erdington,
                request_type="consultation",
            ),
            decided,
            outcome="consultation_given",
        )
    rows = eh04_eh05.measure(period(2024, 5))
    eh04 = rows["EH04"]
    assert (eh04["erdington"].value, eh04["erdington"].denominator) == (2.5, 3)
    assert eh04["ladywood"].value == 1.5  # the mean of the two middle values
    assert eh04[CITY].value == 2.0 and eh04[CITY].numerator is None
    assert (eh04["yardley"].value, eh04["yardley"].denominator) == (None, 0)
    assert rows["EH05"]["erdington"].value == 4.0
    assert rows["EH05"][CITY].denominator == 2


def test_eh08_counts_closures_in_the_365_days_before_receipt():
    received = dt.datetime(2024, 6, 10, 9, 0, tzinfo=UTC)
    year = dt.timedelta(hours=365 * 24)

    def returning(closed_before: dt.timedelta, where="erdington"):
        family = FamilyFactory()
        CaseFactory(
            family=family,
            locality=loc("yardley"),  # any locality
            status="closed",
            opened_at=received - closed_before - dt.timedelta(days=90),
            closed_at=received - closed_before,
        )
        return FormFactory(received_at=received, locality=loc(where), family=family)

    returning(year)  # exactly 365 × 24 h before: counts
    returning(dt.timedelta(days=30))  # counts
    returning(year + dt.timedelta(seconds=1))  # too long ago
    returning(dt.timedelta(0))  # closed at the moment of receipt: not before it
    FormFactory(received_at=received, locality=loc("erdington"), family=None)
    cells = eh08.measure(period(2024, 6))["EH08"]
    assert (cells["erdington"].numerator, cells["erdington"].denominator) == (2, 5)
    assert cells["erdington"].value == 40.0
    assert cells[CITY].value == 40.0
