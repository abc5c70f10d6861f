"""EH01 forms received and EH06 step-down requests: by current locality, month
bounds in London time, duplicates and withdrawn forms in EH01 only, unresolved
forms in the city figure only."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.measures import eh01, eh06
from scorecard.measures.base import CITY
from tests.factories import FormFactory
from tests.scorecard.helpers import UTC, loc, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def may_2024():
    erdington, ladywood = loc("erdington"), loc("ladywood")
    at = dt.datetime(2024, 5, 14, 10, tzinfo=UTC)
    FormFactory(received_at=at, locality=erdington)
    FormFactory(received_at=at, locality=erdington, status="duplicate")
    FormFactory(received_at=at, locality=erdington, status="withdrawn")
    # Transferred from Erdington: it counts where it is now.
    FormFactory(received_at=at, locality=ladywood)
    FormFactory(received_at=at, locality=None)  # unresolved: the city only
    # 00:30 BST on 1 May is in May; 00:30 BST on 1 June is in June.
    FormFactory(
        received_at=dt.datetime(2024, 4, 30, 23, 30, tzinfo=UTC), locality=ladywood
    )
    FormFactory(
        received_at=dt.datetime(2024, 5, 31, 23, 30, tzinfo=UTC), locality=ladywood
    )
    # Step-down forms, of both request types; one duplicate.
    FormFactory(received_at=at, locality=erdington, route="step_down")
    FormFactory(
        received_at=at,
        locality=erdington,
        route="step_down",
        request_type="consultation",
    )
    FormFactory(
        received_at=at, locality=ladywood, route="step_down", status="duplicate"
    )


def test_eh01_counts_every_form_received_in_the_month(may_2024):
    cells = eh01.measure(period(2024, 5))["EH01"]
    assert cells["erdington"].value == 5  # 1 + duplicate + withdrawn + 2 step-down
    assert cells["ladywood"].value == 3  # transferred, 1 May 00:30 BST, step-down dup
    assert cells["yardley"].value == 0
    assert cells[CITY].value == 9  # the localities plus the unresolved form
    assert sum(c.value for s, c in cells.items() if s is not CITY) + 1 == 9
    assert (cells["erdington"].numerator, cells["erdington"].denominator) == (5, None)
    june = eh01.measure(period(2024, 6))["EH01"]
    assert june["ladywood"].value == 1


def test_eh06_counts_step_down_forms_of_either_type_without_duplicates(may_2024):
    cells = eh06.measure(period(2024, 5))["EH06"]
    assert cells["erdington"].value == 2
    assert cells["ladywood"].value == 0
    assert cells[CITY].value == 2


def test_a_month_with_no_forms_counts_zero():
    cells = eh01.measure(period(2019, 1))["EH01"]
    assert cells[CITY].value == 0 and cells["erdington"].value == 0
