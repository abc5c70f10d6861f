import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from casework.services.closure import ClosureInput, case_close, case_reopen
from core import clock
from family_connect import household_cases
from family_connect.household_cases import (
    household_case_localities,
    household_closed_cases,
    household_open_case,
)
from tests.factories import CaseFactory, FamilyFactory, PersonFactory

T0 = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)


def test_without_casework_registered_intake_refuses_to_read_cases(monkeypatch):
    monkeypatch.setattr(household_cases, "_provider", None)
    with pytest.raises(ImproperlyConfigured):
        household_open_case(family_ids=[1])
    with pytest.raises(ImproperlyConfigured):
        household_case_localities(family_ids=[1])
    with pytest.raises(ImproperlyConfigured):
        household_closed_cases(
            family_ids=[1], person_ids=[], closed_from=T0, closed_until=T0
        )


@pytest.mark.django_db
def test_casework_answers_for_a_households_cases(django_assert_num_queries):
    case = CaseFactory()
    CaseFactory(family=case.family, status="closed")
    with django_assert_num_queries(1):
        found = household_open_case(family_ids=[case.family_id])
        assert found is not None
        assert found.lead_practitioner.email == case.lead_practitioner.email
    assert found.pk == case.pk
    with django_assert_num_queries(1):
        localities = household_case_localities(family_ids=[case.family_id])
    assert sorted(localities) == sorted([(case.family_id, case.locality_id)] * 2)


def _closed(case, at, reason="moved_away"):
    with clock.replaying_at(at):
        case_close(
            case_id=case.pk,
            actor=case.lead_practitioner,
            data=ClosureInput(reason=reason),
        )


@pytest.mark.django_db
def test_casework_names_the_cases_closed_between_two_moments(
    django_assert_num_queries,
):
    family = FamilyFactory()
    PersonFactory(family=family)
    newest, older, too_old, open_case = (CaseFactory(family=family) for _ in range(4))
    _closed(newest, T0, reason="declined_or_disengaged")
    _closed(older, T0 - dt.timedelta(days=300))
    _closed(too_old, T0 - dt.timedelta(days=400))
    # Someone named on a case of another household (they moved in since).
    mover = PersonFactory(family=FamilyFactory(postcode="B1 1AA"))
    elsewhere = CaseFactory(family=FamilyFactory(postcode="B2 2BB"))
    elsewhere.places.create(
        person=mover, locality_id=elsewhere.locality_id, added_at=T0, source="added"
    )
    _closed(elsewhere, T0 - dt.timedelta(days=5))

    with django_assert_num_queries(1):
        found = household_closed_cases(
            family_ids=[family.pk],
            person_ids=[mover.pk],
            closed_from=T0 - dt.timedelta(days=365),
            closed_until=T0,
        )
    assert [c.case_id for c in found] == [newest.pk, elsewhere.pk, older.pk]
    assert found[0].closed_at == T0
    assert found[0].reason == "declined_or_disengaged"
    assert found[0].reason_label == "Declined or disengaged"
    assert found[0].locality_name == newest.locality.name
    assert open_case.pk not in {c.case_id for c in found}
    with django_assert_num_queries(0):
        assert (
            household_closed_cases(
                family_ids=[], person_ids=[], closed_from=T0, closed_until=T0
            )
            == []
        )


@pytest.mark.django_db
def test_a_reopened_case_is_not_named_as_closed():
    case = CaseFactory()
    _closed(case, T0 - dt.timedelta(days=3))
    with clock.replaying_at(T0):
        case_reopen(
            case_id=case.pk, actor=case.lead_practitioner, reason="Back in touch."
        )
    assert (
        household_closed_cases(
            family_ids=[case.family_id],
            person_ids=[],
            closed_from=T0 - dt.timedelta(days=365),
            closed_until=T0,
        )
        == []
    )
