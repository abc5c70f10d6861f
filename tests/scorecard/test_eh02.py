"""EH02 families referred into locality early help, cumulative distinct
households since the start date."""

from __future__ import annotations

import datetime as dt

import pytest

from families.models import Family
from family_connect.models import FamilyConnectForm
from scorecard.measures import eh02
from scorecard.measures.base import CITY
from tests.factories import FamilyFactory, FormFactory
from tests.scorecard.helpers import UTC, loc, period

pytestmark = pytest.mark.django_db


def new_families(n: int, at: dt.datetime, locality) -> None:
    families = Family.objects.bulk_create(
        [Family(postcode="B23 6TJ", address_line=f"{i} Road") for i in range(n)]
    )
    FamilyConnectForm.objects.bulk_create(
        [
            FamilyConnectForm(
                reference=f"T{at:%y%m}-{i:05d}",
                status_key=f"k-{at:%y%m}-{i}",
                route="school",
                request_type="support",
                status="allocated",
                received_at=at,
                postcode="B23 6TJ",
                locality=locality,
                level_of_need="additional",
                consent=True,
                family=f,
            )
            for i, f in enumerate(families)
        ]
    )


def test_seed_002s_cumulative_new_families():
    erdington = loc("erdington")
    new_families(2725, dt.datetime(2020, 5, 20, 10, tzinfo=UTC), erdington)
    for month, n in zip(range(7, 13), (919, 860, 600, 350, 192, 353), strict=True):
        new_families(n, dt.datetime(2020, month, 10, 10, tzinfo=UTC), erdington)
    got = [eh02.measure(period(2020, m))["EH02"][CITY].value for m in range(6, 13)]
    assert got == [2725, 3644, 4504, 5104, 5454, 5646, 5999]


def test_a_household_counts_in_each_locality_and_once_in_the_city():
    family = FamilyFactory()
    at = dt.datetime(2024, 3, 5, 10, tzinfo=UTC)
    FormFactory(received_at=at, locality=loc("erdington"), family=family)
    FormFactory(received_at=at, locality=loc("ladywood"), family=family)
    FormFactory(received_at=at, locality=loc("ladywood"), family=family)
    # Not counted: a consultation, a duplicate, a form before the start date.
    FormFactory(received_at=at, locality=loc("yardley"), request_type="consultation")
    FormFactory(received_at=at, locality=loc("yardley"), status="duplicate")
    FormFactory(
        received_at=dt.datetime(2020, 3, 31, 22, tzinfo=UTC), locality=loc("yardley")
    )
    # A form not linked to a household yet stands for one household.
    FormFactory(received_at=at, locality=None, family=None)
    cells = eh02.measure(period(2024, 3))["EH02"]
    assert cells["erdington"].value == 1 and cells["ladywood"].value == 1
    assert cells["yardley"].value == 0
    assert cells[CITY].value == 2  # not the sum of the localities


def test_the_start_date_is_a_setting(settings):
    at = dt.datetime(2021, 6, 1, 10, tzinfo=UTC)
    FormFactory(received_at=at, locality=loc("erdington"))
    assert eh02.measure(period(2024, 3))["EH02"][CITY].value == 1
    settings.EARLY_HELP_START_DATE = dt.date(2022, 4, 1)
    assert eh02.measure(period(2024, 3))["EH02"][CITY].value == 0
