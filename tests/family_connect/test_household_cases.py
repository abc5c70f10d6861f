import pytest
from django.core.exceptions import ImproperlyConfigured

from family_connect import household_cases
from family_connect.household_cases import (
    household_case_localities,
    household_open_case,
)
from tests.factories import CaseFactory


def test_without_casework_registered_intake_refuses_to_read_cases(monkeypatch):
    monkeypatch.setattr(household_cases, "_provider", None)
    with pytest.raises(ImproperlyConfigured):
        household_open_case(family_ids=[1])
    with pytest.raises(ImproperlyConfigured):
        household_case_localities(family_ids=[1])


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
