"""EH07 reasons for connection: one row per reason, one shared denominator."""

from __future__ import annotations

import datetime as dt

import pytest

from family_connect.models import Reason
from scorecard.measures import eh07
from scorecard.measures.base import CITY
from tests.factories import FormFactory
from tests.scorecard.helpers import UTC, loc, period

pytestmark = pytest.mark.django_db

PUBLISHED = {
    "financial_housing_employment": 47,
    "health_emotional_wellbeing": 36,
    "children_young_people": 25,
    "domestic_abuse": 15,
    "education": 14,
    "risk_of_homelessness": 8,
}


def test_seed_002s_reason_mix():
    at = dt.datetime(2024, 5, 14, 10, tzinfo=UTC)
    for i in range(100):
        codes = [code for code, n in PUBLISHED.items() if i < n] or ["other"]
        FormFactory(received_at=at, locality=loc("erdington"), reason_codes=codes)
    FormFactory(
        received_at=at,
        locality=loc("erdington"),
        request_type="consultation",
        reason_codes=["domestic_abuse"],
    )
    FormFactory(
        received_at=at,
        locality=loc("erdington"),
        status="withdrawn",
        reason_codes=["domestic_abuse"],
    )
    rows = eh07.measure(period(2024, 5))
    assert set(rows) == {
        f"EH07:{c}" for c in Reason.objects.values_list("code", flat=True)
    }
    assert len(rows) == 13
    for code, n in PUBLISHED.items():
        cell = rows[f"EH07:{code}"][CITY]
        assert (cell.value, cell.numerator, cell.denominator) == (float(n), n, 100)
        assert f"{cell.value:.1f}" == f"{n}.0"
    assert rows["EH07:neglect"][CITY].value == 0.0  # a 0% row, not missing
    assert rows["EH07:domestic_abuse"]["erdington"].value == 15.0
    empty = rows["EH07:domestic_abuse"]["ladywood"]
    assert (empty.value, empty.numerator, empty.denominator) == (None, 0, 0)
